"""The linkage graph's view: nodes, edges, rows and captions for the page's vis-network script.

Lives here: the whole-graph view (``build``), a focus on one element with its neighbourhood
(``focus``), the page model (``page``), the drawn models (``models``), nodes (``node``), the
facts read for them (``facts``), captions cut at Thai word boundaries (``caption``) and the
interface text (``text``).

May import: as :mod:`policygraph.web.views`.
"""
