"""National scale: synthetic data, benchmarks and their report, servers for tests and benchmarks.

Lives here: the seeded synthetic national dataset (``synth``), engines measured side by side
in child processes (``run``, ``timing``), the Markdown tables (``report``), and starting
Oxigraph server and Virtuoso on 127.0.0.1 (``servers``).

May import: the services, :mod:`policygraph.store` and the kernel; never
:mod:`policygraph.web` or :mod:`policygraph.cli`.
"""
