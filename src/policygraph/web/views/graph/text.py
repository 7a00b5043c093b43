"""Interface text of the linkage graph page, in Thai and English."""

from __future__ import annotations

from policygraph.i18n import translations

__all__ = ["graph_text"]

_TEXT: dict[str, dict[str, str]] = {
    "graph_title": {"th": "กราฟความเชื่อมโยงของแผน", "en": "Plan linkage graph"},
    "graph_intro": {
        "th": "แผนระดับที่ 1 อยู่บนสุด ตามด้วยแผนระดับที่ 2 และ 3 ลงไปจนถึงโครงการและกิจกรรม "
              "คลิกที่รายการเพื่อดูเส้นทางขึ้นถึงแผนระดับที่ 1 และสิ่งที่อยู่ภายใต้",
        "en": "Level 1 at the top, then Level 2 and Level 3 plans down to projects and activities. "
              "Click an element to see its chain up to Level 1 and everything under it.",
    },
    "filters": {"th": "ตัวกรอง", "en": "Filters"},
    "filter_plan": {"th": "แผน", "en": "Plan"},
    "all_plans": {"th": "ทุกแผน", "en": "All plans"},
    "filter_year": {"th": "ปีงบประมาณ (พ.ศ.)", "en": "Fiscal year (B.E.)"},
    "all_years": {"th": "ทุกปี", "en": "All years"},
    "all_units": {"th": "ทุกหน่วยงาน", "en": "All units"},
    "filter_basis": {"th": "ความเชื่อมโยงที่แสดง", "en": "Alignments shown"},
    "show_indicators": {"th": "แสดงตัวชี้วัด", "en": "Show indicators"},
    "filter_note": {
        "th": "ตัวกรองแสดงรายการที่ตรงเงื่อนไขพร้อมเส้นทางขึ้นไปถึงแผนระดับที่ 1",
        "en": "Filters keep the matching elements and the chain above them.",
    },
    "legend": {"th": "คำอธิบายสัญลักษณ์", "en": "Legend"},
    "edge_structural": {"th": "โครงสร้างของแผน (อยู่ภายใต้ / เป้าหมายของ)",
                        "en": "Plan structure (part of / target of)"},
    "edge_stated": {"th": "สนับสนุน — ระบุไว้ในเอกสาร", "en": "Supports — stated"},
    "edge_inferred": {"th": "สนับสนุน — อนุมานโดยผู้วิเคราะห์", "en": "Supports — inferred"},
    "search_results": {"th": "ผลการค้นหา", "en": "Search results"},
    "no_match": {"th": "ไม่พบรายการที่ตรงกัน", "en": "No matching element"},
    "details": {"th": "รายละเอียด", "en": "Details"},
    "select_hint": {"th": "เลือกรายการในกราฟหรือค้นหาเพื่อดูรายละเอียด",
                    "en": "Select an element in the graph, or search, to see its details."},
    "kind": {"th": "ประเภท", "en": "Kind"},
    "plan": {"th": "แผน", "en": "Plan"},
    "fiscal_year": {"th": "ปีงบประมาณ พ.ศ.", "en": "Fiscal year B.E."},
    "alignments": {"th": "ความเชื่อมโยง", "en": "Alignments"},
    "supports_dir": {"th": "สนับสนุน", "en": "supports"},
    "supported_dir": {"th": "ได้รับการสนับสนุนจาก", "en": "supported by"},
    "no_alignments": {"th": "ไม่มีความเชื่อมโยงโดยตรง", "en": "No direct alignment"},
    "chain_count": {"th": "รายการในเส้นทาง", "en": "Elements in its chain"},
    "open_page": {"th": "เปิดหน้ารายละเอียด", "en": "Open its page"},
    "clear_selection": {"th": "ล้างการเลือก", "en": "Clear selection"},
    "fit": {"th": "แสดงทั้งกราฟ", "en": "Fit to view"},
    "loading": {"th": "กำลังวาดกราฟ…", "en": "Drawing the graph…"},
    "no_level": {"th": "ไม่มีระดับแผน", "en": "No plan level"},
    "budget_stated": {"th": "ระบุจำนวน", "en": "Amount stated"},
    "noscript": {
        "th": "กราฟนี้ต้องใช้ JavaScript ดูรายการเดียวกันได้ที่หน้า ความครอบคลุม",
        "en": "This graph needs JavaScript; the Coverage page lists the same links.",
    },
    "cap_slice": {
        "th": "{label}: แสดง {shown} จาก {available} รายการที่เชื่อมโยง "
              "— ใช้ตัวกรองให้แคบลง หรือขยายทีละรายการ",
        "en": "{label}: showing {shown} of {available} linked elements; "
              "narrow with a filter or expand a node.",
    },
    "cap_page": {
        "th": "แสดง {shown} จาก {total} รายการ — ใช้ตัวกรองให้แคบลง หรือขยายทีละรายการ",
        "en": "Showing {shown} of {total} elements; narrow with a filter or expand a node.",
    },
    "cap_full": {
        "th": "หน้านี้แสดงได้ไม่เกิน {cap} รายการ: แสดง {shown} จาก {total} รายการ "
              "— ใช้ตัวกรองให้แคบลง หรือเริ่มจากรายการอื่น",
        "en": "This page draws at most {cap} elements: showing {shown} of {total}; "
              "narrow with a filter or start from another element.",
    },
    "large_intro": {
        "th": "ข้อมูลมีขนาดใหญ่เกินกว่าจะวาดทั้งหมดพร้อมกัน ({total} รายการ) "
              "เลือกแผนหรือค้นหารายการเพื่อเริ่ม แล้วขยายทีละรายการ",
        "en": "The store is too large to draw at once ({total} elements). "
              "Start from a plan or search for an element, then expand nodes one at a time.",
    },
    "start_from": {"th": "เริ่มจากแผน", "en": "Start from a plan"},
    "choose_start": {"th": "เลือกแผนระดับที่ 1–2 หรือค้นหารายการเพื่อเริ่มวาดกราฟ",
                     "en": "Choose a Level 1–2 plan, or search for an element, to start."},
    "expand": {"th": "ขยาย: แสดงสิ่งที่อยู่ภายใต้และที่สนับสนุน",
               "en": "Expand: show what is under it or supports it"},
    "expanding": {"th": "กำลังโหลด…", "en": "Loading…"},
    "expand_failed": {"th": "โหลดไม่สำเร็จ", "en": "Could not load"},
    "expanded_all": {"th": "แสดงครบแล้ว", "en": "Everything linked is shown"},
    "not_on_page": {"th": "(ยังไม่อยู่ในกราฟ — เปิดเป็นจุดเริ่ม)",
                    "en": "(not drawn yet: start from it)"},
    "graph_label": {"th": "กราฟความเชื่อมโยงของแผน (โต้ตอบได้)",
                    "en": "Plan linkage graph (interactive)"},
}


def graph_text(lang: str) -> dict[str, str]:
    """The app's interface strings and the graph page's own, in ``lang``."""
    text = translations(lang)
    text.update({key: value[lang] for key, value in _TEXT.items()})
    return text
