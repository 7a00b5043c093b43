"""The bundled data is faithful to its sources: quotes and labels appear in the seed verbatim.

Whitespace is ignored in the comparison: the seed is a text extraction of a PDF whose table cells
break lines inside words, and the data joins those lines.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from policygraph.load.derive import derive
from policygraph.namespaces import ID, PG
from policygraph.resources import data_files

SEED = Path(__file__).parent / "resources" / "sources" / "opdc-acp-2567.txt"
SEED_DOC = ID["doc/opdc-acp-2567"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in data_files():
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def seed() -> str:
    return _squash(SEED.read_text(encoding="utf-8"))


#: The table header the seed repeats at the top of each page of section 4 (whitespace taken out).
PAGE_HEADER = _squash("ยุทธศาสตร์/กลยุทธ์ โครงการ/กิจกรรม ตัวชี้วัด งบประมาณ (บาท) "
                      "ระยะเวลาดำเนินการ ผู้รับผิดชอบ")
#: The most text a page break puts inside a cell: the row's other cells, the page's header
#: with its twelve months, and the repeated row heading (260 characters in the seed).
PAGE_BREAK_GAP = 400


def _in_seed(text: str, seed: str) -> bool:
    """True if ``text`` is in the seed, whole or split by one page break: its two in-order
    pieces at most :data:`PAGE_BREAK_GAP` characters apart, with the repeated table header
    (:data:`PAGE_HEADER`) in between. Pieces from anywhere else do not count."""
    squashed = _squash(text)
    if squashed in seed:
        return True
    for cut in range(10, len(squashed) - 10):
        head, tail = squashed[:cut], squashed[cut:]
        at = seed.find(head)
        while at >= 0:
            end = at + len(head)
            after = seed.find(tail, end, end + PAGE_BREAK_GAP + len(tail))
            if after >= 0 and PAGE_HEADER in seed[end:after]:
                return True
            at = seed.find(head, at + 1)
    return False


def test_the_verbatim_check_takes_only_a_page_break_split(seed: str) -> None:
    """The split it allows is the one in the seed; text stitched from two pieces of the seed
    that a page break does not part fails, though each piece is in the seed."""
    quarter = len(seed) // 4
    first, second = seed[quarter:quarter + 30], seed[3 * quarter:3 * quarter + 30]
    assert first in seed and second in seed and _in_seed(first + second, seed) is False
    near = seed[5000:5025] + seed[5100:5125]  # close, but no page header between
    assert PAGE_HEADER not in seed[5000:5125] and _in_seed(near, seed) is False
    header = seed.index(PAGE_HEADER, 5000)
    far = seed[header - 25:header] + seed[header + 2000:header + 2025]  # a header, too far
    assert _in_seed(far, seed) is False
    split_label = "".join(str(o) for o in Graph().parse(
        next(p for p in data_files() if p.stem == "opdc-acp-2567")).objects(
        ID["opdc-acp-2567/s2-a2-i1"], SKOS.prefLabel) if getattr(o, "language", "") == "th")
    assert _squash(split_label) not in seed and _in_seed(split_label, seed)


def _sources(graph: Graph, node: URIRef) -> set[URIRef]:
    return {graph.value(loc, PG.document) for loc in graph.objects(node, PG.sourceLocation)}


def test_every_file_has_a_header_naming_its_source() -> None:
    for path in data_files():
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("# ") and len(" ".join(head)) > 40, path.name


def test_every_evidence_quote_is_in_the_seed(data: Graph, seed: str) -> None:
    quotes = [str(q) for q in data.objects(None, PG.evidence)]
    assert len(quotes) == 43
    missing = [q for q in quotes if _squash(q) not in seed]
    assert missing == []


def test_thai_text_read_from_the_seed_only_is_verbatim(data: Graph, seed: str) -> None:
    checked, missing = 0, []
    verbatim = (SKOS.prefLabel, SKOS.altLabel, PG.targetText, PG.description, PG.vision)
    for node in set(data.subjects(PG.sourceLocation, None)):
        if _sources(data, node) != {SEED_DOC}:
            continue
        kinds = set(data.objects(node, RDF.type))
        named_by_analyst = {PG.Indicator, PG.Measure, PG.Observation} & kinds
        for predicate in verbatim:
            if predicate == SKOS.prefLabel and named_by_analyst:
                continue  # indicators and measures are named by the analyst; targets are verbatim
            for text in data.objects(node, predicate):
                if isinstance(text, Literal) and text.language == "th":
                    checked += 1
                    if not _in_seed(str(text), seed):
                        missing.append(f"{node} {predicate}: {text}")
    assert checked >= 75  # labels, targets, quotes: most of the Thai text in the data
    assert missing == []


def test_counts_of_the_fy2567_plan(data: Graph) -> None:
    plan = ID["opdc-acp-2567"]
    members = {s for s in data.subjects() if str(s).startswith(str(plan) + "/")}
    kinds = Counter(str(data.value(s, RDF.type)).removeprefix(str(PG)) for s in members)
    # Section 4: 2 strategies, 4 tactics, 3 projects + 7 activities, 14 indicators + the goal's.
    assert kinds["Strategy"] == 2 and kinds["Tactic"] == 4
    assert kinds["Project"] == 3 and kinds["Activity"] == 7
    assert kinds["Indicator"] == 15 and kinds["Target"] == 1
    assert kinds["Budget"] == 10 and kinds["Schedule"] == 10
    amounts = [Decimal(str(a)) for a in data.objects(None, PG.amount)]
    assert sorted(amounts) == [Decimal(600000), Decimal(637800), Decimal(1814000),
                               Decimal(9460600)]
    statuses = Counter(str(data.value(b, PG.budgetStatus)).removeprefix(str(PG))
                       for b in members if (b, RDF.type, PG.Budget) in data)
    assert statuses == {"BudgetStated": 4, "NoBudget": 5, "BudgetNotStated": 1}
    assert str(data.value(ID["opdc-acp-2567/s1-a3-budget"], PG.footnoteMark)) == "¹"


def test_alignments_state_their_basis_and_are_materialised(data: Graph) -> None:
    alignments = list(data.subjects(RDF.type, PG.Alignment))
    bases = Counter(str(data.value(a, PG.basis)).removeprefix(str(PG)) for a in alignments)
    assert bases == {"Stated": 20, "Inferred": 23}
    supports = {t for t in derive(data) if t[1] == PG.supports}
    assert len(supports) == len({(data.value(a, PG.fromElement), data.value(a, PG.toElement))
                                 for a in alignments})


def test_every_plan_element_is_placed_in_exactly_one_plan(data: Graph) -> None:
    in_plan: dict[object, set[object]] = {}
    for element, _, plan in (t for t in derive(data) if t[1] == PG.inPlan):
        in_plan.setdefault(element, set()).add(plan)
    assert all(len(plans) == 1 for plans in in_plan.values())
    assert in_plan[ID["opdc-acp-2567/s1-a3"]] == {ID["opdc-acp-2567"]}
    assert in_plan[ID["opdc-acp-2567/s1-a4-i2"]] == {ID["opdc-acp-2567"]}
    assert in_plan[ID["mp21/sp1-target"]] == {ID["mp21"]}
    assert in_plan[ID["ns"]] == {ID["ns"]}
    # Every plan, and every component, target and indicator of a plan, is placed.
    plans = set(data.subjects(PG.planLevel, None))
    placed = {e for e in in_plan if in_plan[e] & plans}
    assert plans <= placed
    standard_set = set(data.subjects(RDF.type, PG.StandardSet))
    for kind in (PG.Strategy, PG.Tactic, PG.Project, PG.Activity, PG.Target, PG.Indicator):
        for element in data.subjects(RDF.type, kind):
            if not set(data.transitive_objects(element, PG.partOf)) & standard_set:
                assert element in placed or kind == PG.Indicator, element


def test_no_official_codes_are_invented(data: Graph) -> None:
    # eMENSCR target codes are unconfirmed in the sources: none may appear as a notation.
    notations = {str(n) for n in data.objects(None, SKOS.notation)}
    assert not any(re.fullmatch(r"\d{6}", n) for n in notations)
    assert notations <= {"1", "2", "3", "4", "5", "6", "13", "21", "4.1", "4.2"}


def test_not_stated_is_never_zero(data: Graph) -> None:
    for budget in data.subjects(PG.budgetStatus, PG.BudgetNotStated):
        assert (budget, PG.amount, None) not in data
    for indicator in data.subjects(RDF.type, PG.Indicator):
        value = data.value(indicator, PG.targetValue)
        if value is not None and Decimal(str(value)) == 0:
            # The only zero target is s2-a2's "ไม่มีเรื่องร้องเรียน" (no complaints), stated.
            assert indicator == ID["opdc-acp-2567/s2-a2-i1"]

