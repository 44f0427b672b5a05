"""Answers of read queries kept while the data they came from is unchanged.

Every change to reports, events or sources renews the token in `data_version` (by triggers,
migration 0005), so an answer cached under a token is exactly what the query would return while
that token is current, whichever process or statement wrote. A server process keeps one cache;
reading the token is a one-row primary-key lookup, far cheaper than a broad search and its total.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

import sqlalchemy as sa

from undercurrent.store import schema

T = TypeVar("T")


class ResultCache:
    """A bounded LRU of answers keyed by (data token, query); safe across request threads."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, engine: sa.Engine, key: Hashable, compute: Callable[[], T]) -> T:
        with engine.connect() as conn:
            token = conn.execute(sa.select(schema.data_version.c.token)
                                 .where(schema.data_version.c.id == 1)).scalar_one()
        full = (token, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                self.hits += 1
                return self._items[full]  # type: ignore[return-value]
        # Computed outside the lock: two threads may both compute a miss, never block each other.
        # A write after the token was read renews the token, so nobody asks for this entry again.
        value = compute()
        with self._lock:
            self.misses += 1
            self._items[full] = value
            self._items.move_to_end(full)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
