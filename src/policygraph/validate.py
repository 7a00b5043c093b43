"""SHACL validation of plan graphs with pySHACL, reported in words a planner understands."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policygraph.namespaces import PREFIXES, SH, SKOS
from policygraph.resources import ontology_dir

__all__ = ["VALIDATOR", "Finding", "ShaclValidator", "ValidationReport", "load_shapes",
           "validate_graph", "validate_graphs"]

#: Shape files by severity; the warnings file holds only sh:Warning shapes.
SHAPE_FILES = ("shapes.ttl", "shapes-warnings.ttl")
ONTOLOGY_FILE = "policygraph.ttl"


@dataclass(frozen=True)
class Finding:
    """One SHACL result: the element it is about, what is wrong, and how bad it is."""

    severity: str  # "violation" | "warning" | "info"
    focus: Node
    focus_label: str
    path: str
    value: str
    message_th: str
    message_en: str
    shape: str  # the node shape (pg:<Class>Shape) the result comes from
    location: str = ""  # "file:line" where the element is described, when known

    def line(self) -> str:
        """Return a one-line description naming the element by label and IRI."""
        where = f"{self.focus_label} <{self.focus}>" if self.focus_label else f"<{self.focus}>"
        if self.location:
            where = f"{self.location}: {where}"
        value = f" = {self.value}" if self.value else ""
        detail = f" [{self.path}{value}]" if self.path else ""
        return f"{where}{detail}\n    {self.message_th}\n    {self.message_en}"


@dataclass
class ValidationReport:
    """The outcome of validating one graph; ``conforms`` is false when any violation remains."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        """Findings that make the graph malformed."""
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings a good plan would not have; they never block a load."""
        return [f for f in self.findings if f.severity != "violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings allowed)."""
        return not self.violations

    def locate(self, path: Path) -> ValidationReport:
        """A copy whose findings say on which line of ``path`` their element is described."""
        lines = _subject_lines(path)
        return ValidationReport(findings=[
            replace(f, location=f"{path}:{lines[f.focus]}") if f.focus in lines else f
            for f in self.findings
        ])

    def text(self) -> str:
        """Return the report as text: a summary line, then violations, then warnings."""
        head = (
            f"{'conforms' if self.conforms else 'does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        )
        parts = [head]
        for title, items in (("Violations / ข้อผิดพลาด", self.violations),
                             ("Warnings / คำเตือน", self.warnings)):
            if items:
                parts.append(f"\n{title}:")
                parts.extend(f"- {f.line()}" for f in items)
        return "\n".join(parts)


_PREFIX = re.compile(r"@prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>\s]+>|[\w.-]*:[^\s;,]*)\s")


def _subject_lines(path: Path) -> dict[Node, int]:
    """Where each subject's block starts in a Turtle file (first line that opens with it)."""
    prefixes: dict[str, str] = {}
    found: dict[Node, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return found
    for number, line in enumerate(text.splitlines(), 1):
        if declared := _PREFIX.match(line):
            prefixes[declared.group(1)] = declared.group(2)
            continue
        match = _SUBJECT.match(line)
        if not match:
            continue
        token = match.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        found.setdefault(URIRef(iri), number)
    return found


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


def validate_graph(
    data: Graph, context: Graph | None = None, *, shapes_dir: Path | None = None
) -> ValidationReport:
    """Validate ``data`` against the shapes, with ``context`` available for references.

    ``context`` holds the other graphs already in the store, so that links to elements of other
    plans resolve; findings are reported only for elements described in ``data``.
    """
    return validate_graphs([data], context, shapes_dir=shapes_dir)[0]


def validate_graphs(
    graphs: Sequence[Graph], context: Graph | None = None, *, shapes_dir: Path | None = None
) -> list[ValidationReport]:
    """Validate several graphs in one SHACL run; each report holds its own elements' findings.

    One run over the union is much faster than one run per file, and each graph still sees the
    others (and ``context``) when its references are checked.
    """
    shapes, ontology = load_shapes(shapes_dir)
    combined = Graph()
    for prefix, namespace in PREFIXES.items():
        combined.bind(prefix, namespace)
    for graph in [*graphs, *([context] if context is not None else [])]:
        for triple in graph:
            combined.add(triple)
    _, results, _ = shacl_validate(
        combined,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    findings = list(_findings(results, combined, shapes))
    reports = []
    for graph in graphs:
        own_subjects = set(graph.subjects())
        own = [f for f in findings if f.focus in own_subjects]
        own.sort(key=lambda f: (f.severity != "violation", str(f.focus), f.path, f.message_en))
        reports.append(ValidationReport(findings=own))
    return reports


class ShaclValidator:
    """The project's validator as loaders use it: one graph at a time, or a batch in one run."""

    def __call__(self, data: Graph, context: Graph | None) -> ValidationReport:
        """Validate one graph; see :func:`validate_graph`."""
        return validate_graph(data, context)

    def many(self, graphs: Sequence[Graph], context: Graph | None) -> list[ValidationReport]:
        """Validate several graphs in one run; see :func:`validate_graphs`."""
        return validate_graphs(graphs, context)


#: The default validator for :func:`policygraph.loader.load_many` and the CLI.
VALIDATOR = ShaclValidator()


def _node_shape(shapes: Graph, shape: Node | None) -> str:
    """The named node shape a (possibly blank, nested) result shape belongs to."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parents = [s for s, _ in shapes.subject_predicates(shape)]
        shape = parents[0] if parents else None
    return str(shape or "")


def _findings(results: Graph, data: Graph, shapes: Graph) -> Iterable[Finding]:
    severities: dict[Node, str] = {
        SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
    for result in results.subjects(predicate=SH.resultSeverity):
        severity = severities.get(results.value(result, SH.resultSeverity) or SH.Violation,
                                  "violation")
        focus = results.value(result, SH.focusNode)
        if focus is None:
            continue
        messages = {m.language: str(m) for m in results.objects(result, SH.resultMessage)
                    if isinstance(m, Literal)}
        # pySHACL reports one message for a SPARQL constraint: take the others from the shape.
        for source in (results.value(result, SH.sourceConstraint),
                       results.value(result, SH.sourceShape)):
            for message in shapes.objects(source, SH.message) if source is not None else ():
                if isinstance(message, Literal):
                    messages.setdefault(message.language, str(message))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        yield Finding(
            severity=severity,
            focus=focus,
            focus_label=_label(data, focus),
            path=_short(data, path) if isinstance(path, URIRef) else "",
            value=_short(data, value) if value is not None else "",
            message_th=messages.get("th", messages.get(None, "")),
            message_en=messages.get("en", messages.get(None, "")),
            shape=_node_shape(shapes, results.value(result, SH.sourceShape)),
        )


def _label(graph: Graph, node: Node) -> str:
    labels = {lit.language: str(lit) for lit in graph.objects(node, SKOS.prefLabel)
              if isinstance(lit, Literal)}
    return labels.get("th") or labels.get("en") or next(iter(labels.values()), "")


def _short(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return str(node)
