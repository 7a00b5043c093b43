"""policygraph: Thai government plans as an RDF knowledge graph of policy alignment."""

__version__ = "0.1.0"

__all__ = ["__version__"]
