"""Measure the suggestions honestly: leave-one-out over the alignments the data states.

For each alignment with basis ``stated`` (optionally every alignment), the index is rebuilt
without that alignment's evidence, the element's other known links are set aside, and the
hidden target's rank is noted. Precision@1 is the share of hidden targets ranked first (one
suggestion per case, so it is also the hit rate at 1); recall@3 is the share ranked in the top 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policygraph.namespaces import PG
from policygraph.planner.suggest import TargetIndex, candidates, element_text

__all__ = ["Evaluation", "evaluate"]


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a leave-one-out run."""

    cases: int
    hits_at_1: int
    hits_at_3: int
    ranks: tuple[int | None, ...]

    @property
    def precision_at_1(self) -> float:
        """Share of hidden targets ranked first."""
        return self.hits_at_1 / self.cases if self.cases else 0.0

    @property
    def recall_at_3(self) -> float:
        """Share of hidden targets ranked in the top three."""
        return self.hits_at_3 / self.cases if self.cases else 0.0

    def text(self, basis: str) -> str:
        """One line for the command's output."""
        return (f"leave-one-out over {self.cases} {basis} alignment(s): "
                f"precision@1 = {self.precision_at_1:.2f} ({self.hits_at_1}/{self.cases}), "
                f"recall@3 = {self.recall_at_3:.2f} ({self.hits_at_3}/{self.cases})")


def evaluate(g: Graph, *, stated_only: bool = True) -> Evaluation:
    """Run leave-one-out over the alignments of ``g`` (the whole store's triples)."""
    ranks: list[int | None] = []
    for alignment in sorted(g.subjects(RDF.type, PG.Alignment), key=str):
        if stated_only and g.value(alignment, PG.basis) != PG.Stated:
            continue
        source = g.value(alignment, PG.fromElement)
        target = g.value(alignment, PG.toElement)
        if not isinstance(source, URIRef) or not isinstance(target, URIRef):
            continue
        pool = candidates(g, source)
        if target not in pool:
            continue
        others = frozenset(URIRef(str(t)) for a in g.subjects(PG.fromElement, source)
                           for t in g.objects(a, PG.toElement)) - {target}
        index = TargetIndex(g, pool, hidden=frozenset({alignment}))
        ranked = [s.target for s in index.rank(element_text(g, source), exclude=others)]
        ranks.append(ranked.index(target) + 1 if target in ranked else None)
    return Evaluation(len(ranks), sum(r == 1 for r in ranks),
                      sum(r is not None and r <= 3 for r in ranks), tuple(ranks))
