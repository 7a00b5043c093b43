"""What each page shows, gathered from the store: view models the templates render.

Lives here: an element's page (``element``), the reports (``report``), the ontology page
(``ontology``), the query page's table and text (``querytable``, ``querytext``) and the
linkage graph (``graph/``).

May import: the services, :mod:`policygraph.store`, the kernel and :mod:`policygraph.web.urls`;
never a router.
"""
