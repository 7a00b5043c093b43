"""policygraph: Thai government plans as an RDF knowledge graph of policy alignment.

The package is a house of rooms, one subpackage per concern, each ``__init__`` saying what
lives there and what it may import; ``lint-imports`` checks the layers (``pyproject.toml``):

- faces: :mod:`~policygraph.cli` over :mod:`~policygraph.web` and :mod:`~policygraph.bench`;
- services: :mod:`~policygraph.planner` and :mod:`~policygraph.endpoint`, over
  :mod:`~policygraph.query` and :mod:`~policygraph.load`, over :mod:`~policygraph.shacl`;
- :mod:`~policygraph.store`: the one store interface and the stores behind it;
- the kernel, these top-level modules, which import nothing above them: ``settings`` (the
  app's settings) over ``config`` (store location, SPARQL server), ``namespaces``,
  ``resources`` (bundled files), ``errors``, ``i18n``, ``thaidate`` and ``conneg``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
