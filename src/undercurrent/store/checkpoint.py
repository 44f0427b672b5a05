"""SQLite's checkpoints in a thread of their own, as PostgreSQL has a checkpointer process.

In WAL mode a commit appends its pages to the write-ahead log; a checkpoint copies them into the database
file and syncs it. SQLite runs one inside whichever commit fills the log past `wal_autocheckpoint` pages,
so every fifth or so save waited for it, and the wait grew with the store: the pages a save changes
lie scattered over a larger file, and syncing them cost more (bench/load_speed.py --compare: 1.12x at
11,000 reports against 2,000, 1.01x with the sync turned off). Here a commit only nudges a
thread, which checkpoints (PASSIVE: it never waits for readers or writers) a moment later on its own
connection; sqlite3 releases the GIL while it copies and syncs, so saves go on meanwhile. Durability is
unchanged: the same syncs happen, off the saving thread. The writers' own checkpoint stays as a backstop
at a larger log (FALLBACK_PAGES), for a thread that falls behind or a process that exits first."""
from __future__ import annotations

import os
import sqlite3
import threading

# The writers' own checkpoint, if the thread has not run one by then (pages of the log; SQLite's default: 1,000).
FALLBACK_PAGES = 10_000
# Commits within this many seconds share one checkpoint (about ten saves' pages, as SQLite's default gives).
DELAY = 0.2
# How long close() waits for the last checkpoint. A thread still busy after it is a daemon and is left:
# an unfinished checkpoint is safe in WAL mode (the log keeps the pages), a close that never returns is not.
CLOSE_WAIT = 60.0


class Checkpointer:
    """Checkpoints the SQLite file at `path` shortly after commits (`nudge`), in a daemon thread started
    at the first nudge."""

    def __init__(self, path: str, *, delay: float = DELAY) -> None:
        self.path, self.delay = path, delay
        self._wake, self._stop = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0  # the process the thread runs in: a forked worker starts its own
        self.runs = 0  # checkpoints run (tests, benchmarks)

    @property
    def thread(self) -> threading.Thread | None:
        """The checkpointing thread, once a commit has started it (None after `close`)."""
        return self._thread

    def nudge(self) -> None:
        if self._thread is None or self._pid != os.getpid():
            with self._lock:
                if (self._thread is None or self._pid != os.getpid()) and not self._stop.is_set():
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
                    self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the thread after a last checkpoint."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=CLOSE_WAIT)
            self._thread = None

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            while True:
                self._wake.wait()
                # cleared before the delay, so a nudge (or `close`) during it is not lost: clearing it after
                # the delay lost the wake-up of a close in that moment, and close waited forever
                self._wake.clear()
                self._stop.wait(self.delay)
                self._checkpoint(conn)
                if self._stop.is_set():  # closing: that was the last checkpoint
                    return
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.runs += 1
        except sqlite3.Error:
            pass  # the writers' own checkpoint (FALLBACK_PAGES) takes over
