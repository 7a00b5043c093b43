"""The SHACL shapes as plain data: what :mod:`policygraph.shacl.sparql` compiles to SPARQL.

Only the SHACL Core features policygraph's shapes use are understood (see :data:`SUPPORTED`);
a shapes graph using anything else is refused with :class:`UnsupportedShapes`, never
half-checked. pySHACL (:mod:`policygraph.load.validate`) stays the reference for what the shapes
mean; ``tests/shacl/test_validate_equivalence.py`` holds the two to the same results.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from policygraph.namespaces import SH
from policygraph.resources import ontology_dir

__all__ = ["ONTOLOGY_FILE", "SHAPE_FILES", "SUPPORTED", "Constraint", "PathSpec", "Shape",
           "SparqlCheck", "UnsupportedShapes", "load_shapes", "reporting_shapes"]

#: Shape files by severity; the warnings file holds only sh:Warning shapes.
SHAPE_FILES = ("shapes.ttl", "shapes-warnings.ttl")
ONTOLOGY_FILE = "policygraph.ttl"

#: Constraint parameters understood, by SHACL predicate local name.
SUPPORTED = frozenset({
    "minCount", "maxCount", "class", "datatype", "in", "hasValue", "minLength", "pattern",
    "flags", "uniqueLang", "languageIn", "lessThanOrEquals", "disjoint", "minInclusive", "or",
    "xone", "qualifiedValueShape", "qualifiedMinCount", "sparql",
})
# Shape predicates that are not constraints.
_STRUCTURE = frozenset({
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "property", "path",
    "severity", "message", "name", "description", "order", "group", "declare", "prefixes",
})
_SEVERITIES: dict[Node, str] = {SH.Violation: "violation", SH.Warning: "warning",
                                 SH.Info: "info"}


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature the SPARQL compiler does not implement."""


@dataclass(frozen=True)
class PathSpec:
    """A property path: one predicate, forwards or inverse (``sh:inversePath``)."""

    predicate: str
    inverse: bool
    node: Node  # the sh:path value, as results report it


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter of a shape, e.g. ``Constraint("minCount", 1)``."""

    kind: str
    value: object


@dataclass(frozen=True)
class SparqlCheck:
    """An ``sh:sparql`` SELECT constraint with its prefixes and messages."""

    node: Node
    select: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[tuple[str | None, str], ...]


@dataclass
class Shape:
    """A node or property shape, with the named node shape its results are reported under."""

    node: Node
    named: str
    path: PathSpec | None = None
    severity: str = "violation"
    messages: dict[str | None, str] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    targets: list[tuple[str, Node]] = field(default_factory=list)


@lru_cache(maxsize=4)
def _cached_graph(paths: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def load_shapes(directory: Path | None = None) -> tuple[Graph, Graph]:
    """Return (shapes graph, ontology graph) read from the ontology directory (cached)."""
    base = directory or ontology_dir()
    shapes = _cached_graph(tuple(base / name for name in SHAPE_FILES))
    ontology = _cached_graph((base / ONTOLOGY_FILE,))
    return shapes, ontology


def reporting_shapes(shapes: Graph) -> list[Shape]:
    """The shapes with targets, each with its property shapes, read from a shapes graph.

    Raises:
        UnsupportedShapes: If a shape uses a feature outside :data:`SUPPORTED`, or a shape
            that reports results has no ``sh:message``.
    """
    return _reporting_shapes(shapes)


@lru_cache(maxsize=4)
def _reporting_shapes(shapes: Graph) -> list[Shape]:
    reader = _Reader(shapes)
    heads = {s for s in shapes.subjects(RDF.type, SH.NodeShape)}
    heads |= {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
              for s in shapes.subjects(p, None)}
    result = []
    for node in sorted(heads, key=str):
        shape = reader.shape(node, str(node) if isinstance(node, URIRef) else "", top=True)
        if shape.targets:
            result.append(shape)
    return result


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def shape(self, node: Node, named: str, *, top: bool = False) -> Shape:
        g = self.graph
        shape = Shape(node=node, named=named)
        for predicate in set(g.predicates(node, None)):
            if not isinstance(predicate, URIRef) or not str(predicate).startswith(str(SH)):
                continue  # rdf:type, labels and other annotations
            name = str(predicate)[len(str(SH)):]
            if name not in SUPPORTED and name not in _STRUCTURE:
                raise UnsupportedShapes(f"{node}: sh:{name} is not supported")
        if (path := g.value(node, SH.path)) is not None:
            shape.path = self._path(node, path)
        shape.severity = _SEVERITIES.get(g.value(node, SH.severity) or SH.Violation, "violation")
        shape.messages = {m.language: str(m) for m in g.objects(node, SH.message)
                          if isinstance(m, Literal)}
        for kind, value in (("class", o) for o in g.objects(node, SH.targetClass)):
            shape.targets.append((kind, value))
        shape.targets += [("subjectsOf", o) for o in g.objects(node, SH.targetSubjectsOf)]
        shape.targets += [("objectsOf", o) for o in g.objects(node, SH.targetObjectsOf)]
        shape.targets += [("node", o) for o in g.objects(node, SH.targetNode)]
        if shape.targets and not top:
            raise UnsupportedShapes(f"{node}: targets on a nested shape are not supported")
        shape.constraints = list(self._constraints(node, named))
        shape.properties = [self.shape(p, named) for p in sorted(g.objects(node, SH.property),
                                                                 key=str)]
        return shape

    def _path(self, node: Node, path: Node) -> PathSpec:
        if isinstance(path, URIRef):
            return PathSpec(str(path), False, path)
        inverse = self.graph.value(path, SH.inversePath)
        if isinstance(path, BNode) and isinstance(inverse, URIRef) and \
                len(list(self.graph.predicate_objects(path))) == 1:
            return PathSpec(str(inverse), True, path)
        raise UnsupportedShapes(f"{node}: only predicate and sh:inversePath paths are supported")

    def _constraints(self, node: Node, named: str) -> Iterator[Constraint]:
        g = self.graph
        for name in sorted(SUPPORTED - {"flags", "qualifiedMinCount", "qualifiedValueShape"}):
            for value in sorted(g.objects(node, SH[name]), key=str):
                yield self._constraint(node, named, name, value)
        qualified = list(g.objects(node, SH.qualifiedValueShape))
        minimum = g.value(node, SH.qualifiedMinCount)
        if qualified or minimum is not None:
            if len(qualified) != 1 or not isinstance(minimum, Literal):
                raise UnsupportedShapes(f"{node}: sh:qualifiedValueShape needs exactly one "
                                        "shape and a sh:qualifiedMinCount")
            yield Constraint("qualifiedMinCount",
                             (self.shape(qualified[0], named), int(minimum.toPython())))

    def _constraint(self, node: Node, named: str, name: str, value: Node) -> Constraint:
        g = self.graph
        if name in ("minCount", "maxCount", "minLength"):
            return Constraint(name, int(_literal(node, name, value).toPython()))
        if name == "uniqueLang":
            return Constraint(name, bool(_literal(node, name, value).toPython()))
        if name in ("class", "datatype", "lessThanOrEquals", "disjoint"):
            if not isinstance(value, URIRef):
                raise UnsupportedShapes(f"{node}: sh:{name} must be an IRI")
            return Constraint(name, value)
        if name in ("hasValue", "minInclusive"):
            return Constraint(name, value)
        if name in ("in", "languageIn"):
            return Constraint(name, tuple(Collection(g, value)))
        if name in ("or", "xone"):
            return Constraint(name, tuple(self.shape(s, named) for s in Collection(g, value)))
        if name == "pattern":
            flags = g.value(node, SH.flags)
            return Constraint(name, (str(value), str(flags) if flags is not None else ""))
        return Constraint(name, self._sparql(node, value))

    def _sparql(self, node: Node, constraint: Node) -> SparqlCheck:
        g = self.graph
        allowed = {SH.select, SH.message, SH.prefixes, SH.severity, RDF.type, RDFS.comment}
        extra = {str(p) for p in g.predicates(constraint, None)} - {str(a) for a in allowed}
        if extra:
            raise UnsupportedShapes(f"{node}: sh:sparql with {sorted(extra)} is not supported")
        select = g.value(constraint, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShapes(f"{node}: sh:sparql needs a sh:select query")
        prefixes = []
        for source in g.objects(constraint, SH.prefixes):
            for declaration in g.objects(source, SH.declare):
                prefix = g.value(declaration, SH.prefix)
                namespace = g.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    prefixes.append((str(prefix), str(namespace)))
        messages = tuple((m.language, str(m)) for m in g.objects(constraint, SH.message)
                         if isinstance(m, Literal))
        return SparqlCheck(constraint, str(select), tuple(sorted(set(prefixes))), messages)


def _literal(node: Node, name: str, value: Node) -> Literal:
    if not isinstance(value, Literal):
        raise UnsupportedShapes(f"{node}: sh:{name} must be a literal")
    return value
