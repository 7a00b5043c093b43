"""Interface text of the query page, in Thai and English."""

from __future__ import annotations

__all__ = ["page_text"]

_TEXT: dict[str, dict[str, str]] = {
    "title": {"th": "ค้นหาด้วย SPARQL", "en": "SPARQL query"},
    "intro": {"th": "เลือกคำค้นสำเร็จรูปจากรายการ หรือเขียน SPARQL เอง คำนำหน้า pg:, id:, skos:, "
                    "dcterms: ฯลฯ ใช้ได้โดยไม่ต้องประกาศ และกราฟตั้งต้นคือกราฟทั้งหมดรวมกัน "
                    "โปรแกรมอื่นใช้จุดบริการ SPARQL 1.1 ได้ที่",
              "en": "Pick a ready-made query from the list, or write SPARQL. The prefixes pg:, "
                    "id:, skos:, dcterms: and the like need no declaration, and the default "
                    "graph is the union of all graphs. Programs can use the SPARQL 1.1 "
                    "endpoint at"},
    "named_queries": {"th": "คำค้นสำเร็จรูป", "en": "Ready-made queries"},
    "parameters": {"th": "พารามิเตอร์", "en": "Parameters"},
    "no_parameters": {"th": "คำค้นนี้ไม่มีพารามิเตอร์", "en": "This query has no parameters."},
    "required": {"th": "จำเป็น", "en": "required"},
    "optional": {"th": "ไม่บังคับ", "en": "optional"},
    "default": {"th": "ค่าตั้งต้น", "en": "default"},
    "run_named": {"th": "เรียกใช้คำค้นนี้", "en": "Run this query"},
    "editor": {"th": "ตัวแก้ไข SPARQL", "en": "SPARQL editor"},
    "editor_hint": {"th": "Ctrl+Enter เพื่อเรียกใช้ เวลาและจำนวนผลลัพธ์มีขีดจำกัด",
                    "en": "Ctrl+Enter runs the query. Time and result size are limited."},
    "run_sparql": {"th": "เรียกใช้ SPARQL", "en": "Run SPARQL"},
    "named_note": {"th": "ข้อความของคำค้นอยู่ในตัวแก้ไขด้านล่าง พารามิเตอร์ถูกผูกเป็นค่า RDF "
                         "ไม่ได้แทรกเป็นข้อความ",
                   "en": "The query's text is in the editor below; parameters are bound as "
                         "RDF terms, never pasted into the text."},
    "results": {"th": "ผลลัพธ์", "en": "Results"},
    "rows": {"th": "แถว", "en": "rows"},
    "triples": {"th": "รายการ (triple)", "en": "triples"},
    "shown_first": {"th": "แสดงเฉพาะ {shown} แถวแรกจาก {total} แถว ดาวน์โหลดเพื่อดูทั้งหมด",
                    "en": "Showing the first {shown} of {total} rows; download for all."},
    "no_rows": {"th": "ไม่พบผลลัพธ์", "en": "No results."},
    "answer_true": {"th": "ใช่ (true)", "en": "Yes (true)"},
    "answer_false": {"th": "ไม่ใช่ (false)", "en": "No (false)"},
    "download": {"th": "ดาวน์โหลด", "en": "Download"},
    "error": {"th": "เกิดข้อผิดพลาด", "en": "Error"},
    "subject": {"th": "ประธาน", "en": "subject"},
    "predicate": {"th": "ภาคแสดง", "en": "predicate"},
    "object": {"th": "กรรม", "en": "object"},
}


def page_text(lang: str) -> dict[str, str]:
    """Every string of the query page in ``lang`` (``th`` or ``en``)."""
    return {key: text.get(lang, text["en"]) for key, text in _TEXT.items()}
