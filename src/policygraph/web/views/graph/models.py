"""The linkage graph as JSON: the pydantic models behind ``GET /api/graph`` and the /graph page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "EdgeStyle",
    "GraphEdge",
    "GraphNode",
    "GraphSlice",
    "GraphView",
    "KindStyle",
    "Labels",
    "NodeBudget",
    "PlanOption",
    "SearchHit",
    "UnitRef",
    "YearOption",
]

Relation = Literal["partOf", "targetOf", "indicatorOf", "supports"]
Basis = Literal["Stated", "Inferred"]
BudgetStatus = Literal["BudgetStated", "NoBudget", "BudgetNotStated"]
EdgeClass = Literal["structural", "stated", "inferred"]


class Labels(BaseModel):
    """An element's preferred labels; either may be missing in the data."""

    th: str | None = Field(None, description="Thai label.")
    en: str | None = Field(None, description="English label.")


class UnitRef(BaseModel):
    """A responsible organisation or unit."""

    id: str = Field(description="The unit's IRI.")
    label: str = Field(description="Its label in the requested language (or the other one).")
    url: str = Field(description="Its page in the app.")


class NodeBudget(BaseModel):
    """A project's or activity's budget, as the plan gives it (a blank cell is *not stated*)."""

    status: BudgetStatus
    status_name: str = Field(description="The status in the requested language.")
    amount: float | None = Field(None, description="THB; only when the status is BudgetStated.")
    amount_text: str | None = Field(None, description="The amount formatted: 9,460,600.00.")


class GraphNode(BaseModel):
    """One element of a plan: a plan, strategy, sub-plan, milestone, tactic, project, activity,
    set of standards, standard item, target or indicator."""

    id: str = Field(description="The element's IRI.")
    labels: Labels
    label: str = Field(description="Label in the requested language, else the other, else the IRI.")
    caption: str = Field(description="The label shortened for drawing on the node.")
    title: str = Field(description="Plain-text tooltip: labels, kind and plan level.")
    kind: str = Field(description="Local name of the class in pg:, e.g. Activity.")
    kind_name: str = Field(description="The kind in the requested language.")
    level: str | None = Field(None, description="Plan level 1, 2 or 3 of the element's plan.")
    row: int = Field(description="Row of a top-down drawing: Level 1 on top, then by depth.")
    plan: str | None = Field(None, description="IRI of the plan (or set of standards) it is in.")
    fiscal_year: int | None = Field(
        None, description="Gregorian year the plan's fiscal year ends in (2024 = B.E. 2567).")
    fiscal_year_be: int | None = Field(None, description="The same fiscal year, Buddhist era.")
    units: list[UnitRef] = Field(default_factory=list, description="Responsible units.")
    budget: NodeBudget | None = None
    url: str = Field(description="The element's page in the app.")


class GraphEdge(BaseModel):
    """An upward link: ``source`` is part of, a target of, an indicator of or supports
    ``target``."""

    id: str
    source: str = Field(description="IRI of the lower element.")
    target: str = Field(description="IRI of the higher element.")
    relation: Relation
    basis: Basis | None = Field(None, description="For alignments (supports): stated or inferred.")
    style: EdgeClass = Field(description="Drawing class: structural, stated or inferred.")


class KindStyle(BaseModel):
    """How one kind of element is drawn (the legend)."""

    kind: str
    name: str = Field(description="The kind in the requested language.")
    color: str = Field(description="CSS colour.")
    shape: str = Field(description="vis-network node shape.")
    size: int = Field(description="vis-network node size (shapes with the label outside).")
    count: int = Field(description="How many nodes of this kind the graph has.")


class EdgeStyle(BaseModel):
    """How one class of edge is drawn."""

    name: str = Field(description="The class in the requested language.")
    color: str
    width: float
    dashes: bool


class PlanOption(BaseModel):
    """A plan to filter by."""

    id: str
    label: str
    level: str | None = None
    fiscal_year_be: int | None = None
    period_be: tuple[int, int] | None = Field(
        None, description="First and last year of a multi-year plan, Buddhist era.")


class YearOption(BaseModel):
    """A fiscal year to filter by."""

    year: int = Field(description="Gregorian year the fiscal year ends in.")
    year_be: int = Field(description="The same year, Buddhist era.")


class GraphView(BaseModel):
    """The whole linkage graph with what is needed to draw, filter and explain it."""

    lang: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    kinds: list[KindStyle]
    edge_styles: dict[EdgeClass, EdgeStyle]
    plans: list[PlanOption]
    fiscal_years: list[YearOption]
    units: list[UnitRef]


class GraphSlice(BaseModel):
    """Part of the linkage graph around one element, for a store too large to draw at once.

    ``edges`` are the upward links of the nodes returned; some may point to elements that are
    not in this slice (the page draws them once both ends are on it).
    """

    lang: str
    focus: str = Field(description="IRI of the element the slice is around.")
    nodes: list[GraphNode] = Field(description="The element, its chain up to Level 1, then "
                                               "what is under it or supports it, at most "
                                               "`cap` in all.")
    edges: list[GraphEdge]
    cap: int = Field(description="Most nodes one slice may have.")
    available: int = Field(description="Elements in the neighbourhood asked for, before the cap.")
    total: int = Field(description="Elements of the whole store the graph could draw.")
    truncated: bool = Field(description="Whether the cap left some of the neighbourhood out.")
    message: str | None = Field(None, description="When truncated: showing N of M, in the "
                                                  "requested language.")


class SearchHit(BaseModel):
    """An element found by the graph's search on a large store."""

    id: str
    label: str
    kind: str
    kind_name: str
