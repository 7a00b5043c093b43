"""The web app: pages in Thai and English, the JSON API, and the SPARQL endpoint mounted.

Lives here: the app factory :func:`~policygraph.web.app.create_app` (``app``), what routes
share (``deps``: the store, the language, rendering; ``urls``), the security headers every
response carries (``headers``), one router per concern in
``routes/``, and in ``views/`` what each page shows, built from queries (element, report,
ontology, query-page and linkage-graph views). Templates and static files are not Python:
they live in the project's top-level ``web/`` folder.

May import: every service (:mod:`policygraph.planner`, :mod:`policygraph.endpoint`,
:mod:`policygraph.query`, :mod:`policygraph.load`, :mod:`policygraph.shacl`),
:mod:`policygraph.store` and the kernel; never :mod:`policygraph.cli` or :mod:`policygraph.bench`.
"""
