"""Mutants of the bundled files, made from the shapes, for the SHACL mutation suite.

Each mutant is one small change to one file (or to the derived facts), aimed at one constraint
of one node shape: a value a shape requires taken away, one value too many, a value of the wrong
kind (text where a number or date belongs, an IRI nothing describes, a negative number, a start
after its end, a label in another language). The shapes are read here with rdflib, apart from
the fast validator's own reader, so the suite does not inherit that reader's mistakes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from policygraph.namespaces import PREFIXES, SH

__all__ = ["DERIVED", "Mutant", "make_mutants"]

#: The stem that stands for the derived graph.
DERIVED = "derived"
EX = "https://example.org/mutant/"
#: Which change breaks which constraint.
OPERATORS = {
    SH.minCount: "drop", SH.qualifiedMinCount: "drop", SH.maxCount: "extra",
    SH.uniqueLang: "extra-same-language", SH.datatype: "text", SH.pattern: "text",
    SH.minLength: "empty", SH["class"]: "unknown", SH["or"]: "unknown", SH.xone: "unknown",
    SH["in"]: "unknown", SH.hasValue: "unknown", SH.minInclusive: "negative",
    SH.lessThanOrEquals: "after", SH.disjoint: "same-as", SH.languageIn: "other-language",
}
#: Each shape gets at least this many mutants where its targets allow.
MUTANTS_PER_SHAPE = 3
_TERM = re.compile(r"\b(pg|skos|dcterms|org|prov):([a-z]\w*)")


@dataclass(frozen=True)
class Mutant:
    """One change to one file: ``removed`` from and ``added`` to the graph of ``stem``."""

    shape: str  # the node shape aimed at (its IRI)
    name: str
    stem: str
    removed: tuple[tuple[Node, Node, Node], ...]
    added: tuple[tuple[Node, Node, Node], ...]

    def apply(self, graph: Graph) -> Graph:
        """A copy of ``graph`` with the change made."""
        copy = Graph()
        copy += graph
        for triple in self.removed:
            copy.remove(triple)
        for triple in self.added:
            copy.add(triple)
        return copy


@dataclass(frozen=True)
class _Aim:
    path: URIRef
    inverse: bool
    operator: str
    other: URIRef | None = None  # the other property of sh:lessThanOrEquals / sh:disjoint


def _descendants(shapes: Graph, node: Node) -> Iterator[Node]:
    """The blank nodes under ``node`` (property shapes, sh:or members, qualified shapes)."""
    seen: set[Node] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        for _, value in shapes.predicate_objects(current):
            if isinstance(value, BNode) and value not in seen:
                seen.add(value)
                yield value
                todo.append(value)


def _aims(shapes: Graph, shape: URIRef) -> list[_Aim]:
    aims: list[_Aim] = []
    for node in _descendants(shapes, shape):
        path = shapes.value(node, SH.path)
        if path is None:
            continue
        inverse = isinstance(path, BNode)
        predicate = shapes.value(path, SH.inversePath) if inverse else path
        if not isinstance(predicate, URIRef):
            continue
        kinds = {p for p, _ in shapes.predicate_objects(node)}
        for member in _descendants(shapes, node):  # sh:or ( [ sh:class … ] … ), qualified shapes
            if shapes.value(member, SH.path) is None:
                kinds |= {p for p, _ in shapes.predicate_objects(member)}
        for kind in sorted(kinds & OPERATORS.keys()):
            other = shapes.value(node, kind) if kind in (SH.lessThanOrEquals, SH.disjoint) \
                else None
            aims.append(_Aim(predicate, inverse, OPERATORS[kind],
                             other if isinstance(other, URIRef) else None))
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        for predicate in shapes.objects(shape, target):
            aims.append(_Aim(predicate, False, "assert"))  # a link stated where none was
    for select in shapes.objects(None, SH.select):
        owners = {s for s in shapes.subjects(SH.select, select)}
        if not any(shapes.value(None, SH.sparql, owner) == shape for owner in owners):
            continue
        for prefix, local in sorted(set(_TERM.findall(str(select)))):
            predicate = URIRef(PREFIXES[prefix] + local)
            aims += [_Aim(predicate, False, "drop"), _Aim(predicate, False, "unknown")]
    return list(dict.fromkeys(aims))


def _targets(shapes: Graph, shape: URIRef, union: Graph) -> list[Node]:
    found: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        classes = set(union.transitive_subjects(RDFS.subClassOf, cls))
        for each in classes:
            found |= set(union.subjects(RDF.type, each))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        found |= set(union.subjects(predicate, None))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        found |= set(union.objects(None, predicate))
    return sorted(found, key=lambda node: (isinstance(node, BNode), str(node)))


def _holder(files: dict[str, Graph], focus: Node, aim: _Aim) -> str | None:
    """The file that holds ``focus``'s values of the path, else the first that describes it."""
    for stem, graph in files.items():
        if (None, aim.path, focus) in graph if aim.inverse else (focus, aim.path, None) in graph:
            return stem
    return next((stem for stem, graph in files.items() if (focus, None, None) in graph), None)


def _values(graph: Graph, focus: Node, aim: _Aim) -> list[Node]:
    if aim.inverse:
        return sorted(graph.subjects(aim.path, focus), key=str)
    return sorted(graph.objects(focus, aim.path), key=str)


def _change(graph: Graph, union: Graph, focus: Node, aim: _Aim
            ) -> tuple[list[tuple[Node, Node, Node]], list[tuple[Node, Node, Node]]] | None:
    """(removed, added) for ``aim`` on ``focus``, or None when it cannot apply there."""
    values = _values(graph, focus, aim)
    if aim.inverse:
        if aim.operator != "drop" or not values:
            return None
        return [(s, aim.path, focus) for s in values], []
    own = [(focus, aim.path, v) for v in values]
    first = values[0] if values else None

    def replaced(new: Node) -> tuple[list, list] | None:
        return (own, [(focus, aim.path, new)]) if values else None

    match aim.operator:
        case "assert":
            return [], [(focus, aim.path, URIRef(EX + "nothing-describes-this"))]
        case "drop":
            return (own, []) if values else None
        case "extra":
            others = sorted({v for _, v in union.subject_objects(aim.path)
                             if v not in values and type(v) is type(first)}, key=str)
            return ([], [(focus, aim.path, others[0])]) if values and others else None
        case "extra-same-language":
            if not isinstance(first, Literal) or first.language is None:
                return None
            return [], [(focus, aim.path, Literal(f"{first} (อีกชื่อ)", lang=first.language))]
        case "text":
            return replaced(Literal("not what belongs here"))
        case "empty":
            lang = first.language if isinstance(first, Literal) else None
            return replaced(Literal("", lang=lang))
        case "unknown":
            return replaced(URIRef(EX + "nothing-describes-this"))
        case "negative":
            datatype = first.datatype if isinstance(first, Literal) and first.datatype \
                else XSD.integer
            return replaced(Literal("-1", datatype=datatype))
        case "other-language":
            return replaced(Literal(str(first), lang="fr")) if isinstance(first, Literal) \
                else None
        case "after":
            end = graph.value(focus, aim.other) if aim.other is not None else None
            if not isinstance(end, Literal) or not isinstance(end.toPython(), date):
                return None
            later = end.toPython() + timedelta(days=1)
            return replaced(Literal(later.isoformat(), datatype=XSD.date))
        case "same-as":
            other = graph.value(focus, aim.other) if aim.other is not None else None
            return replaced(other) if other is not None else None
    raise AssertionError(aim.operator)


def make_mutants(shapes: Graph, files: dict[str, Graph], union: Graph) -> list[Mutant]:
    """Every mutant the shapes aim at, each on a focus chosen by a seeded draw.

    Args:
        shapes: The shapes graph.
        files: The graph of each bundled file by stem, and the derived graph as ``DERIVED``.
        union: All of them with the ontology (where targets and other values are looked up).
    """
    mutants = []
    for shape in sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape)
                        if isinstance(s, URIRef)):
        local = str(shape).rsplit("#", 1)[-1]
        draw = random.Random(local)
        targets = _targets(shapes, shape, union)
        typed = sorted({s for stem, graph in files.items() if stem != DERIVED
                        for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str)
        found = {}
        for aim in _aims(shapes, shape):
            candidates = []
            for focus in typed if aim.operator == "assert" else targets:
                stem = _holder(files, focus, aim)
                change = _change(files[stem], union, focus, aim) if stem else None
                if stem is not None and change is not None:
                    candidates.append((stem, change))
            if candidates:
                found[aim] = candidates
        per_aim = -(-MUTANTS_PER_SHAPE // max(len(found), 1))  # at least that many a shape
        for aim, candidates in found.items():
            predicate = str(aim.path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            name = f"{local}-{'^' if aim.inverse else ''}{predicate}-{aim.operator}"
            chosen = draw.sample(candidates, min(per_aim, len(candidates)))
            for number, (stem, (removed, added)) in enumerate(chosen):
                mutants.append(Mutant(str(shape), name + (f"-{number + 1}" if number else ""),
                                      stem, tuple(removed), tuple(added)))
    return mutants
