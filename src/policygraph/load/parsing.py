"""Parse Turtle source files into rdflib graphs, with errors that point at file:line:column.

Each file belongs to the named graph ``GRAPH[<file stem>]`` (for example
``data/opdc-acp-2567.ttl`` → ``https://w3id.org/policygraph/graph/opdc-acp-2567``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policygraph.errors import LoadError
from policygraph.namespaces import graph_named
from policygraph.store.terms import RdfTriple, triple_to_rdflib

__all__ = [
    "MAX_TERM_BYTES",
    "PROGRESS_STEP",
    "PROGRESS_THRESHOLD",
    "DeriveFn",
    "PreparedFile",
    "ProgressFn",
    "add_derived",
    "decode",
    "graph_iri",
    "parse_file",
    "prepare_file",
    "syntax_error",
    "too_long",
]

#: Files with more triples than this report parsing progress.
PROGRESS_THRESHOLD = 50_000
#: Progress is reported every this many triples.
PROGRESS_STEP = 10_000

DeriveFn = Callable[[Graph], Iterable[RdfTriple]]
ProgressFn = Callable[[int], None]


@dataclass
class PreparedFile:
    """A parsed file (derived once it passed validation) that has not been written yet."""

    file: Path
    graph: URIRef
    data: Graph
    seconds: float


# pyoxigraph phrases positions several ways ("at line 4 column 1", "at line 2
# between columns 11 and 16", "between line 3 column 11 and line 5 column 1").
_POSITION = re.compile(r"^Parser error (?:at|between) (?:line|lines) (\d+)\D+?(\d+)[^:]*:\s*")


def graph_iri(path: Path) -> URIRef:
    """Return the named graph a file loads into: ``GRAPH[path.stem]``, odd characters
    percent-encoded (:func:`~policygraph.namespaces.graph_named`)."""
    return graph_named(Path(path).stem)


def syntax_error(path: Path, exc: SyntaxError) -> LoadError:
    """The LoadError for a pyoxigraph syntax error, its position moved into line/column."""
    message = exc.msg or str(exc)
    line, column = exc.lineno, exc.offset
    match = _POSITION.match(message)
    if match:
        line = line or int(match.group(1))
        column = column or int(match.group(2))
        message = message[match.end():]
    return LoadError(path, f"Turtle syntax error: {message}", line, column)


def decode(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8 without a BOM, or a LoadError pointing at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise LoadError(
            path, f"not valid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8", line, column
        ) from exc
    # Editors on Windows often prepend a BOM; it carries no meaning here.
    return text.removeprefix("\ufeff")


#: The longest single term (a literal or an IRI) the Turtle parser reads: pyoxigraph 0.5's
#: buffer limit (16 MiB); a longer one is refused with a LoadError saying so.
MAX_TERM_BYTES = 16 * 1024 * 1024


def too_long(path: Path, text: str, exc: MemoryError) -> LoadError:
    """The LoadError for a term past :data:`MAX_TERM_BYTES` (pyoxigraph raises MemoryError),
    on the first line that long when the term is on one line."""
    line = next((number for number, content in enumerate(text.splitlines(), start=1)
                 if len(content.encode("utf-8")) > MAX_TERM_BYTES), None)
    return LoadError(path, f"a literal or IRI is longer than the {MAX_TERM_BYTES // 2**20} MiB "
                           f"a term may have ({exc}); split the text or leave it out", line)


def parse_file(path: Path, progress: ProgressFn | None = None) -> Graph:
    """Parse a UTF-8 Turtle file into an rdflib Graph.

    Blank nodes are renamed to fresh identifiers so that files cannot
    accidentally share blank nodes in the store.

    Args:
        path: The Turtle file.
        progress: Called with the running triple count every
            :data:`PROGRESS_STEP` triples once past :data:`PROGRESS_THRESHOLD`.

    Raises:
        LoadError: If the file is unreadable, not UTF-8, not valid Turtle, or
            contains no triples; ``line``/``column`` locate syntax errors.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read file: {exc.strerror or exc}") from exc
    text = decode(path, raw)
    graph = Graph()
    count = 0
    try:
        for quad in ox.parse(input=text, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True):
            graph.add(triple_to_rdflib(quad))
            count += 1
            if progress is not None and count > PROGRESS_THRESHOLD and count % PROGRESS_STEP == 0:
                progress(count)
    except SyntaxError as exc:
        raise syntax_error(path, exc) from exc
    except MemoryError as exc:
        raise too_long(path, text, exc) from exc
    if count == 0:
        raise LoadError(path, "contains no triples")
    return graph


def prepare_file(path: Path, *, progress: ProgressFn | None = None) -> PreparedFile:
    """Parse a file, ready to be validated (derivation waits until it has passed)."""
    start = time.perf_counter()
    data = parse_file(path, progress)
    return PreparedFile(Path(path), graph_iri(path), data, time.perf_counter() - start)


def add_derived(prepared: Sequence[PreparedFile], derive: DeriveFn) -> None:
    """Add to each file the triples ``derive`` infers from it.

    Called only once every file has passed the shapes: derivation never runs on data that
    failed them.
    """
    for item in prepared:
        start = time.perf_counter()
        for triple in list(derive(item.data)):
            item.data.add(triple)
        item.seconds += time.perf_counter() - start
