"""The ``policygraph`` command line: a click group and one module per command family.

Lives here: the group and its global options (``main``), what commands share (``context``:
the :class:`~policygraph.cli.context.AppContext`, ``pass_app``), and the commands: data
(``load``, ``validate``, ``query``, ``export``), facts (``derive``, ``drop``), analysis
(``trace``, ``coverage``, ``demo``), planner (``template``, ``import``, ``diff``,
``suggest``), ``serve``, ``bench`` and ``synth``.

May import: everything below it. The command modules import ``context``, never ``main``,
which imports them to register their commands.
"""
