"""The fast validator (SHACL compiled to SPARQL on pyoxigraph) gives pySHACL's findings.

pySHACL (:data:`policygraph.load.validate.REFERENCE_VALIDATOR`) is the reference for what the shapes
mean. Findings are compared whole: severity, focus node and its label, path, value, both
messages, the shape, and (through the load path) the file:line they point at.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.load.checks import check_files, check_store
from policygraph.load.loader import load_many
from policygraph.load.validate import REFERENCE_VALIDATOR, VALIDATOR, validate_graph
from policygraph.namespaces import DCTERMS, ORG, PG, SH
from policygraph.resources import data_files, ontology_files
from policygraph.shacl.engine import SparqlValidator
from policygraph.shacl.findings import Finding, ValidationReport
from policygraph.shacl.shapes import UnsupportedShapes, reporting_shapes
from policygraph.store import OxigraphStore
from tests.helpers import derived_graph

SHAPES_DIR = Path(__file__).parents[1] / "resources" / "shapes"
FIXTURES = sorted(SHAPES_DIR.glob("*.ttl"))
FAST = SparqlValidator()


def _key(finding: Finding) -> tuple[str, ...]:
    return (finding.severity, str(finding.focus), finding.focus_label, finding.path,
            finding.value, finding.message_th, finding.message_en, finding.shape,
            finding.location)


def _same(reference: ValidationReport, fast: ValidationReport) -> None:
    expected, got = Counter(map(_key, reference.findings)), Counter(map(_key, fast.findings))
    assert got == expected, f"only pySHACL: {expected - got}\nonly fast: {got - expected}"
    assert fast.conforms == reference.conforms


_graph = derived_graph


def test_validator_is_the_fast_one() -> None:
    assert isinstance(VALIDATOR, SparqlValidator)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_every_shape_fixture_gives_pyshacls_findings(fixture: Path) -> None:
    graph = _graph(SHAPES_DIR / "valid-plan.ttl", fixture)
    reference = validate_graph(graph)
    _same(reference, FAST(graph, None))
    assert reference.findings or fixture.stem == "valid-plan"  # each invalid fixture fires


def test_bundled_data_gives_pyshacls_findings() -> None:
    graph = _graph(*data_files())
    reference, fast = validate_graph(graph), FAST(graph, None)
    _same(reference, fast)
    assert (len(fast.violations), len(fast.warnings)) == (0, 2)


def test_context_is_used_but_not_reported() -> None:
    files = {path.stem: path for path in data_files()}
    plan = _graph(files["opdc-acp-2567"])
    context = _graph(*(p for stem, p in files.items() if stem != "opdc-acp-2567"))
    _same(validate_graph(plan, context), FAST(plan, context))
    _same(validate_graph(plan), FAST(plan, None))  # unresolved links without the context
    assert not FAST(plan, None).conforms


def _first(graph: Graph, cls: URIRef, index: int = 0) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls), key=str)[index]  # type: ignore[return-value]


def plant_errors(g: Graph) -> None:
    """Break a conforming synthetic plan in every way the shapes check (and some odd ways)."""
    a1, a2, a3 = (_first(g, PG.Activity, i) for i in range(3))
    s1, t1 = _first(g, PG.Strategy), _first(g, PG.Tactic)
    plan = sorted(g.subjects(PG.planLevel, PG.Level3), key=str)[0]
    sched, sched2 = _first(g, PG.Schedule), _first(g, PG.Schedule, 1)
    bud, bud2, bud3 = (_first(g, PG.Budget, i) for i in range(3))
    ind, ind2 = _first(g, PG.Indicator), _first(g, PG.Indicator, 1)
    al, al2, al3 = (_first(g, PG.Alignment, i) for i in range(3))
    doc, org = _first(g, PG.SourceDocument), _first(g, ORG.Organization)

    def ex(name: str) -> URIRef:
        return URIRef("https://example.org/planted/" + name)

    # Labels: no English one, two Thai ones, empty ones, a Thai one with a region subtag.
    g.remove((a1, SKOS.prefLabel, None))
    g.add((a1, SKOS.prefLabel, Literal("ชื่อเดียว", lang="th")))
    g.add((a2, SKOS.prefLabel, Literal("ชื่อที่สอง", lang="th")))
    g.add((t1, SKOS.prefLabel, Literal("", lang="fr")))
    g.add((org, SKOS.prefLabel, Literal("", lang="th")))
    g.remove((s1, SKOS.prefLabel, None))
    g.add((s1, SKOS.prefLabel, Literal("ยุทธศาสตร์", lang="th-TH")))
    # Datatypes: an ill-typed integer, a plain string, a gYear rdflib does not check, a
    # date that does not exist.
    g.add((s1, PG.sequence, Literal("1.5", datatype=XSD.integer)))
    g.add((t1, PG.sequence, Literal("x")))
    g.add((plan, PG.fiscalYear, Literal("abcd", datatype=XSD.gYear)))
    g.remove((plan, PG.startDate, None))
    g.add((plan, PG.startDate, Literal("2023-02-30", datatype=XSD.date)))
    # Schedules: backwards, a precision not in the list, a start that is not a date.
    start, end = g.value(sched, PG.startDate), g.value(sched, PG.endDate)
    assert start is not None and end is not None
    g.remove((sched, PG.startDate, None))
    g.remove((sched, PG.endDate, None))
    g.add((sched, PG.startDate, end))
    g.add((sched, PG.endDate, start))
    g.add((sched, PG.startPrecision, PG.Level1))
    g.remove((sched2, PG.startDate, None))
    g.add((sched2, PG.startDate, Literal("2024-01", datatype=XSD.gYearMonth)))
    # Budgets: negative, lowercase currency, "no budget" with an amount, integer and text amounts.
    g.remove((bud, PG.amount, None))
    g.add((bud, PG.amount, Literal("-5.5", datatype=XSD.decimal)))
    g.remove((bud, PG.currency, None))
    g.add((bud, PG.currency, Literal("thb")))
    g.remove((bud2, PG.budgetStatus, None))
    g.add((bud2, PG.budgetStatus, PG.NoBudget))
    g.add((bud2, PG.amount, Literal("12", datatype=XSD.integer)))
    g.remove((bud3, PG.budgetStatus, None))
    g.add((bud3, PG.budgetStatus, PG.BudgetNotStated))
    g.add((bud3, PG.amount, Literal("abc")))
    # Indicators: no comparator (a SPARQL constraint), an unknown measure, no target at all.
    g.remove((ind, PG.comparator, None))
    g.add((ind, PG.measure, ex("not-a-measure")))
    for predicate in (PG.targetValue, PG.comparator, PG.unit, PG.targetLevel):
        g.remove((ind2, predicate, None))
    # Alignments: to itself, inferred without rationale, untagged evidence, no evidence.
    source = g.value(al, PG.fromElement)
    assert source is not None
    g.remove((al, PG.toElement, None))
    g.add((al, PG.toElement, source))
    g.remove((al2, PG.basis, None))
    g.remove((al2, PG.rationale, None))
    g.add((al2, PG.basis, PG.Inferred))
    g.remove((al2, PG.evidence, None))
    g.add((al2, PG.evidence, Literal("plain evidence")))
    g.remove((al3, PG.evidence, None))
    g.remove((al3, PG.evidenceLocation, None))
    # A "supports" link no alignment backs; a source location (a blank node) without document.
    g.add((a3, PG.supports, s1))
    location = g.value(a2, PG.sourceLocation)
    g.remove((location, PG.document, None))
    # Work items: a unit that is text; no schedule, budget, indicator (an inverse path).
    g.add((a3, PG.responsibleUnit, Literal("กองหนึ่ง")))
    g.remove((a2, PG.schedule, None))
    g.remove((a2, PG.budget, None))
    for indicator in list(g.subjects(PG.indicatorOf, a2)):
        g.remove((indicator, PG.indicatorOf, a2))
        g.add((indicator, PG.indicatorOf, a3))
    # Components: two parents, a parent that is nothing known, a loop.
    g.add((t1, PG.partOf, plan))
    g.add((a1, PG.partOf, ex("nowhere")))
    for name, parent in (("loop-1", "loop-2"), ("loop-2", "loop-1")):
        g.add((ex(name), RDF.type, PG.Tactic))
        g.add((ex(name), PG.partOf, ex(parent)))
    # Observations: neither value nor rank, a text measure; rank 0 and a text rank.
    g.add((ex("observation-1"), RDF.type, PG.Observation))
    g.add((ex("observation-1"), PG.measure, Literal("index")))
    g.add((ex("observation-2"), RDF.type, PG.Observation))
    g.add((ex("observation-2"), PG.rank, Literal("0", datatype=XSD.integer)))
    g.add((ex("observation-2"), PG.rank, Literal("first")))
    # A target of nothing; a source document without a title and with two kinds.
    g.add((ex("target-1"), RDF.type, PG.Target))
    g.add((ex("target-1"), SKOS.prefLabel, Literal("เป้า", lang="th")))
    g.remove((doc, DCTERMS.title, None))
    g.add((doc, PG.sourceKind, PG.SecondarySource))
    # Derived facts, as a hand edit would leave them: a roll-up of two elements with counts that
    # do not add up, a pair reached both ways, a year that is text.
    rollup = ex("rollup-1")
    g.add((rollup, RDF.type, PG.BudgetRollup))
    g.add((rollup, PG.rollupOf, s1))
    g.add((rollup, PG.rollupOf, t1))
    for predicate, count in ((PG.workItems, 3), (PG.budgetsStated, 1), (PG.budgetsNoBudget, 0),
                             (PG.budgetsNotStated, -1)):
        g.add((rollup, predicate, Literal(count)))
    g.add((rollup, PG.statedTotal, Literal("many")))
    g.add((a1, PG.reachesStated, s1))
    g.add((a1, PG.reachesInferred, s1))
    g.add((t1, PG.supportedInYear, Literal("2567")))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic dataset with errors planted, as one Turtle file (not derived)."""
    directory = tmp_path_factory.mktemp("planted")
    graph = Graph()
    for path, _ in write_dataset(SynthSpec(agencies=2, years=1), directory / "synth"):
        graph.parse(path, format="turtle")
    plant_errors(graph)
    path = directory / "planted.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_planted_errors_give_pyshacls_findings(planted: Path) -> None:
    graph = _graph(planted)
    reference, fast = validate_graph(graph), FAST(graph, None)
    _same(reference, fast)
    shapes = {f.shape.removeprefix(str(PG)) for f in fast.findings}
    every = {s.named.removeprefix(str(PG)) for s in reporting_shapes(_shapes_graph())}
    assert shapes == every - {"PolicyDocumentShape"}, every - shapes
    assert len(fast.violations) > 40 and len(fast.warnings) > 10


def _bnodes_out(findings: list[Finding]) -> Counter[tuple[str, ...]]:
    # Each path parses the file itself, so blank nodes have different names.
    return Counter(_key(f) if isinstance(f.focus, URIRef) else ("_:", *_key(f)[2:])
                   for f in findings)


def test_planted_errors_through_the_load_path(planted: Path) -> None:
    [(_, fast)] = check_files(None, [planted], validate=VALIDATOR)
    [(_, reference)] = check_files(None, [planted], validate=REFERENCE_VALIDATOR)
    assert _bnodes_out(fast.findings) == _bnodes_out(reference.findings)
    assert all(f.location.startswith(f"{planted}:") for f in fast.findings
               if isinstance(f.focus, URIRef) and "planted/" not in str(f.focus))


def test_check_store_gives_pyshacls_findings(bundled_store: OxigraphStore) -> None:
    fast = dict(check_store(bundled_store, VALIDATOR))
    reference = dict(check_store(bundled_store, REFERENCE_VALIDATOR))
    assert fast.keys() == reference.keys()
    for graph in fast:
        assert _bnodes_out(fast[graph].findings) == _bnodes_out(reference[graph].findings)
    assert sum(len(r.warnings) for r in fast.values()) == 2


def test_numbers_and_dates_are_shown_as_the_store_keeps_them(tmp_path: Path) -> None:
    # The one difference from pySHACL: values are shown in their canonical form, as stored.
    graph = _graph(SHAPES_DIR / "valid-plan.ttl")
    budget = _first(graph, PG.Budget)
    graph.remove((budget, PG.amount, None))
    graph.add((budget, PG.amount, Literal("-5.00", datatype=XSD.decimal, normalize=False)))
    [reference] = [f for f in validate_graph(graph).findings if f.path == "pg:amount"]
    [fast] = [f for f in FAST(graph, None).findings if f.path == "pg:amount"]
    assert (reference.value, fast.value) == ("-5.00", "-5")
    assert _key(reference)[:4] + _key(reference)[5:] == _key(fast)[:4] + _key(fast)[5:]


def _shapes_graph() -> Graph:
    from policygraph.shacl.shapes import load_shapes

    return load_shapes()[0]


def test_unsupported_shapes_are_refused_not_half_checked(tmp_path: Path) -> None:
    for name in ("shapes.ttl", "shapes-warnings.ttl", "policygraph.ttl"):
        (tmp_path / name).write_bytes((ontology_files()[0].parent / name).read_bytes())
    with (tmp_path / "shapes-warnings.ttl").open("a", encoding="utf-8") as out:
        out.write("\npg:LongNameShape a sh:NodeShape ; sh:targetClass pg:Plan ;\n"
                  "    sh:property [ sh:path skos:prefLabel ; sh:maxLength 80 ;\n"
                  '        sh:message "ยาวไป"@th , "Too long."@en ] .\n')
    with pytest.raises(UnsupportedShapes, match="maxLength"):
        SparqlValidator(tmp_path)(Graph(), None)


def test_a_shape_without_message_is_refused(tmp_path: Path) -> None:
    shapes = Graph()
    shape = URIRef("https://example.org/NoMessageShape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, PG.Plan))
    from rdflib import BNode

    prop = BNode()
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, SKOS.prefLabel))
    shapes.add((prop, SH.minCount, Literal(1)))
    import pyoxigraph as ox

    from policygraph.shacl.engine import _Closure
    from policygraph.shacl.sparql import compile_checks

    with pytest.raises(UnsupportedShapes, match="sh:message"):
        compile_checks(reporting_shapes(shapes), _Closure(ox.Store()))


def test_load_and_validate_agree_on_the_bundled_store(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        reports = load_many(store, [*ontology_files(), *data_files()], validate=VALIDATOR)
        warned = [r for r in reports if r.warnings_report]
        assert [r.file.stem for r in warned] == ["national-strategy", "opdc-acp-2567"]
        assert all("0 violation(s), 1 warning(s)" in (r.warnings_report or "") for r in warned)


@pytest.mark.parametrize("location", ['"p. 3"', "<https://example.org/plan/nowhere>", "42"])
def test_findings_on_objects_nothing_describes_go_to_the_file_that_mentions_them(
        tmp_path: Path, location: str) -> None:
    """A source or evidence location that is a literal or a dangling IRI is reached by the
    shapes' sh:targetObjectsOf: its violation is reported for the file that names it (by both
    validators, through the load path), so that file does not load."""
    context = _graph(SHAPES_DIR / "valid-plan.ttl")
    element = _first(context, PG.Strategy)
    path = tmp_path / "bad-location.ttl"
    path.write_text(f"<{element}> <{PG.sourceLocation}> {location} .\n", encoding="utf-8")
    other = tmp_path / "innocent.ttl"
    other.write_text(f"<{element}> <{SKOS.note}> \"an innocent note\"@en .\n", encoding="utf-8")
    base = tmp_path / "valid-plan.ttl"
    base.write_text((SHAPES_DIR / "valid-plan.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    for validator in (VALIDATOR, REFERENCE_VALIDATOR):
        reports = dict(check_files(None, [base, path, other], validate=validator))
        bad = reports[path]
        assert not bad.conforms, validator
        assert {f.shape for f in bad.violations} == {str(PG.SourceLocationShape)}
        assert reports[other].conforms and reports[base].conforms
    fast = dict(check_files(None, [base, path], validate=VALIDATOR))[path]
    reference = dict(check_files(None, [base, path], validate=REFERENCE_VALIDATOR))[path]
    assert _bnodes_out(fast.findings) == _bnodes_out(reference.findings)
