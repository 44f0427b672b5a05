"""Opening a store: the connection's pragmas follow the store's size."""
from __future__ import annotations

from undercurrent.store import db
from undercurrent.store.db import MAP_LIMIT, mapped_size, open_store


def test_a_store_the_map_holds_is_mapped_whole_and_a_larger_one_not_at_all():
    assert mapped_size(4096) == MAP_LIMIT
    assert mapped_size(MAP_LIMIT) == MAP_LIMIT
    assert mapped_size(MAP_LIMIT + 1) == 0
    assert mapped_size(None) == 0


def _mmap_size(store) -> int:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA mmap_size").scalar()


def test_each_connection_maps_by_the_files_size_when_it_opens(tmp_path, monkeypatch):
    path = tmp_path / "sized.db"
    store = open_store(url=f"sqlite:///{path}")
    assert _mmap_size(store) == MAP_LIMIT
    store.close()
    # A limit below the file's size stands for a store grown past the map: the next connection maps none.
    monkeypatch.setattr(db, "MAP_LIMIT", path.stat().st_size - 1)
    store = open_store(url=f"sqlite:///{path}")
    assert _mmap_size(store) == 0
    store.close()
