"""Opening a store: the connection's pragmas follow the store's size and what it is opened for."""
from __future__ import annotations

from undercurrent.store import db
from undercurrent.store.db import MAP_LIMIT, mapped_size, open_store


def test_searches_map_what_sqlite_allows_and_a_load_only_a_store_the_map_holds_whole():
    for size in (4096, MAP_LIMIT, MAP_LIMIT + 1, 30 * MAP_LIMIT):
        assert mapped_size(size) == MAP_LIMIT
    assert mapped_size(4096, loading=True) == MAP_LIMIT
    assert mapped_size(MAP_LIMIT, loading=True) == MAP_LIMIT
    assert mapped_size(MAP_LIMIT + 1, loading=True) == 0
    assert mapped_size(None, loading=True) == 0


def _mmap_size(store) -> int:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA mmap_size").scalar()


def test_each_connection_maps_by_the_files_size_when_it_opens(tmp_path, monkeypatch):
    path = tmp_path / "sized.db"
    for loading in (False, True):
        store = open_store(url=f"sqlite:///{path}", loading=loading)
        assert _mmap_size(store) == MAP_LIMIT
        store.close()
    # A limit below the file's size stands for a store grown past the map: a load maps none of it.
    monkeypatch.setattr(db, "MAP_LIMIT", path.stat().st_size - 1)
    store = open_store(url=f"sqlite:///{path}", loading=True)
    assert _mmap_size(store) == 0
    store.close()
    store = open_store(url=f"sqlite:///{path}")
    assert _mmap_size(store) == path.stat().st_size - 1
    store.close()


def test_ingest_opens_the_store_to_load_and_search_does_not(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from undercurrent import cli

    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    opened = []

    def recording_open_store(*args, **kwargs):
        opened.append(kwargs.get("loading", False))
        return open_store(*args, **kwargs)

    monkeypatch.setattr(db, "open_store", recording_open_store)
    report = tmp_path / "one.txt"
    report.write_text("Police in Hyesan arrested three traders, a source in the province said.", encoding="utf-8")
    result = CliRunner().invoke(cli.cli, ["ingest", "--quiet", str(report)])
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output
    assert CliRunner().invoke(cli.cli, ["search", "traders"]).exit_code == 0
    assert opened == [True, False]
