"""Answers shared by the server's worker processes: a small SQLite file of encoded JSON.

`serve --workers N` runs N processes, each with its own `ResultCache`; without a shared tier every
process answers every question once for itself, and under 50 clients those first answers are the slow
tail (bench/RESULTS.md). Entries are keyed by the store's data token (store/cache.py) like the
in-process ones, so an entry is exactly what the query returns while that token is current.

A cache never fails a request: a locked, full or unreadable file is skipped and the answer computed.
The file holds search results, so it is created readable by its owner only, like the database."""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

# Stale entries (another data token) and the oldest beyond SIZE are dropped every TRIM_EVERY writes.
SIZE = 20_000
TRIM_EVERY = 500
OFF = ("", "off", "0", "no", "false")


def answers_path(database_url: str, setting: str | None) -> Path | None:
    """Where the shared answers live: UNDERCURRENT_ANSWER_CACHE (a file, or "off"); by default beside a
    SQLite database file, and for PostgreSQL in a private directory of the system's temporary one. An
    in-memory SQLite database has no other process to share with."""
    if setting is not None:
        return None if setting.strip().lower() in OFF else Path(setting).expanduser()
    if database_url.startswith("sqlite"):
        location = database_url.split("///", 1)[1] if "///" in database_url else ""
        if not location or location.startswith(":memory:") or "mode=memory" in location:
            return None
        return Path(location.split("?", 1)[0] + ".answers")
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"undercurrent-{os.getuid()}" / f"answers-{digest}.sqlite"


class SharedAnswers:
    """`get` and `put` of bytes under (data token, key); one connection per thread."""

    def __init__(self, path: Path, *, size: int = SIZE) -> None:
        self.path = path
        self.size = size
        self._local = threading.local()
        self._writes = 0
        self._broken = False
        self._ready = False
        self._setup = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._setup:  # once per process: the other threads of a burst wait here, not on file locks
                if not self._ready:
                    self._create()
                    self._ready = True
            # A lookup or a write waits 50 ms at most for another process's write, then the request goes on
            # without the shared tier.
            conn = sqlite3.connect(self.path, timeout=0.05, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _create(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))  # owner only, before SQLite opens it
        # May wait for the other worker processes doing the same at start-up.
        with sqlite3.connect(self.path, timeout=10, isolation_level=None) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # kept by the file: later connections need not ask
            conn.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, token TEXT NOT NULL, "
                         "body BLOB NOT NULL, at REAL NOT NULL)")
        conn.close()

    @staticmethod
    def digest(key: object) -> str:
        return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()

    def get(self, token: str, key: object) -> bytes | None:
        if self._broken:
            return None
        try:
            row = self._connection().execute("SELECT body FROM answers WHERE key = ? AND token = ?",
                                             (self.digest(key), token)).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None
        return row[0] if row else None

    def put(self, token: str, key: object, body: bytes) -> None:
        if self._broken:
            return
        try:
            conn = self._connection()
            conn.execute("INSERT OR REPLACE INTO answers (key, token, body, at) VALUES (?, ?, ?, ?)",
                         (self.digest(key), token, body, time.time()))
            self._writes += 1
            if self._writes % TRIM_EVERY == 0:
                self.trim(token)
        except sqlite3.Error as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                self._give_up(exc)
            # locked: another process is writing; this answer is simply not shared

    def trim(self, token: str) -> None:
        conn = self._connection()
        conn.execute("DELETE FROM answers WHERE token != ?", (token,))
        conn.execute("DELETE FROM answers WHERE key IN (SELECT key FROM answers ORDER BY at DESC LIMIT -1 OFFSET ?)",
                     (self.size,))

    def _give_up(self, exc: sqlite3.Error) -> None:
        # Not worth failing or slowing requests for: each process logs once and answers without sharing.
        self._broken = True
        log.warning("shared answer cache %s is not usable (%s); answers are not shared between workers", self.path, exc)
