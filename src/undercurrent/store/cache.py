"""Answers of read queries kept while the data they came from is unchanged.

Every change to reports, events or sources renews the token in `data_version` (by triggers,
migration 0005), so an answer cached under a token is exactly what the query would return while
that token is current, whichever process or statement wrote. A server process keeps one cache;
reading the token is a one-row primary-key lookup, far cheaper than a broad search and its total.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar, cast

import sqlalchemy as sa

from undercurrent.store import schema

if TYPE_CHECKING:
    from undercurrent.store.shared_answers import SharedAnswers

T = TypeVar("T")


class ResultCache:
    """A bounded LRU of answers keyed by (data token, query); safe across request threads."""

    def __init__(self, size: int = 2048, *, shared: SharedAnswers | None = None) -> None:
        self.size = size
        self.shared = shared  # bytes answers also kept for the server's other worker processes
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._running: dict[tuple, threading.Event] = {}
        self.hits = self.misses = self.shared_hits = 0

    def get(self, engine: sa.Engine, key: Hashable, compute: Callable[[], T], *, shared: bool = False) -> T:
        """The answer to `key` under the current data token, computed once. `shared`: the answer is bytes
        and goes to (and comes from) the shared tier as well."""
        with engine.connect() as conn:
            token = conn.execute(sa.select(schema.data_version.c.token)
                                 .where(schema.data_version.c.id == 1)).scalar_one()
        full = (token, key)
        while True:
            with self._lock:
                if full in self._items:
                    self._items.move_to_end(full)
                    self.hits += 1
                    return self._items[full]  # type: ignore[return-value]
                running = self._running.get(full)
                if running is None:
                    running = self._running[full] = threading.Event()
                    break
            # The same question is being answered by another request: wait for it rather than run the
            # same broad query twice on two cores (the first seconds of 50 clients are all misses).
            running.wait(timeout=30)
        try:
            # Computed outside the lock. A write after the token was read renews the token, so nobody
            # asks for this entry again.
            tier = self.shared if shared else None
            found = tier.get(token, key) if tier is not None else None
            value: T = cast(T, found) if found is not None else compute()
            if tier is not None and found is None:
                tier.put(token, key, cast(bytes, value))
            with self._lock:
                if found is None:
                    self.misses += 1
                else:
                    self.shared_hits += 1
                self._items[full] = value
                self._items.move_to_end(full)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._running.pop(full, None)
            running.set()  # waiters look again; after a failure one of them computes
