"""Query results kept for a store that cannot change: an LRU keyed by query text and bindings.

A store opened read-only (what ``policygraph serve`` opens unless in admin mode) answers every
repeat of a question the same way, so the web app need not ask pyoxigraph again: a national-
scale coverage page or budget roll-up is computed once per server start. Callers get a copy
of the kept result, so nothing they do to it can change the next caller's answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace

from rdflib.term import Identifier

from policygraph.store.results import QueryResult

__all__ = ["ResultCache"]


class ResultCache:
    """A thread-safe LRU of query results.

    Args:
        max_entries: Results kept at most; the least recently used goes first.
        max_rows: A result with more rows or triples than this is answered but not kept.
    """

    def __init__(self, max_entries: int = 512, max_rows: int = 50_000) -> None:
        self.max_entries = max_entries
        self.max_rows = max_rows
        self._results: OrderedDict[Hashable, QueryResult] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def answer(self, sparql: str, bindings: Mapping[str, Identifier] | None,
               compute: Callable[[], QueryResult]) -> QueryResult:
        """The kept result for this query and these bindings, else ``compute()``'s (kept)."""
        key = (sparql, tuple(sorted((bindings or {}).items())))
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
                self.hits += 1
                return _copy(found)
            self.misses += 1
        result = compute()  # outside the lock: other questions need not wait for this one
        if max(len(result.rows), len(result.triples)) <= self.max_rows:
            with self._lock:
                self._results[key] = result
                while len(self._results) > self.max_entries:
                    self._results.popitem(last=False)
        return _copy(result)

    def __len__(self) -> int:
        return len(self._results)


def _copy(result: QueryResult) -> QueryResult:
    return replace(result, variables=list(result.variables),
                   rows=[dict(row) for row in result.rows], triples=list(result.triples))
