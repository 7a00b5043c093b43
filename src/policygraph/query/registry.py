"""The registry of named SPARQL queries (``queries/*.rq``) and how to run them safely.

A query file starts with a header of ``#+ key: value`` lines::

    #+ summary: One line saying what the query answers.
    #+ param: element iri required — The element to trace from.
    #+ param: lang string optional=th — Preferred label language.
    #+ returns: from, relation, to, basis, evidence

``param`` is ``NAME TYPE required|optional[=DEFAULT] — description``; TYPE is
one of :data:`policygraph.query.params.PARAM_TYPES`; a default containing spaces is
written ``optional="1 มี.ค. 67"``. Parameters are bound as RDF terms by
substitution, never spliced into the text. Oxigraph only substitutes
variables a SELECT projects, so a SELECT must project each parameter (add it
to GROUP BY when aggregating); parameter columns not listed in ``returns``
are dropped from the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Identifier

from policygraph.errors import QueryError, UnknownNameError
from policygraph.query.params import EXPECTED, PARAM_TYPES, coerce
from policygraph.resources import queries_dir
from policygraph.store import GraphStore, QueryResult

__all__ = [
    "NamedQuery",
    "Param",
    "bind_params",
    "execute",
    "get_query",
    "list_queries",
    "load_query",
    "query_names",
    "run_query",
]

_HEADER_KEYS = ("summary", "param", "returns", "example")
_HEADER_LINE = re.compile(r"^#\+\s*(?P<key>\w+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)\s+"
    r"(?P<req>required|optional)"
    r'(?:=(?:"(?P<qdefault>[^"]*)"|(?P<default>\S+)))?'
    r"\s*(?:(?:—|–|--|-|:)\s*(?P<desc>.*))?$"
)


@dataclass(frozen=True)
class Param:
    """One declared query parameter.

    Attributes:
        name: Variable name without ``?``.
        type: One of :data:`policygraph.query.params.PARAM_TYPES`.
        required: Whether the caller must supply it.
        description: Human-readable meaning.
        default: Text bound when an optional parameter is absent, or None.
    """

    name: str
    type: str
    required: bool
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A query file and its parsed header.

    Attributes:
        name: The file stem, used on the command line.
        path: The ``.rq`` file.
        summary: One line saying what the query answers.
        params: Declared parameters, in header order.
        returns: The ``returns`` header as written.
        text: The full query text.
        form: ``"select"``, ``"ask"``, ``"construct"`` or ``"describe"``.
        examples: ``#+ example:`` lines, if any.
    """

    name: str
    path: Path
    summary: str
    params: list[Param]
    returns: str
    text: str
    form: str = "select"
    examples: tuple[str, ...] = field(default_factory=tuple)

    @property
    def returns_vars(self) -> list[str]:
        """The variable names listed in ``returns``."""
        return [part.strip().lstrip("?$") for part in self.returns.split(",") if part.strip()]

    def param(self, name: str) -> Param:
        """Return the declared parameter ``name``.

        Raises:
            UnknownNameError: If there is no such parameter.
        """
        for param in self.params:
            if param.name == name:
                return param
        raise UnknownNameError("param", name, [p.name for p in self.params])


def _parse_param(path: Path, value: str) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(
            f"{path}: bad param line {value!r}; expected "
            "'NAME TYPE required|optional[=DEFAULT] — description'"
        )
    if match["type"] not in PARAM_TYPES:
        raise QueryError(
            f"{path}: param {match['name']!r} has unknown type {match['type']!r}; "
            f"valid: {', '.join(PARAM_TYPES)}"
        )
    default = match["qdefault"] if match["qdefault"] is not None else match["default"]
    required = match["req"] == "required"
    if required and default is not None:
        raise QueryError(f"{path}: required param {match['name']!r} cannot have a default")
    if default is not None:
        try:
            coerce(match["type"], default)
        except ValueError as exc:
            raise QueryError(f"{path}: default of param {match['name']!r}: {exc}") from exc
    return Param(match["name"], match["type"], required, (match["desc"] or "").strip(), default)


def _split_header(path: Path, text: str) -> tuple[dict[str, list[str]], str]:
    header: dict[str, list[str]] = {key: [] for key in _HEADER_KEYS}
    lines = text.splitlines()
    body_start = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#+"):
            match = _HEADER_LINE.match(stripped)
            if not match or match["key"] not in header:
                raise QueryError(
                    f"{path}:{index + 1}: bad header line {stripped!r}; "
                    f"keys: {', '.join(_HEADER_KEYS)}"
                )
            header[match["key"]].append(match["value"])
        elif stripped and not stripped.startswith("#"):
            body_start = index
            break
    return header, "\n".join(lines[body_start:])


def _form_and_projection(path: Path, body: str) -> tuple[str, list[str] | None]:
    """Return the query form and, for SELECT, the projected names (None = ``*``)."""
    try:
        parsed = parseQuery(body)[1]
    except Exception:  # noqa: BLE001 - rdflib lags Oxigraph's syntax; let Oxigraph judge
        keyword = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
        return (keyword.group(1).lower() if keyword else "select"), None
    form = parsed.name.removesuffix("Query").lower()
    if form != "select" or "projection" not in parsed:
        return form, None
    names = [str(item["var"] if "var" in item else item["evar"]) for item in parsed["projection"]]
    return form, names


def load_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and check its header against its body (cached while unchanged).

    Raises:
        QueryError: If the header lacks ``summary`` or ``returns``, a param
            line is malformed, a declared param never appears as ``?name`` in
            the query, or a SELECT does not project a param.
    """
    path = Path(path)
    stat = path.stat()
    return _load_query(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load_query(path: Path, mtime_ns: int, size: int) -> NamedQuery:
    # Parsing a query to check it costs far more than running it on a small store: do it once
    # per file version (the key includes mtime and size so an edited file is read again).
    text = path.read_text(encoding="utf-8")
    header, body = _split_header(path, text)
    for key in ("summary", "returns"):
        if len(header[key]) != 1 or not header[key][0]:
            raise QueryError(f"{path}: header needs exactly one '#+ {key}:' line")
    params = [_parse_param(path, value) for value in header["param"]]
    names = [param.name for param in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{path}: a param is declared twice: {', '.join(names)}")
    form, projection = _form_and_projection(path, body)
    for param in params:
        if not re.search(rf"[?$]{param.name}(?![A-Za-z0-9_])", body):
            raise QueryError(f"{path}: param {param.name!r} does not appear as ?{param.name}")
        if projection is not None and param.name not in projection:
            raise QueryError(
                f"{path}: SELECT must project ?{param.name} so it can be bound "
                "(add it to GROUP BY if aggregating)"
            )
    return NamedQuery(
        name=path.stem,
        path=path,
        summary=header["summary"][0],
        params=params,
        returns=header["returns"][0],
        text=text,
        form=form,
        examples=tuple(header["example"]),
    )


_QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _directory(directory: Path | None) -> Path:
    return Path(directory) if directory is not None else queries_dir()


def query_names(directory: Path | None = None) -> list[str]:
    """Return the names of the available queries, sorted."""
    return sorted(path.stem for path in _directory(directory).glob("*.rq"))


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Load every query in ``directory`` (default: the bundled queries), sorted by name."""
    return [load_query(path) for path in sorted(_directory(directory).glob("*.rq"))]


def get_query(name: str, directory: Path | None = None) -> NamedQuery:
    """Return the named query.

    Raises:
        UnknownNameError: If no ``<name>.rq`` exists; lists the valid names.
    """
    path = _directory(directory) / f"{name}.rq"
    # One stat per call on the common path; the directory is listed only to explain a miss.
    if not _QUERY_NAME.fullmatch(name) or not path.is_file():
        raise UnknownNameError("query", name, query_names(directory))
    return load_query(path)


def bind_params(query: NamedQuery, params: Mapping[str, str]) -> dict[str, Identifier]:
    """Validate user-supplied parameter text and convert it to RDF terms.

    Optional parameters that are absent are bound to their declared default
    if there is one, and otherwise left unbound.

    Raises:
        UnknownNameError: For a parameter the query does not declare.
        QueryError: For a missing required parameter or an invalid value.
    """
    declared = {param.name: param for param in query.params}
    for name in params:
        if name not in declared:
            raise UnknownNameError("param", name, list(declared))
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        value = params.get(param.name, param.default)
        if value is None:
            if param.required:
                hint = f" ({param.description})" if param.description else ""
                raise QueryError(
                    f"query {query.name!r} needs --param {param.name}=<{param.type}>{hint}"
                )
            continue
        try:
            bindings[param.name] = coerce(param.type, value)
        except ValueError as exc:
            raise QueryError(
                f"param {param.name!r}: {value!r} is not valid ({exc}); "
                f"expected {EXPECTED[param.type]}"
            ) from exc
    return bindings


def run_query(
    store: GraphStore,
    name: str,
    params: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> QueryResult:
    """Run a named query with validated parameters.

    Args:
        store: The store to query.
        name: The query's name (file stem).
        params: Parameter name to the text the user typed.
        directory: Where the ``.rq`` files are (default: bundled queries).

    Returns:
        The result; parameter columns not listed in ``returns`` are removed.

    Raises:
        UnknownNameError: For an unknown query or parameter name.
        QueryError: For missing or invalid parameters or a failing query.
    """
    return execute(store, get_query(name, directory), params)


def execute(
    store: GraphStore, query: NamedQuery, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run an already loaded :class:`NamedQuery`; see :func:`run_query`."""
    bindings = bind_params(query, params or {})
    result = store.query(query.text, bindings)
    hidden = {param.name for param in query.params} - set(query.returns_vars)
    if result.kind != "select" or not hidden & set(result.variables):
        return result
    variables = [v for v in result.variables if v not in hidden]
    rows = [{v: row.get(v) for v in variables} for row in result.rows]
    return replace(result, variables=variables, rows=rows)
