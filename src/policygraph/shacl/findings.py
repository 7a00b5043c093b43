"""Validation findings and reports in words a planner understands, whichever validator ran.

Both validators (:mod:`policygraph.load.validate`, pySHACL, and :mod:`policygraph.shacl.engine`,
SPARQL on pyoxigraph) report through these types, so their output looks the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from policygraph.namespaces import PREFIXES

__all__ = ["Finding", "ValidationReport", "label_of", "namespace_manager", "short_name"]


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
        if not self.findings:
            return self
        lines = subject_lines(path, {f.focus for f in self.findings})
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
# Either kind of line start, found by one regex scan of the whole text (no Python loop per
# line): it starts with a literal newline (the text gets one in front), which the regex engine
# skips to quickly, and a subject's match runs on over the lines that follow with the same
# subject (one match per block). Like the per-line patterns above, no token crosses a line.
_LINE_START = re.compile(
    r"\n(?:(?P<prefix>@prefix[^\S\n]+([\w.-]*):[^\S\n]*<([^>\n]*)>)"
    r"|(?P<subject><[^>\s]+>|[\w.-]*:[^\s;,]*)[^\S\n][^\n]*(?:\n(?P=subject)[^\S\n][^\n]*)*)",
    re.IGNORECASE,
)
# Line breaks str.splitlines() knows besides "\n"; with any of them, count lines its way.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def subject_lines(path: Path, wanted: set[Node] | None = None) -> dict[Node, int]:
    """Where each subject's block starts in a Turtle file (first line that opens with it).

    Args:
        path: The Turtle file.
        wanted: Stop once all of these are found; None finds every subject.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if any(br in text for br in _OTHER_BREAKS):
        return _subject_lines_slow(text)
    prefixes: dict[str, str] = {}
    found: dict[Node, int] = {}
    missing = len(wanted) if wanted is not None else -1
    text = "\n" + text
    line, position = 0, 0
    seen: set[str] = set()  # tokens already resolved (a prefix declaration resets it)
    for match in _LINE_START.finditer(text):
        if match.group("prefix"):
            prefixes[match.group(2)] = match.group(3)
            seen.clear()
            continue
        token = match.group("subject")
        if token in seen:
            continue
        seen.add(token)
        node = _resolve(token, prefixes)
        if node is None or node in found:
            continue
        line += text.count("\n", position, match.start() + 1)
        position = match.start() + 1
        found[node] = line
        if wanted is not None and node in wanted:
            missing -= 1
            if missing == 0:
                break
    return found


def _subject_lines_slow(text: str) -> dict[Node, int]:
    prefixes: dict[str, str] = {}
    found: dict[Node, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if declared := _PREFIX.match(line):
            prefixes[declared.group(1)] = declared.group(2)
            continue
        match = _SUBJECT.match(line)
        if not match:
            continue
        node = _resolve(match.group(1), prefixes)
        if node is not None:
            found.setdefault(node, number)
    return found


def _resolve(token: str, prefixes: dict[str, str]) -> URIRef | None:
    """The IRI a subject token (``<iri>`` or ``prefix:local``) names; None for an unknown
    prefix."""
    if token.startswith("<"):
        return URIRef(token[1:-1])
    prefix, _, local = token.partition(":")
    return URIRef(prefixes[prefix] + local) if prefix in prefixes else None


def label_of(labels: Iterable[tuple[str | None, str]]) -> str:
    """The label to name an element by: Thai, else English, else any; (language, text) pairs.

    With several labels in one language (a uniqueLang violation), the first in sort order, so
    that every validator and every run names the element alike.
    """
    chosen: dict[str | None, str] = {}
    for language, text in labels:
        if language not in chosen or text < chosen[language]:
            chosen[language] = text
    for language in ("th", "en"):
        if chosen.get(language):
            return chosen[language]
    return next((chosen[k] for k in sorted(chosen, key=lambda k: k or "") if chosen[k]), "")


@lru_cache(maxsize=1)
def namespace_manager() -> NamespaceManager:
    """The prefixes findings abbreviate IRIs with: rdflib's defaults plus :data:`PREFIXES`."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.namespace_manager


def short_name(node: Node) -> str:
    """An IRI as ``prefix:local`` when a prefix is known (else ``<iri>``); other terms as text."""
    if isinstance(node, URIRef):
        return namespace_manager().normalizeUri(node)
    if isinstance(node, Literal):
        return str(node)
    return str(node)
