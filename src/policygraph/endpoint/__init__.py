"""The SPARQL 1.1 Protocol and Graph Store Protocol service behind ``/sparql``.

Lives here: the services that answer requests on the embedded store (``service``) or pass
them through to a remote one (``remote``, ``forward``); killable worker processes and their
pool, for time limits (``worker``, ``pool``); a request's own dataset (``dataset``); request
parsing (``protocol``), result formats (``formats``), errors (``errors``), the service
description (``description``); Graph Store Protocol operations and routes (``graphs``,
``gsp``); the admin check (``auth``); and the app lifespan that starts and stops the service
(``lifespan``).

May import: :mod:`policygraph.store` and the kernel (``settings`` among it). Web pages that use
the endpoint (the query page) live in :mod:`policygraph.web`.
"""
