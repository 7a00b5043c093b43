"""The store on any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki…).

Lives here: :class:`~policygraph.store.remote.store.RemoteStore` and
:func:`~policygraph.store.remote.store.open_endpoint` (``store``), the one HTTP client of
SPARQL servers (``wire``: the SPARQL endpoint's pass-through uses it too), the store's requests
with their errors made clear (``http``), and the SPARQL text it sends: terms written safely,
parameters bound, results read (``sparql``).

May import: the rest of :mod:`policygraph.store` and the kernel.
"""
