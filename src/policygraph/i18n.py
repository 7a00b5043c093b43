"""Interface text in Thai and English, and the language a request asks for."""

from __future__ import annotations

from fastapi import Request

__all__ = ["LANGS", "request_lang", "translations"]

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
}


def request_lang(request: Request, default: str = "th") -> str:
    """The page language: ``?lang=`` if valid, else the ``lang`` cookie, else ``default``."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in LANGS:
            return candidate
    return default


def translations(lang: str) -> dict[str, str]:
    """Every interface string in ``lang``."""
    return {key: text[lang] for key, text in _TEXT.items()}
