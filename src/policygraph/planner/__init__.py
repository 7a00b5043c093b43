"""The planner's workflow: workbooks in and out, year-over-year diffs, alignment suggestions.

Lives here: the workbook's layout (``layout``), controlled vocabularies (``vocab``) and cell
formats (``cells``); reading xlsx and CSV (``reading``); the importer (``importer``,
``import_core``, ``import_links``, ``import_run``); the xlsx export (``xlsx_export``,
``xlsx_rows``, ``xlsx_writer``, ``xlsx_write``, ``xlsx_plan``); plan comparison (``diff``);
BM25 alignment suggestions, their evaluation and their report (``suggest``,
``suggest_eval``, ``suggest_report``).

May import: :mod:`policygraph.query`, :mod:`policygraph.load`, :mod:`policygraph.shacl`,
:mod:`policygraph.store` and the kernel.
"""
