"""SQLite checkpoints run in a thread of their own (store/checkpoint.py), not inside a save's commit."""
from __future__ import annotations

import sqlite3
import time
from datetime import date

import sqlalchemy as sa

from corroboration_support import event_rows
from undercurrent.store import schema
from undercurrent.store.checkpoint import FALLBACK_PAGES
from undercurrent.store.db import open_store


def _log(path) -> tuple[int, int]:
    """(frames in the write-ahead log, frames of them already in the database file), asked without copying any."""
    conn = sqlite3.connect(path)
    try:
        # NOOP: no copying (PASSIVE would copy, and the test would then see its own checkpoint)
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(NOOP)").fetchone()
        return log, done
    finally:
        conn.close()


def _write(store, numbers: range) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [event_rows(i, day=date(2021, 1, 1), text="y" * 2000)[0] for i in numbers])


def test_a_commit_is_checkpointed_by_the_thread_not_by_the_writer(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(url=f"sqlite:///{path}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == FALLBACK_PAGES
        runs = store.checkpointer.runs
        _write(store, range(200))  # a few hundred pages: far below the writers' own checkpoint
        deadline = time.monotonic() + 10
        while store.checkpointer.runs == runs and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.checkpointer.runs > runs
        log, done = _log(path)
        assert log > 0 and done == log  # every frame of the commit is in the database file
        thread = store.checkpointer.thread
        assert thread is not None and thread.is_alive()
    finally:
        store.close()
    assert store.checkpointer.thread is None and not thread.is_alive()  # close stops this store's thread


def test_the_data_is_whole_after_checkpoints_in_the_thread(tmp_path):
    """Saves go on while the thread copies: nothing written is lost or torn."""
    path = tmp_path / "s.db"
    store = open_store(url=f"sqlite:///{path}")
    for start in range(0, 2000, 100):
        _write(store, range(start, start + 100))
    store.close()
    reopened = open_store(url=f"sqlite:///{path}")
    try:
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar() == 2000
    finally:
        reopened.close()
