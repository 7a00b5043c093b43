"""Exception types raised by policygraph; the CLI maps them to exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "LoadError",
    "PolicygraphError",
    "QueryError",
    "StoreError",
    "UnknownNameError",
    "ValidationFailed",
]


class PolicygraphError(Exception):
    """Base class for every error a user can cause and fix."""


class StoreError(PolicygraphError):
    """The store could not be opened, read or written."""


class QueryError(PolicygraphError):
    """A named query or one of its parameters is invalid."""


class LoadError(PolicygraphError):
    """A source file could not be read or parsed.

    Attributes:
        file: The offending file.
        line: 1-based line of the problem, or None when unknown.
        column: 1-based column of the problem, or None when unknown.
        message: The parser's description of the problem.
    """

    def __init__(
        self,
        file: Path | str,
        message: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file = Path(file)
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class UnknownNameError(PolicygraphError):
    """A name (query, parameter, graph, format…) is not one of the valid ones.

    Attributes:
        kind: What was being named, e.g. ``"query"`` or ``"param"``.
        name: The name that was given.
        valid: The names that would have been accepted.
    """

    def __init__(self, kind: str, name: str, valid: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.valid = sorted(valid)
        super().__init__(str(self))

    def __str__(self) -> str:
        valid = ", ".join(self.valid) if self.valid else "(none)"
        return f"unknown {self.kind} {self.name!r}; valid: {valid}"


class ValidationFailed(PolicygraphError):
    """Data did not conform to the SHACL shapes; nothing was written.

    Attributes:
        report: The validation report (has ``conforms`` and ``text()``).
        file: The file whose data did not conform, when known.
    """

    def __init__(self, report: Any, file: Path | str | None = None) -> None:
        self.report = report
        self.file = Path(file) if file is not None else None
        super().__init__(str(self))

    def __str__(self) -> str:
        what = str(self.file) if self.file is not None else "data"
        return f"{what} does not conform to the shapes; nothing was written"
