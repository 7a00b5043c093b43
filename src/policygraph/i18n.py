"""Interface text in Thai and English, and the language a request asks for."""

from __future__ import annotations

from fastapi import Request

__all__ = ["KIND_NAMES", "LANGS", "kind_name", "request_lang", "translations"]

LANGS = ("th", "en")

_TEXT: dict[str, dict[str, str]] = {
    "app_title": {"th": "policygraph — ความเชื่อมโยงของแผนภาครัฐ",
                  "en": "policygraph — alignment of government plans"},
    "nav_graph": {"th": "กราฟความเชื่อมโยง", "en": "Linkage graph"},
    "nav_coverage": {"th": "ความครอบคลุม", "en": "Coverage"},
    "nav_orphans": {"th": "รายการที่ไม่เชื่อมโยง", "en": "Orphans"},
    "nav_budget": {"th": "งบประมาณ", "en": "Budget"},
    "nav_timeline": {"th": "ระยะเวลา", "en": "Timeline"},
    "nav_query": {"th": "SPARQL", "en": "SPARQL"},
    "nav_ontology": {"th": "ออนโทโลยี", "en": "Ontology"},
    "nav_api": {"th": "API", "en": "API"},
    "switch_lang": {"th": "English", "en": "ภาษาไทย"},
    "search": {"th": "ค้นหา", "en": "Search"},
    "search_hint": {"th": "ชื่อโครงการ กิจกรรม เป้าหมาย (ไทยหรืออังกฤษ)",
                    "en": "Project, activity or target name (Thai or English)"},
    "stated": {"th": "ระบุไว้ในเอกสาร", "en": "stated"},
    "inferred": {"th": "อนุมานโดยผู้วิเคราะห์", "en": "inferred"},
    "level": {"th": "แผนระดับที่", "en": "Level"},
    "download_csv": {"th": "ดาวน์โหลด CSV", "en": "Download CSV"},
    "not_found": {"th": "ไม่พบรายการนี้", "en": "Not found"},
    "bad_request": {"th": "คำขอไม่ถูกต้อง", "en": "Bad request"},
    "part_of": {"th": "อยู่ภายใต้", "en": "Part of"},
    "parts": {"th": "ส่วนประกอบ", "en": "Parts"},
    "indicators": {"th": "ตัวชี้วัด", "en": "Indicators"},
    "budget": {"th": "งบประมาณ", "en": "Budget"},
    "schedule": {"th": "ระยะเวลาดำเนินการ", "en": "Schedule"},
    "units": {"th": "ผู้รับผิดชอบ", "en": "Responsible units"},
    "supports": {"th": "สนับสนุน (ขึ้นไป)", "en": "Supports (upward)"},
    "supported_by": {"th": "ได้รับการสนับสนุนจาก", "en": "Supported by"},
    "evidence": {"th": "หลักฐาน", "en": "Evidence"},
    "rationale": {"th": "เหตุผลของผู้วิเคราะห์", "en": "Analyst's rationale"},
    "sources": {"th": "ที่มา", "en": "Sources"},
    "notes": {"th": "หมายเหตุ", "en": "Notes"},
    "trace": {"th": "เส้นทางสู่แผนระดับที่ 1", "en": "Trace to Level 1"},
    "no_budget": {"th": "ไม่มีการใช้งบประมาณ", "en": "No budget used"},
    "budget_not_stated": {"th": "ไม่ได้ระบุงบประมาณ", "en": "Budget not stated"},
    "baht": {"th": "บาท", "en": "THB"},
    "month_only": {"th": "(ระบุเพียงเดือน)", "en": "(month only)"},
    "as_printed": {"th": "ตามที่พิมพ์", "en": "as printed"},
    "rdf_formats": {"th": "ข้อมูล RDF", "en": "RDF"},
    "responsible_for": {"th": "โครงการ/กิจกรรมที่รับผิดชอบ", "en": "Projects and activities"},
}


#: Names of the kinds of element, for pages.
KIND_NAMES: dict[str, dict[str, str]] = {
    "Plan": {"th": "แผน", "en": "Plan"},
    "StandardSet": {"th": "ชุดมาตรฐาน", "en": "Set of standards"},
    "Strategy": {"th": "ยุทธศาสตร์", "en": "Strategy"},
    "SubPlan": {"th": "แผนย่อย", "en": "Sub-plan"},
    "Milestone": {"th": "หมุดหมาย", "en": "Milestone"},
    "Tactic": {"th": "กลยุทธ์", "en": "Tactic"},
    "Project": {"th": "โครงการ", "en": "Project"},
    "Activity": {"th": "กิจกรรม", "en": "Activity"},
    "StandardItem": {"th": "ข้อมาตรฐาน", "en": "Standard item"},
    "Target": {"th": "เป้าหมาย", "en": "Target"},
    "Indicator": {"th": "ตัวชี้วัด", "en": "Indicator"},
    "Observation": {"th": "ผลการวัด", "en": "Observation"},
    "Measure": {"th": "มาตรวัด", "en": "Measure"},
    "Organization": {"th": "หน่วยงาน", "en": "Organisation"},
    "OrganizationalUnit": {"th": "ส่วนราชการ/หน่วยงานย่อย", "en": "Organisational unit"},
    # Units of indicator values share the lookup (their local names do not clash with kinds).
    "Score": {"th": "คะแนน", "en": "score"},
    "Rank": {"th": "อันดับ", "en": "rank"},
    "Percent": {"th": "ร้อยละ", "en": "percent"},
    "Count": {"th": "จำนวน", "en": "count"},
    "DocumentDelivered": {"th": "เอกสารที่ส่งมอบ", "en": "document delivered"},
}


def kind_name(kind: object, lang: str) -> str:
    """The name of a kind (``"Project"`` or its full IRI) in ``lang``."""
    key = str(kind).rsplit("#", 1)[-1]
    return KIND_NAMES.get(key, {}).get(lang, key)


def request_lang(request: Request, default: str = "th") -> str:
    """The page language: ``?lang=`` if valid, else the ``lang`` cookie, else ``default``."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in LANGS:
            return candidate
    return default


def translations(lang: str) -> dict[str, str]:
    """Every interface string in ``lang``."""
    return {key: text[lang] for key, text in _TEXT.items()}
