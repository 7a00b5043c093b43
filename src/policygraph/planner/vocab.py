"""The words the planner's workbook accepts in its concept columns (kind, unit, basis, …)."""

from __future__ import annotations

from rdflib import URIRef

from policygraph.namespaces import PG

__all__ = ["VOCABULARIES", "header_key", "vocabulary_lookup", "vocabulary_word"]


def header_key(text: str) -> str:
    """Normalise a header, sheet name or word for matching: no case, no spaces."""
    return "".join(text.split()).casefold()


#: Words each concept column accepts: (IRI, the word written on export, other accepted words).
VOCABULARIES: dict[str, tuple[tuple[URIRef, str, tuple[str, ...]], ...]] = {
    "level": (
        (PG.Level1, "1", ("level1", "z", "ระดับที่1", "แผนระดับที่1")),
        (PG.Level2, "2", ("level2", "y", "ระดับที่2", "แผนระดับที่2")),
        (PG.Level3, "3", ("level3", "x", "ระดับที่3", "แผนระดับที่3")),
    ),
    "kind": (
        (PG.Strategy, "ยุทธศาสตร์", ("strategy", "ประเด็นยุทธศาสตร์", "dimension", "มิติ")),
        (PG.Tactic, "กลยุทธ์", ("tactic", "mission", "พันธกิจ", "sub-mission", "พันธกิจย่อย",
                               "แผนงาน", "programme")),
        (PG.SubPlan, "แผนย่อย", ("sub-plan", "subplan")),
        (PG.Milestone, "หมุดหมาย", ("milestone",)),
        (PG.Project, "โครงการ", ("project",)),
        (PG.Activity, "กิจกรรม", ("activity",)),
        (PG.Target, "เป้าหมาย", ("target", "goal")),
    ),
    "comparator": (
        (PG.AtLeast, "ไม่น้อยกว่า", ("≥", ">=", "at least", "อย่างน้อย")),
        (PG.AtMost, "ไม่เกิน", ("≤", "<=", "at most", "ไม่มากกว่า")),
        (PG.EqualTo, "เท่ากับ", ("=", "equal", "equal to")),
    ),
    "unit": (
        (PG.Score, "คะแนน", ("score",)),
        (PG.Rank, "อันดับ", ("rank",)),
        (PG.Percent, "ร้อยละ", ("percent", "%")),
        (PG.Count, "จำนวน", ("count",)),
        (PG.DocumentDelivered, "เอกสารที่ส่งมอบ", ("document", "document delivered")),
    ),
    "basis": (
        (PG.Stated, "ระบุไว้ในเอกสาร", ("stated", "ระบุไว้")),
        (PG.Inferred, "อนุมาน", ("inferred", "อนุมานโดยผู้วิเคราะห์")),
    ),
    "status": (
        (PG.BudgetStated, "ระบุจำนวนเงิน", ("stated", "amount stated")),
        (PG.NoBudget, "ไม่มีการใช้งบประมาณ", ("no budget", "no budget used", "ไม่ใช้งบประมาณ")),
        (PG.BudgetNotStated, "ไม่ได้ระบุ", ("not stated", "ไม่ได้ระบุงบประมาณ")),
    ),
}


def vocabulary_lookup(vocab: str) -> dict[str, URIRef]:
    """Every accepted word of a vocabulary (normalised by :func:`header_key`) to its IRI."""
    found: dict[str, URIRef] = {}
    for iri, word, others in VOCABULARIES[vocab]:
        for text in (word, *others):
            found[header_key(text)] = iri
    return found


def vocabulary_word(vocab: str, iri: object) -> str | None:
    """The word a workbook shows for ``iri`` in a vocabulary, or None."""
    return next((word for node, word, _ in VOCABULARIES[vocab] if node == iri), None)
