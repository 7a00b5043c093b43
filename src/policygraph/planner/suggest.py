"""Rank the known targets an element could be aligned to, with BM25 over Thai and English words.

Why BM25: the corpus is small (tens to thousands of targets), each target's text is short, and a
planner must see *why* a target is suggested; BM25 (Okapi, k1=1.5, b=0.75) ranks by shared
words weighted by rarity, so the shared words are the explanation. Thai has no spaces between
words: PyThaiNLP's ``newmm`` tokenizer segments it with the dictionary bundled in the package
(offline). A target's text is its labels, description and indicators plus the evidence quoted
by the alignments that already point to it, so links analysts have made teach the ranking.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from policygraph.namespaces import PG

__all__ = ["Suggester", "Suggestion", "TargetIndex", "candidates", "element_text", "tokens"]

_KINDS = (PG.Plan, PG.StandardSet, PG.Strategy, PG.SubPlan, PG.Milestone, PG.Tactic,
          PG.StandardItem, PG.Target, PG.Indicator)
_WORD = re.compile(r"[a-z]{3,}|[\u0e00-\u0e7f]{2,}")
_EN_STOP = frozenset("the and for with from that this its are was were has have into of to in "
                     "on by as at or an be is it their which".split())


@lru_cache(maxsize=1)
def _thai_stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Words of a Thai and/or English text: segmented, lower-cased, stopwords dropped."""
    from pythainlp.tokenize import word_tokenize

    stop = _thai_stopwords()
    words = word_tokenize(text.lower(), engine="newmm", keep_whitespace=False)
    return tuple(w for w in words if _WORD.fullmatch(w) and w not in stop and w not in _EN_STOP)


def _literals(g: Graph, node: Node, *preds: URIRef) -> list[str]:
    return [str(o) for p in preds for o in g.objects(node, p)]


def element_text(g: Graph, node: Node) -> list[str]:
    """An element's own words: labels, description, indicators and their targets."""
    texts = _literals(g, node, SKOS.prefLabel, SKOS.altLabel, PG.description)
    for indicator in g.subjects(PG.indicatorOf, node):
        texts += _literals(g, indicator, SKOS.prefLabel, PG.targetText)
    return texts


def _plan_of(g: Graph, node: URIRef) -> Node | None:
    chain = [node]
    for _ in range(50):  # plans are shallow; a bound keeps bad data from looping
        up = next((o for p in (PG.partOf, PG.targetOf, PG.indicatorOf)
                   for o in g.objects(chain[-1], p)), None)
        if up is None:
            return chain[-1] if (chain[-1], RDF.type, PG.Plan) in g else None
        chain.append(URIRef(str(up)))
    return None


def candidates(g: Graph, element: URIRef, plans: dict[Node, Node | None] | None = None
               ) -> list[URIRef]:
    """Targets ``element`` may be aligned to: elements of other plans, and its own plan's
    targets (never its own chain, its own parts or any project's indicators).

    ``plans`` keeps each node's plan across calls (:class:`Suggester`).
    """
    plans = {} if plans is None else plans

    def plan_of(node: URIRef) -> Node | None:
        if node not in plans:
            plans[node] = _plan_of(g, node)
        return plans[node]

    home = plan_of(element)
    own = {element} | {URIRef(str(o)) for o in g.transitive_objects(element, PG.partOf)}
    work = set(g.subjects(RDF.type, PG.Project)) | set(g.subjects(RDF.type, PG.Activity))
    measured = work | {element}
    found = []
    for node in {s for kind in _KINDS for s in g.subjects(RDF.type, kind)}:
        if not isinstance(node, URIRef) or node in own or node in work:
            continue
        if g.value(node, PG.indicatorOf) in measured:
            continue
        if home is not None and node != home and plan_of(node) == home and \
                (node, RDF.type, PG.Target) not in g:
            continue
        found.append(node)
    return sorted(found)


@dataclass(frozen=True)
class Suggestion:
    """One ranked target: its score, the shared words, and the nearest evidence quote."""

    target: URIRef
    score: float
    shared: tuple[str, ...]
    evidence: str

    def reasoning(self) -> str:
        """Why it was suggested, in words (used as the rationale when a planner accepts it)."""
        why = f"shared terms: {', '.join(self.shared)}" if self.shared else "no shared terms"
        if self.evidence:
            why += f"; nearest evidence: “{self.evidence}”"
        return f"Suggested by policygraph (BM25 score {self.score:.2f}); {why}."


def _evidence(g: Graph, hidden: frozenset[Node] = frozenset()) -> dict[URIRef, list[str]]:
    """The evidence quotes of the alignments to each target (but those in ``hidden``)."""
    evidence: dict[URIRef, list[str]] = {}
    for alignment in g.subjects(RDF.type, PG.Alignment):
        target = g.value(alignment, PG.toElement)
        if alignment not in hidden and isinstance(target, URIRef):
            evidence.setdefault(target, []).extend(_literals(g, alignment, PG.evidence))
    return evidence


def _words(g: Graph, target: URIRef, evidence: list[str]) -> Counter[str]:
    return Counter(w for text in element_text(g, target) + evidence for w in tokens(text))


class TargetIndex:
    """A BM25 index of candidate targets' text, with the evidence each one already has."""

    def __init__(self, g: Graph, targets: Iterable[URIRef],
                 hidden: frozenset[Node] = frozenset()) -> None:
        """Index ``targets``; alignments in ``hidden`` lend no evidence (leave-one-out)."""
        found = _evidence(g, hidden)
        self._fit([(t, _words(g, t, found.get(t, [])), found.get(t, [])) for t in targets])

    @classmethod
    def of(cls, entries: Iterable[tuple[URIRef, Counter[str], list[str]]]) -> TargetIndex:
        """An index of targets whose words are already counted: ``(target, words, evidence)``."""
        index = cls.__new__(cls)
        index._fit(list(entries))
        return index

    def _fit(self, entries: list[tuple[URIRef, Counter[str], list[str]]]) -> None:
        self.targets = [target for target, _, _ in entries]
        self.evidence = {target: quotes for target, _, quotes in entries}
        self.docs = [words for _, words, _ in entries]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / max(1, len(self.docs))
        frequency = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in frequency.items()}

    def rank(self, texts: Iterable[str], k1: float = 1.5, b: float = 0.75,
             exclude: frozenset[Node] = frozenset(), limit: int | None = None
             ) -> list[Suggestion]:
        """Targets by BM25 score for the words of ``texts``, best first (ties by IRI); the
        first ``limit`` only, when given (their evidence is looked up for those alone)."""
        query = Counter(w for text in texts for w in tokens(text))
        found = []
        for target, doc, length in zip(self.targets, self.docs, self.lengths, strict=True):
            if target in exclude:
                continue
            parts = {w: self.idf[w] * doc[w] * (k1 + 1)
                     / (doc[w] + k1 * (1 - b + b * length / (self.average or 1)))
                     for w in query if w in doc}
            shared = tuple(sorted(parts, key=lambda w: -parts[w])[:5])
            found.append((-sum(parts.values()), str(target), target, shared))
        found.sort(key=lambda item: item[:2])
        return [Suggestion(target, -negative, shared, self._nearest(target, set(query)))
                for negative, _, target, shared in found[:limit]]

    def _nearest(self, target: URIRef, words: set[str]) -> str:
        quotes = [(len(words & set(tokens(q))), q) for q in self.evidence[target]]
        best = max(quotes, default=(0, ""))
        return best[1] if best[0] else ""


class Suggester:
    """Suggestions over one graph for any number of elements: each target's words are read
    and segmented once (:meth:`warm` reads them all ahead), not once per element."""

    def __init__(self, g: Graph) -> None:
        self.graph = g
        self._evidence = _evidence(g)
        self._words: dict[URIRef, Counter[str]] = {}
        self._plans: dict[Node, Node | None] = {}

    def warm(self) -> None:
        """Read every target's words now (what a first suggestion would otherwise wait for)."""
        for node in {s for kind in _KINDS for s in self.graph.subjects(RDF.type, kind)}:
            if isinstance(node, URIRef):
                self._entry(node)

    def _entry(self, target: URIRef) -> tuple[URIRef, Counter[str], list[str]]:
        quotes = self._evidence.get(target, [])
        if target not in self._words:
            self._words[target] = _words(self.graph, target, quotes)
        return target, self._words[target], quotes

    def suggest(self, element: URIRef, limit: int = 5) -> list[Suggestion]:
        """The best ``limit`` targets for ``element``, leaving out those it already links to."""
        g = self.graph
        linked = frozenset(URIRef(str(t)) for a in g.subjects(PG.fromElement, element)
                           for t in g.objects(a, PG.toElement))
        index = TargetIndex.of(self._entry(t) for t in candidates(g, element, self._plans))
        return [s for s in index.rank(element_text(g, element), exclude=linked, limit=limit)
                if s.score > 0]
