"""Query results kept for a store that cannot change: an LRU keyed by query text and bindings.

A store opened read-only (what ``policygraph serve`` opens unless in admin mode) answers every
repeat of a question the same way, so the web app need not ask pyoxigraph again: a national-
scale coverage page or budget roll-up is computed once per server start. Callers get a copy
of the kept result, so nothing they do to it can change the next caller's answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace

from cachetools import LRUCache
from rdflib.term import Identifier

from policygraph.store.results import QueryResult

__all__ = ["ResultCache"]


class ResultCache:
    """A thread-safe LRU of query results, bounded by the rows (or triples) it keeps in all.

    Args:
        max_total: Rows and triples kept in all (a result counts at least 1); the least
            recently used results go first. What memory the cache takes follows from this,
            not from how many questions were asked.
        max_rows: A result with more rows or triples than this is answered but not kept.
    """

    def __init__(self, max_total: int = 500_000, max_rows: int = 50_000) -> None:
        self.max_total = max_total
        self.max_rows = min(max_rows, max_total)
        self._results: LRUCache[Hashable, QueryResult] = LRUCache(maxsize=max_total,
                                                                   getsizeof=_size)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def answer(self, sparql: str, bindings: Mapping[str, Identifier] | None,
               compute: Callable[[], QueryResult]) -> QueryResult:
        """The kept result for this query and these bindings, else ``compute()``'s (kept)."""
        key = (sparql, tuple(sorted((bindings or {}).items())))
        with self._lock:
            found = self._results.get(key)  # a hit is now the most recently used
            if found is not None:
                self.hits += 1
                return _copy(found)
            self.misses += 1
        result = compute()  # outside the lock: other questions need not wait for this one
        if _size(result) <= self.max_rows:
            with self._lock:
                self._results[key] = result  # evicts the least recently used past max_total
        return _copy(result)

    def __len__(self) -> int:
        return len(self._results)

    @property
    def kept_rows(self) -> int:
        """Rows and triples kept now, in all."""
        return int(self._results.currsize)


def _size(result: QueryResult) -> int:
    return max(1, len(result.rows), len(result.triples))


def _copy(result: QueryResult) -> QueryResult:
    return replace(result, variables=list(result.variables),
                   rows=[dict(row) for row in result.rows], triples=list(result.triples))
