"""SQLite checkpoints run in a thread of their own (store/checkpoint.py), not inside a save's commit."""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date

import sqlalchemy as sa

from corroboration_support import event_rows
from undercurrent.store import schema
from undercurrent.store.checkpoint import FALLBACK_PAGES, Checkpointer
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


class _CloseWhenTheDelayEnds(threading.Event):
    """The checkpointer's stop event, which lets `close` begin at the worst moment: just as the delay
    after a nudge ends without a stop, before the thread goes on (threads cannot be paused there)."""

    def __init__(self, checkpointer: Checkpointer) -> None:
        super().__init__()
        self.checkpointer, self.fired = checkpointer, False

    def wait(self, timeout: float | None = None) -> bool:
        stopped = super().wait(timeout)
        if timeout is not None and not self.fired:
            self.fired = True
            self.set()  # what close() does first: stop, then wake the thread
            self.checkpointer._wake.set()
        return stopped


def test_a_close_as_the_delay_ends_stops_the_thread(tmp_path):
    """A close that came in that moment had its wake-up cleared, and close() waited forever."""
    path = tmp_path / "s.db"
    sqlite3.connect(path).close()
    checkpointer = Checkpointer(str(path), delay=0.01)
    checkpointer._stop = _CloseWhenTheDelayEnds(checkpointer)
    checkpointer.nudge()
    thread = checkpointer.thread
    assert thread is not None
    thread.join(timeout=10)  # what close() does after its two signals
    assert checkpointer._stop.fired and not thread.is_alive()
    assert checkpointer.runs >= 1
    checkpointer.close()


def test_stores_closed_right_after_commits_all_close(tmp_path):
    """Many stores, each closed while its thread may be anywhere in its delay or its checkpoint."""
    for n in range(30):
        store = open_store(url=f"sqlite:///{tmp_path / f's{n}.db'}")
        _write(store, range(n % 3 + 1))
        closing = threading.Thread(target=store.close, daemon=True)
        time.sleep(n % 10 * 0.025)  # 0 to 0.225 s: before, during and after the 0.2 s delay
        closing.start()
        closing.join(timeout=10)
        assert not closing.is_alive(), f"store {n} did not close"
