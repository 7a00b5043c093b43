"""The facts derived from all the graphs at once, kept in the named graph ``DERIVED_GRAPH``.

The questions planners and auditors ask most (trace up and down, coverage, gaps for a year,
the budget roll-up) all walk the same chains of upward links, and a chain crosses files. So the
walk is done once, when graphs are loaded or replaced, over every graph, and its result is
stored for the queries to read (the graph itself has ``dcterms:type pg:DerivedFacts``):

- ``e pg:reachesStated t`` or ``e pg:reachesInferred t``, exactly one per pair: ``e`` reaches
  ``t`` (:mod:`policygraph.load.closure`), by a stated chain, or only through an inferred
  alignment (the strongest basis of any chain). Both are sub-properties of ``pg:reaches``;
  the plan level of ``t`` is one hop away, ``t pg:inPlan/pg:planLevel``.
- ``t pg:supportedInYear "Y"^^xsd:gYear``: a project or activity of a plan of fiscal year Y
  reaches ``t``.
- one ``pg:BudgetRollup`` per target-like element (target, strategy, sub-plan, milestone,
  tactic) that a project or activity reaches: ``pg:rollupOf`` the element, how many work-item
  budgets reach it (``pg:workItems``), how many distinct work items (``pg:supportingWorkItems``,
  what coverage counts), the sum of their stated amounts (``pg:statedTotal``) and
  how many are stated, "no budget used" and not stated. A work item counts once per distinct
  (status, amount) of its budgets, and one with no budget record counts as not stated: never as
  zero.

Reading is through SPARQL ``SELECT`` queries with ``GRAPH ?g`` on any store (:class:`Reader`),
so the embedded store, a staging store of new files and a remote server give the same facts;
an alignment's parts and a budget record's parts are read within the graph that holds them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from policygraph.load.closure import closure_of
from policygraph.namespaces import DCTERMS, DERIVED_GRAPH, PG, PREFIXES, RDF, ROLLUP, XSD

__all__ = ["ROLLUP_KINDS", "WORK_KINDS", "Facts", "Inputs", "Reader", "Rollup", "derive_facts",
           "ox_reader", "read_inputs", "rollup_iri", "rollup_quads", "rows_of"]

#: The kinds of element a budget is rolled up to, and the kinds of work item that carry one.
ROLLUP_KINDS = frozenset(str(PG[k]) for k in ("Target", "Strategy", "SubPlan", "Milestone",
                                               "Tactic"))
WORK_KINDS = frozenset(str(PG[k]) for k in ("Project", "Activity"))

#: ``reader(select_text)`` yields each solution's values (``None`` when unbound), in the order
#: the query projects them; the first is always the graph.
Reader = Callable[[str], Iterable[tuple[str | None, ...]]]

_STRUCTURE = """SELECT ?g ?s ?o WHERE {
  VALUES ?p { pg:partOf pg:targetOf pg:indicatorOf }
  GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s) && isIRI(?o)) }"""
_SUPPORTS = """SELECT ?g ?s ?o WHERE {
  GRAPH ?g { ?s pg:supports ?o } FILTER (isIRI(?s) && isIRI(?o)) }"""
_STATED = """SELECT DISTINCT ?g ?s ?o WHERE {
  GRAPH ?g { ?a pg:basis pg:Stated ; pg:fromElement ?s ; pg:toElement ?o }
  FILTER (isIRI(?s) && isIRI(?o)) }"""
_KINDS = """SELECT ?g ?s ?k WHERE {
  VALUES ?k { pg:Project pg:Activity pg:Target pg:Strategy pg:SubPlan pg:Milestone pg:Tactic }
  GRAPH ?g { ?s a ?k } FILTER (isIRI(?s)) }"""
_YEARS = """SELECT ?g ?s ?y WHERE {
  GRAPH ?g { ?s pg:inPlan ?plan . ?plan pg:fiscalYear ?y } FILTER (isIRI(?s)) }"""
# The amount's text when it is a number; a non-number makes the total unknown, as SUM would.
_BUDGETS = """SELECT ?g ?s ?status ?value ?amount WHERE {
  GRAPH ?g { ?s pg:budget ?b
    OPTIONAL { ?b pg:budgetStatus ?status OPTIONAL { ?b pg:amount ?amount } } }
  BIND (IF(isNumeric(?amount), STR(?amount), "") AS ?value)
  FILTER (isIRI(?s)) }"""


@dataclass
class Inputs:
    """What the facts are derived from, read from every graph that counts."""

    #: The documents' structure (always stated), pg:supports links, and the pairs of the
    #: alignments whose basis is pg:Stated.
    structure: set[tuple[str, str]] = field(default_factory=set)
    supports: set[tuple[str, str]] = field(default_factory=set)
    stated_alignments: set[tuple[str, str]] = field(default_factory=set)
    kinds: dict[str, set[str]] = field(default_factory=dict)
    years: dict[str, set[str]] = field(default_factory=dict)
    #: Work item -> its distinct (status, amount); the amount is "" when it is not a number.
    budgets: dict[str, set[tuple[str | None, str | None]]] = field(default_factory=dict)


def read_inputs(reader: Reader, keep: Callable[[str], bool], into: Inputs | None = None
                ) -> Inputs:
    """Read the inputs from the graphs ``keep(graph IRI)`` accepts, adding to ``into``."""
    inputs = into if into is not None else Inputs()
    for query, pairs in ((_STRUCTURE, inputs.structure), (_SUPPORTS, inputs.supports),
                         (_STATED, inputs.stated_alignments)):
        pairs.update((s, o) for g, s, o in reader(query) if g and keep(g))  # type: ignore[misc]
    for query, table in ((_KINDS, inputs.kinds), (_YEARS, inputs.years)):
        for g, subject, value in reader(query):
            if g and keep(g):
                table.setdefault(subject, set()).add(value)  # type: ignore[arg-type]
    for g, subject, status, value, amount in reader(_BUDGETS):
        if g and keep(g):
            shown = None if amount is None else value
            inputs.budgets.setdefault(subject, set()).add((status, shown))  # type: ignore[arg-type]
    return inputs


def ox_reader(store: ox.Store) -> Reader:
    """A :data:`Reader` over a pyoxigraph store (each graph as it is, no union)."""

    def read(query: str) -> Iterator[tuple[str | None, ...]]:
        solutions = store.query(query, prefixes=PREFIXES)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("a Reader runs SELECT queries only")
        for solution in solutions:
            yield tuple(None if term is None else term.value for term in solution)

    return read


@dataclass
class Rollup:
    """One element's budget roll-up as it is counted (see the module's docstring)."""

    work_items: int = 0
    #: How many distinct work items reach the element (each once, whatever its budgets).
    works: int = 0
    #: None when an amount is not a number: the sum is unknown, as SPARQL's SUM would say.
    total: Decimal | None = Decimal(0)
    stated: int = 0
    no_budget: int = 0
    not_stated: int = 0

    def add(self, status: str | None, amount: str | None, sign: int = 1) -> None:
        """Count one work-item budget (``sign=-1`` takes one away: an exact inverse, except
        for an amount that is not a number, which leaves the total unknown)."""
        self.work_items += sign
        if amount is not None and self.total is not None:
            try:
                self.total += sign * Decimal(amount)
            except InvalidOperation:
                self.total = None
        if status == _BUDGET_STATED:
            self.stated += sign
        elif status == _NO_BUDGET:
            self.no_budget += sign
        elif status is None or status == _NOT_STATED:
            self.not_stated += sign

    def add_work(self, rows: Iterable[tuple[str | None, str | None]], sign: int = 1) -> None:
        """Count one work item with its budget rows (see :func:`rows_of`); ``sign=-1`` takes
        it away."""
        self.works += sign
        for status, amount in rows:
            self.add(status, amount, sign)

    @property
    def empty(self) -> bool:
        """True when no work-item budget is counted (then there is no roll-up)."""
        return self.work_items == 0


_BUDGET_STATED, _NO_BUDGET, _NOT_STATED = (str(PG[k]) for k in ("BudgetStated", "NoBudget",
                                                                 "BudgetNotStated"))


@dataclass(frozen=True)
class Facts:
    """The derived facts, as plain values; :meth:`quads` writes them into ``DERIVED_GRAPH``."""

    reaches: dict[str, frozenset[str]]
    stated: dict[str, frozenset[str]]
    supported: dict[str, frozenset[str]]
    rollups: dict[str, Rollup]

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """Every fact as a quad of the derived graph (or of ``graph``, a stand-in for it while
        it is written), in a stable order."""
        name = ox.NamedNode(str(DERIVED_GRAPH))
        graph = graph or name
        # The graph says what it is (dcterms:type, so it is no typed element of the data), and
        # a store with no facts to derive still has it.
        yield ox.Quad(name, _node(DCTERMS.type), _node(PG.DerivedFacts), graph)
        stated_p, inferred_p = _node(PG.reachesStated), _node(PG.reachesInferred)
        for element in sorted(self.reaches):
            subject, stated = ox.NamedNode(element), self.stated.get(element, frozenset())
            for target in sorted(self.reaches[element]):
                predicate = stated_p if target in stated else inferred_p
                yield ox.Quad(subject, predicate, ox.NamedNode(target), graph)
        supported, year_type = _node(PG.supportedInYear), _node(XSD.gYear)
        for element in sorted(self.supported):
            for year in sorted(self.supported[element]):
                yield ox.Quad(ox.NamedNode(element), supported,
                              ox.Literal(year, datatype=year_type), graph)
        for element in sorted(self.rollups):
            yield from rollup_quads(element, self.rollups[element], graph)


def _node(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def rollup_iri(element: str) -> str:
    """The IRI of an element's budget roll-up node (a hash of the element's IRI)."""
    return str(ROLLUP[hashlib.sha256(element.encode()).hexdigest()[:32]])


def rollup_quads(element: str, rollup: Rollup, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    node = ox.NamedNode(rollup_iri(element))
    integer, decimal = _node(XSD.integer), _node(XSD.decimal)
    yield ox.Quad(node, _node(PG.rollupOf), ox.NamedNode(element), graph)
    yield ox.Quad(node, _node(RDF.type), _node(PG.BudgetRollup), graph)
    for predicate, count in ((PG.workItems, rollup.work_items),
                             (PG.supportingWorkItems, rollup.works),
                             (PG.budgetsStated, rollup.stated),
                             (PG.budgetsNoBudget, rollup.no_budget),
                             (PG.budgetsNotStated, rollup.not_stated)):
        yield ox.Quad(node, _node(predicate), ox.Literal(str(count), datatype=integer), graph)
    if rollup.total is not None:
        yield ox.Quad(node, _node(PG.statedTotal),
                      ox.Literal(format(rollup.total, "f"), datatype=decimal), graph)


def derive_facts(inputs: Inputs) -> Facts:
    """The facts the inputs give (all of them; see the module's docstring).

    A link is stated when it is structure, or a pg:supports link that a stated alignment makes.
    """
    stated = inputs.structure | (inputs.supports & inputs.stated_alignments)
    result = closure_of(inputs.structure | inputs.supports, stated)
    supported: dict[str, set[str]] = {}
    rollups: dict[str, Rollup] = {}
    works = [s for s, kinds in inputs.kinds.items() if kinds & WORK_KINDS]
    for work in sorted(works):
        above = result.reaches.get(work, frozenset())
        for year in inputs.years.get(work, ()):
            for target in above:
                supported.setdefault(target, set()).add(year)
        rows = rows_of(inputs, work)
        for target in above:
            if inputs.kinds.get(target, set()) & ROLLUP_KINDS:
                rollups.setdefault(target, Rollup()).add_work(rows)
    return Facts(result.reaches, result.stated,
                 {t: frozenset(years) for t, years in supported.items()}, rollups)


def rows_of(inputs: Inputs, work: str) -> set[tuple[str | None, str | None]]:
    """What a work item adds to a roll-up: each distinct (status, amount) of its budgets, or
    one not stated budget when it has no budget record."""
    return inputs.budgets.get(work) or {(None, None)}
