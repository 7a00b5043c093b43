"""The planner's workbook layout: its sheets, their columns and the words each column accepts.

One layout serves the template, the importer and the exporter, so a workbook written by
``export --format xlsx`` reads back exactly. Every header is written ``english / ไทย``; on import
either half (or the whole) names the column, case and spacing ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from policygraph.namespaces import PG
from policygraph.planner.vocab import header_key

__all__ = ["OPTIONAL_SHEETS", "SHEETS", "Column", "Sheet", "header_key", "sheet_by_name"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    Attributes:
        key: Internal name, also the English header.
        th: The Thai header.
        help_en: What to type, in English (README sheet).
        help_th: What to type, in Thai (README sheet).
        kind: How the cell is read: ``text`` (one literal in ``lang``), ``texts`` (one per
            line), ``plain``, ``int``, ``decimal``, ``year`` (B.E. or C.E.), ``date``, ``ref``
            (an IRI under ``base``), ``concept`` (a word of ``VOCABULARIES[vocab]``),
            ``source`` (source locations), or a special kind the sheet's code reads itself.
        pred: The property a generic column fills.
        lang: Language tag of ``text``/``texts`` literals.
        base: For ``ref``: the path under ``id:`` a bare name is read in (``org/``).
        vocab: For ``concept``: the vocabulary's name.
        required: A row without it is an error.
    """

    key: str
    th: str
    help_en: str
    help_th: str
    kind: str
    pred: URIRef | None = None
    lang: str | None = None
    base: str = ""
    vocab: str = ""
    required: bool = False

    @property
    def header(self) -> str:
        """The header cell text: ``english / ไทย``."""
        return f"{self.key} / {self.th}"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its English and Thai names, what a row is, and its columns."""

    name: str
    th: str
    help_en: str
    help_th: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, key: str) -> Column:
        """The column named ``key``."""
        return next(c for c in self.columns if c.key == key)


def _text(key: str, th: str, pred: URIRef, lang: str, what_en: str, what_th: str,
          *, many: bool = False, required: bool = False) -> Column:
    return Column(key, th, what_en, what_th, "texts" if many else "text", pred, lang,
                  required=required)


def _notes() -> tuple[Column, ...]:
    return (
        _text("note_th", "หมายเหตุ (ไทย)", SKOS.note, "th", "A note, in Thai.", "หมายเหตุภาษาไทย"),
        _text("note_en", "หมายเหตุ (อังกฤษ)", SKOS.note, "en", "A note, in English.",
              "หมายเหตุภาษาอังกฤษ"),
        _text("editorial_th", "บันทึกการอ่าน (ไทย)", SKOS.editorialNote, "th",
              "How the source was read where it is ambiguous, in Thai.",
              "บันทึกว่าอ่านแหล่งที่มาอย่างไรในจุดที่กำกวม ภาษาไทย"),
        _text("editorial_en", "บันทึกการอ่าน (อังกฤษ)", SKOS.editorialNote, "en",
              "How the source was read where it is ambiguous, in English.",
              "บันทึกว่าอ่านแหล่งที่มาอย่างไรในจุดที่กำกวม ภาษาอังกฤษ"),
    )


_SOURCE_HELP_EN = ("Where in the source document this was read, one place per line: "
                   "'section | locator', or 'doc:KEY | section | locator' for another document. "
                   "Blank: the plan's source document.")
_SOURCE_HELP_TH = ("ตำแหน่งในเอกสารแหล่งที่มา บรรทัดละหนึ่งตำแหน่ง: 'หัวข้อ | ตำแหน่ง' หรือ "
                   "'doc:รหัสเอกสาร | หัวข้อ | ตำแหน่ง' เมื่อเป็นเอกสารอื่น เว้นว่าง = เอกสารของแผน")


def _source() -> Column:
    return Column("source", "ที่มา", _SOURCE_HELP_EN, _SOURCE_HELP_TH, "source",
                  PG.sourceLocation)


def _code(required: bool, what_en: str, what_th: str) -> Column:
    return Column("code", "รหัส", what_en, what_th, "code", required=required)


def _element(required: bool = True) -> Column:
    return Column("element", "โครงการ/กิจกรรม", "The code (Hierarchy sheet) of the element this "
                  "row is about; blank for the plan itself.",
                  "รหัสขององค์ประกอบ (แผ่นงาน Hierarchy) ที่แถวนี้กล่าวถึง เว้นว่าง = ตัวแผน",
                  "element", required=required)


_LABELS = (
    _text("label_th", "ชื่อ (ไทย)", SKOS.prefLabel, "th", "Name in Thai, as printed.",
          "ชื่อภาษาไทยตามที่พิมพ์ในเอกสาร", required=True),
    _text("label_en", "ชื่อ (อังกฤษ)", SKOS.prefLabel, "en", "Name in English.",
          "ชื่อภาษาอังกฤษ"),
)

PLAN = Sheet("Plan", "แผน", "One row: the plan itself.", "หนึ่งแถว: ตัวแผน", (
    Column("key", "รหัสแผน", "Short name of the plan, used in every IRI (e.g. moph-acp-2568).",
           "ชื่อย่อของแผน ใช้ในทุก IRI (เช่น moph-acp-2568)", "code", required=True),
    *_LABELS,
    _text("alt_th", "ชื่ออื่น (ไทย)", SKOS.altLabel, "th", "Other Thai names, one per line.",
          "ชื่ออื่นภาษาไทย บรรทัดละหนึ่งชื่อ", many=True),
    Column("level", "ระดับแผน", "Plan level 1, 2 or 3.", "ระดับของแผน 1 2 หรือ 3", "concept",
           PG.planLevel, vocab="level", required=True),
    Column("issued_by", "หน่วยงานเจ้าของแผน", "The issuing organisation (Units list).",
           "หน่วยงานที่จัดทำแผน (รายการ UnitsList)", "ref", PG.issuedBy, base="org/"),
    Column("fiscal_year", "ปีงบประมาณ", "Fiscal year, B.E. (2567) or C.E. (2024).",
           "ปีงบประมาณ พ.ศ. (2567) หรือ ค.ศ.", "year", PG.fiscalYear),
    Column("period_start", "ปีเริ่มต้น", "First year of a multi-year plan (B.E. or C.E.).",
           "ปีแรกของแผนหลายปี", "year", PG.periodStart),
    Column("period_end", "ปีสิ้นสุด", "Last year of a multi-year plan.", "ปีสุดท้ายของแผนหลายปี",
           "year", PG.periodEnd),
    Column("start", "วันเริ่มต้น", "First day the plan covers (1 ต.ค. 66, 2023-10-01).",
           "วันแรกของแผน (1 ต.ค. 66)", "date", PG.startDate),
    Column("end", "วันสิ้นสุด", "Last day the plan covers.", "วันสุดท้ายของแผน", "date",
           PG.endDate),
    Column("source_document", "เอกสารแหล่งที่มา", "Key of the plan's source document (doc:KEY).",
           "รหัสเอกสารแหล่งที่มาของแผน (doc:รหัส)", "ref", DCTERMS.source, base="doc/"),
    Column("source_title_th", "ชื่อเอกสารแหล่งที่มา", "Only for a source document not yet "
           "known: its Thai title (it is then added as a primary source).",
           "เฉพาะเอกสารที่ยังไม่รู้จัก: ชื่อเอกสาร (จะเพิ่มเป็นแหล่งปฐมภูมิ)", "doctitle"),
    _source(), *_notes(),
))

HIERARCHY = Sheet("Hierarchy", "โครงสร้าง", "One row per strategy, tactic, project, activity or "
                  "target, any depth.", "แถวละหนึ่งยุทธศาสตร์ กลยุทธ์ โครงการ กิจกรรม หรือเป้าหมาย "
                  "กี่ชั้นก็ได้", (
    _code(True, "The element's code, unique in the plan (s1, s1-t2, s1-a3).",
          "รหัสขององค์ประกอบ ไม่ซ้ำในแผน (s1, s1-t2, s1-a3)"),
    Column("parent", "ส่วนที่สูงกว่า", "Code of the element it belongs to; blank: the plan.",
           "รหัสของส่วนที่อยู่เหนือขึ้นไป เว้นว่าง = ตัวแผน", "parent"),
    Column("kind", "ประเภท", "strategy, tactic, project, activity, target (also dimension, "
           "mission, sub-mission, sub-plan).", "ยุทธศาสตร์ กลยุทธ์ โครงการ กิจกรรม เป้าหมาย "
           "(หรือ มิติ พันธกิจ พันธกิจย่อย แผนย่อย)", "kind", vocab="kind", required=True),
    Column("sequence", "ลำดับที่", "The number printed for it (1, 2, ๓).", "เลขลำดับที่พิมพ์",
           "int", PG.sequence),
    Column("notation", "รหัสทางการ", "An official code, if any.", "รหัสทางการ ถ้ามี", "plain",
           SKOS.notation),
    *_LABELS,
    _text("alt_th", "ชื่ออื่น (ไทย)", SKOS.altLabel, "th", "Other Thai wordings, one per line.",
          "ถ้อยคำอื่นภาษาไทย บรรทัดละหนึ่ง", many=True),
    _text("description_th", "คำอธิบาย (ไทย)", PG.description, "th", "A description, in Thai.",
          "คำอธิบายภาษาไทย"),
    _text("description_en", "คำอธิบาย (อังกฤษ)", PG.description, "en",
          "A description, in English.", "คำอธิบายภาษาอังกฤษ"),
    _source(), *_notes(),
))

INDICATORS = Sheet("Indicators", "ตัวชี้วัด", "One row per indicator.", "แถวละหนึ่งตัวชี้วัด", (
    _code(False, "Blank: ELEMENT-iN from the element and sequence.",
          "เว้นว่าง = รหัสองค์ประกอบ-i ลำดับที่"),
    _element(False),
    Column("sequence", "ลำดับที่", "Its number within the element.", "ลำดับภายในองค์ประกอบ",
           "int", PG.sequence),
    *_LABELS,
    _text("target_text_th", "ค่าเป้าหมายตามเอกสาร", PG.targetText, "th",
          "The target as worded (ไม่น้อยกว่าร้อยละ 80).", "ค่าเป้าหมายตามถ้อยคำในเอกสาร"),
    Column("target_value", "ค่าเป้าหมาย", "The number only (80); blank if not numeric.",
           "ตัวเลขเท่านั้น เว้นว่างถ้าไม่ใช่ตัวเลข", "decimal", PG.targetValue),
    Column("comparator", "ตัวเปรียบเทียบ", "ไม่น้อยกว่า (≥), ไม่เกิน (≤), เท่ากับ (=).",
           "ไม่น้อยกว่า ไม่เกิน เท่ากับ", "concept", PG.comparator, vocab="comparator"),
    Column("unit", "หน่วยวัด", "คะแนน, อันดับ, ร้อยละ, จำนวน, เอกสารที่ส่งมอบ.",
           "คะแนน อันดับ ร้อยละ จำนวน เอกสารที่ส่งมอบ", "concept", PG.unit, vocab="unit"),
    _text("count_of_th", "สิ่งที่นับ (ไทย)", PG.countOf, "th", "For a count: what is counted.",
          "สำหรับจำนวน: นับอะไร"),
    _text("count_of_en", "สิ่งที่นับ (อังกฤษ)", PG.countOf, "en", "What is counted, in English.",
          "นับอะไร ภาษาอังกฤษ"),
    _text("target_level_th", "ระดับที่ต้องการ", PG.targetLevel, "th",
          "A named grade to reach (ผ่านดี).", "ระดับผลที่ต้องการ (ผ่านดี)"),
    Column("target_year", "ปีเป้าหมาย", "Year to meet it (B.E. or C.E.).", "ปีที่ต้องบรรลุ",
           "year", PG.targetYear),
    Column("measure", "มาตรวัด", "A known index (measure/ita).", "ดัชนีที่รู้จัก (measure/ita)",
           "ref", PG.measure, base="measure/"),
    _source(), *_notes(),
))

BUDGETS = Sheet("Budgets", "งบประมาณ", "One row per element and fiscal year.",
                "แถวละหนึ่งองค์ประกอบต่อปีงบประมาณ", (
    _code(False, "Blank: ELEMENT-budget (ELEMENT-budget-YEAR when several years).",
          "เว้นว่าง = รหัสองค์ประกอบ-budget"),
    _element(),
    Column("fiscal_year", "ปีงบประมาณ", "B.E. or C.E.; blank: the plan's.",
           "พ.ศ. หรือ ค.ศ. เว้นว่าง = ปีของแผน", "year", PG.fiscalYear),
    Column("amount", "จำนวนเงิน", "Baht (1,814,000 or ๑,๘๑๔,๐๐๐), 'ไม่มีการใช้งบประมาณ' for no "
           "budget, blank if the plan does not say.", "จำนวนบาท หรือ 'ไม่มีการใช้งบประมาณ' "
           "เว้นว่างถ้าเอกสารไม่ได้ระบุ", "amount"),
    Column("status", "สถานะ", "Optional check: ระบุจำนวนเงิน, ไม่มีการใช้งบประมาณ, ไม่ได้ระบุ.",
           "ไม่บังคับ: ระบุจำนวนเงิน ไม่มีการใช้งบประมาณ ไม่ได้ระบุ", "status", vocab="status"),
    Column("currency", "สกุลเงิน", "ISO code; blank: THB.", "รหัสสกุลเงิน เว้นว่าง = THB",
           "plain", PG.currency),
    _text("as_stated", "ตามที่พิมพ์", PG.asStated, "th", "The cell exactly as printed.",
          "ข้อความในช่องตามที่พิมพ์"),
    Column("footnote", "เชิงอรรถ", "A footnote mark printed beside it.", "เครื่องหมายเชิงอรรถ",
           "plain", PG.footnoteMark),
    _source(), *_notes(),
))

SCHEDULE = Sheet("Schedule", "ระยะเวลา", "One row per project or activity.",
                 "แถวละหนึ่งโครงการ/กิจกรรม", (
    _code(False, "Blank: ELEMENT-schedule.", "เว้นว่าง = รหัสองค์ประกอบ-schedule"),
    _element(),
    Column("start", "เริ่ม", "1 ต.ค. 66, 2023-10-01, or a month only (ต.ค. 66).",
           "1 ต.ค. 66 หรือเดือนเท่านั้น (ต.ค. 66)", "start", required=True),
    Column("end", "สิ้นสุด", "30 ก.ย. 67, or a month only (its last day).",
           "30 ก.ย. 67 หรือเดือนเท่านั้น (วันสุดท้ายของเดือน)", "end", required=True),
    _text("as_stated", "ตามที่พิมพ์", PG.asStated, "th", "The cell exactly as printed.",
          "ข้อความในช่องตามที่พิมพ์"),
    _source(), *_notes(),
))

UNITS = Sheet("Units", "ผู้รับผิดชอบ", "One row per element and responsible unit.",
              "แถวละหนึ่งองค์ประกอบต่อหนึ่งหน่วยงาน", (
    _element(),
    Column("unit", "หน่วยงาน", "A known unit (drop-down, or its key or Thai name).",
           "หน่วยงานที่รู้จัก (เลือกจากรายการ หรือพิมพ์รหัส/ชื่อ)", "unitref", required=True),
))

ALIGNMENTS = Sheet("Alignments", "ความเชื่อมโยง", "One row per link to a higher target.",
                   "แถวละหนึ่งความเชื่อมโยงไปยังเป้าหมายที่สูงกว่า", (
    _code(False, "Blank: alignment-FROM--TARGET.", "เว้นว่าง = alignment-ต้นทาง--ปลายทาง"),
    Column("from", "จาก", "Code of the lower element; blank: the plan.",
           "รหัสขององค์ประกอบต้นทาง เว้นว่าง = ตัวแผน", "element"),
    Column("to", "ไปยัง", "The higher target: pick from the drop-down, or a code of this plan.",
           "เป้าหมายที่สูงกว่า: เลือกจากรายการ หรือรหัสในแผนนี้", "target", required=True),
    Column("basis", "ฐาน", "ระบุไว้ในเอกสาร (stated) or อนุมาน (inferred).",
           "ระบุไว้ในเอกสาร หรือ อนุมาน", "concept", PG.basis, vocab="basis", required=True),
    _text("evidence_th", "หลักฐาน (ไทย)", PG.evidence, "th", "The passage quoted verbatim.",
          "ข้อความที่ยกมาตามต้นฉบับ"),
    _text("evidence_en", "หลักฐาน (อังกฤษ)", PG.evidence, "en", "An English passage quoted.",
          "ข้อความภาษาอังกฤษที่ยกมา"),
    Column("evidence_location", "ตำแหน่งหลักฐาน", "Where the evidence stands, as for 'source'.",
           "ตำแหน่งของหลักฐาน เขียนแบบเดียวกับ 'ที่มา'", "source", PG.evidenceLocation),
    _text("rationale_th", "เหตุผล (ไทย)", PG.rationale, "th",
          "Why the link holds; required for inferred links.", "เหตุผล จำเป็นเมื่ออนุมาน"),
    _text("rationale_en", "เหตุผล (อังกฤษ)", PG.rationale, "en", "The rationale in English.",
          "เหตุผลภาษาอังกฤษ"),
    Column("recorded_by", "ผู้บันทึก", "Who recorded the link.", "ผู้บันทึกความเชื่อมโยง",
           "plain", DCTERMS.creator),
    *_notes(),
))

OBSERVATIONS = Sheet("Observations", "ผลการวัด", "Optional: published results the plan quotes.",
                     "ไม่บังคับ: ผลการวัดที่แผนอ้างถึง", (
    _code(True, "The observation's code (obs-cpi-2022).", "รหัสผลการวัด"),
    Column("measure", "มาตรวัด", "A known index (measure/cpi).", "ดัชนีที่รู้จัก", "ref",
           PG.measure, base="measure/", required=True),
    _text("area_th", "พื้นที่ (ไทย)", PG.refArea, "th", "Country or body, in Thai.",
          "ประเทศหรือหน่วยงาน"),
    _text("area_en", "พื้นที่ (อังกฤษ)", PG.refArea, "en", "Country or body, in English.",
          "ประเทศหรือหน่วยงาน ภาษาอังกฤษ"),
    Column("year", "ปี", "Year measured (B.E. or C.E.).", "ปีที่วัด", "year", PG.observedYear),
    _text("year_as_stated", "ปีตามที่พิมพ์", PG.yearAsStated, "th", "The year as printed.",
          "ปีตามที่พิมพ์"),
    Column("value", "ค่า", "Value observed.", "ค่าที่วัดได้", "decimal", PG.observedValue),
    Column("max_value", "คะแนนเต็ม", "Full score.", "คะแนนเต็ม", "decimal", PG.maxValue),
    Column("unit", "หน่วยวัด", "คะแนน, อันดับ, ร้อยละ, จำนวน.", "หน่วยวัด", "concept", PG.unit,
           vocab="unit"),
    Column("rank", "อันดับ", "Rank.", "อันดับ", "int", PG.rank),
    Column("rank_out_of", "จากทั้งหมด", "Out of how many.", "จากทั้งหมดกี่ราย", "int",
           PG.rankOutOf),
    _source(), *_notes(),
))

#: Every data sheet, in workbook order.
SHEETS: tuple[Sheet, ...] = (PLAN, HIERARCHY, INDICATORS, BUDGETS, SCHEDULE, UNITS, ALIGNMENTS,
                             OBSERVATIONS)
#: Sheets a workbook may leave out.
OPTIONAL_SHEETS = frozenset({"Observations"})


def sheet_by_name(name: str) -> Sheet | None:
    """The sheet whose English or Thai name is ``name`` (case and spaces ignored)."""
    key = header_key(name)
    return next((s for s in SHEETS if key in (header_key(s.name), header_key(s.th))), None)
