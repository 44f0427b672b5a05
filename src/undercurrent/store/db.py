"""Opening the store: engine, connection pragmas, migrations to the newest schema."""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from undercurrent.settings import Settings
from undercurrent.store.checkpoint import FALLBACK_PAGES, Checkpointer

if TYPE_CHECKING:  # the cache module is imported only where a cache is made
    from undercurrent.store.cache import ResultCache


@dataclass
class Store:
    engine: sa.Engine
    url: str | None = None
    # A ResultCache (store/cache.py) for searches and totals; the workbench sets one per process.
    cache: ResultCache | None = None
    # SQLite files: checkpoints off the saving thread (store/checkpoint.py).
    checkpointer: Checkpointer | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A transaction that reads, then writes what it read decides (a save: is the report stored, the
        next arrival number). On SQLite it takes the write lock first (BEGIN IMMEDIATE, waited for with the
        busy timeout): the driver begins a transaction only at the first write, so the reads before it
        were each their own, and two processes saving at once read the same largest number and one failed
        on the unique index (17 saves of 300, two processes). PostgreSQL needs nothing: its numbers come
        from a sequence."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    def settle(self) -> None:
        """After a transaction that rewrote much of the store (a rebuild, a first load). SQLite moves its
        write-ahead log into the database and empties it: otherwise the next small write pays for copying
        all of it, and every read until then looks through it (best effort: readers in progress keep their
        frames). PostgreSQL vacuums and analyzes, so the planner knows the tables' new sizes and the next
        saves do not share the machine with autovacuum doing it (bench/load_speed.py --probe)."""
        if self.dialect == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE)")


def _sqlite_pragmas(dbapi_connection, _record, *, loading: bool = False) -> None:
    cursor = dbapi_connection.cursor()
    # The busy timeout first: two processes opening a fresh file both switch it to WAL, which needs a lock.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL + synchronous=NORMAL: a killed writer never leaves a half-written transaction behind.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")  # a backstop: store/checkpoint.py runs them
    cursor.execute("PRAGMA foreign_keys=ON")
    # A larger page cache and mapped reads: search over 100k events ran 20-35% faster (bench/store_speed.py).
    cursor.execute("PRAGMA cache_size=-65536")
    # Only a load's map depends on the file's size: other connections (the server's 40) need not stat it.
    cursor.execute(f"PRAGMA mmap_size={mapped_size(_file_size(cursor) if loading else None, loading=loading)}")
    cursor.close()


MAP_LIMIT = 2147418112  # this SQLite's MAX_MMAP_SIZE (2 GB): a larger request is capped


def mapped_size(file_size: int | None, *, loading: bool = False) -> int:
    """How much of a store file to map into memory: as much as SQLite allows, except for a store opened to
    load reports (`open_store(loading=True)`) that the map cannot hold whole, which is not mapped at all.

    A mapped page is read without a system call and a copy, and a page fault the cache cannot serve makes
    the kernel read around it (up to its read-ahead, 8 MB on the benchmark machine). Searches read runs of
    neighbouring pages, and gain: the 120-query mix over a million reports (28 GB) took 211 s mapped
    against 278 unmapped. A save writes pages scattered over the whole file, and loses: at 100,000 reports
    (3 GB) 35 ms a save unmapped against 49 mapped, at a million 38 against 48 (250 KB against 426 KB read
    from the disk per save); at 1,000 reports the same (bench/RESULTS.md)."""
    if loading and (file_size is None or file_size > MAP_LIMIT):
        return 0
    return MAP_LIMIT


def _file_size(cursor) -> int | None:
    """The size of the connection's main database file; None in memory or when it cannot be read."""
    path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
    try:
        return Path(path).stat().st_size if path else None
    except OSError:
        return None


def _alembic_config() -> Config:
    config = Config()
    location = resources.files("undercurrent.store").joinpath("migrations")
    config.set_main_option("script_location", str(Path(str(location))))
    return config


# Any fixed 64-bit key: the PostgreSQL advisory lock that serialises migrations of one database.
_PG_MIGRATION_LOCK = 0x556E646572637572  # "Undercur"


def _heads(connection: sa.Connection, config: Config) -> tuple[set[str], set[str]]:
    """The database's schema revisions (none for a new store) and the newest ones."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = MigrationContext.configure(connection).get_current_heads()
    return set(current), set(ScriptDirectory.from_config(config).get_heads())


def migrate(engine: sa.Engine, progress: Callable[[str], None] | None = None) -> None:
    """Bring the database to the newest schema (idempotent), all or nothing, one process at a time.

    pysqlite runs DDL outside any transaction unless told otherwise, so a process killed during the
    first open left tables without an alembic_version and every later command failed. Here the
    whole upgrade runs in one transaction (SQLite and PostgreSQL both have transactional DDL), under
    a lock: BEGIN IMMEDIATE on SQLite (the write lock, waited for with the busy timeout) and a
    transaction-scoped advisory lock on PostgreSQL. A second process waits, then finds the schema
    at head and does nothing. `progress` hears a line when an upgrade starts and, from migrations that
    rewrite a table (which takes minutes in a large store), as they go."""
    config = _alembic_config()
    with engine.connect() as connection:
        current, newest = _heads(connection, config)
        if current == newest:  # the usual case: no lock taken, readers never wait
            return
        connection.rollback()
        say = progress or (lambda _line: None)
        config.attributes["progress"] = say
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        current, newest = _heads(connection, config)
        if current == newest:  # another process upgraded it while this one waited for the lock
            return
        if current:  # a new store's tables are made silently
            say("upgrading the store's schema (a large store may take minutes)")
        command.upgrade(config, "head")
        connection.commit()


def open_store(settings: Settings | None = None, *, url: str | None = None, upgrade: bool = True,
               progress: Callable[[str], None] | None = None, loading: bool = False) -> Store:
    """The store at `url` (else the settings' database), brought to the newest schema unless `upgrade` is
    False; `progress` hears how an upgrade goes (`migrate`). `loading`: opened to store reports (ingest),
    not to answer searches; a SQLite file then maps as `mapped_size` says."""
    settings = settings or Settings.from_env()
    target = url or settings.database_url_for_engine
    options = {}
    if target.startswith("sqlite") and ":memory:" not in target and target != "sqlite://":
        # The server answers from up to 40 threads (anyio's default) per process; SQLite connections are
        # file handles, so each thread gets one rather than a 30-second wait and a 500 once 15 are busy
        # (seen under 50 clients at 1,000,000 events). All 40 are kept: a connection closed on return is
        # opened again for the next request, with an empty page cache and the schema parsed anew.
        options = {"pool_size": 40, "max_overflow": 20}
    # A ping before each use finds a PostgreSQL connection the server dropped; a SQLite file has no
    # server, and the ping was one more statement for every checkout (three per API request).
    engine = sa.create_engine(target, future=True, pool_pre_ping=not target.startswith("sqlite"), **options)
    checkpointer = None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", functools.partial(_sqlite_pragmas, loading=loading))
        if engine.url.database and engine.url.database != ":memory:":
            checkpointer = Checkpointer(engine.url.database)
            sa.event.listen(engine, "commit", lambda _conn: checkpointer.nudge())
    if upgrade:
        migrate(engine, progress)
    return Store(engine, url=target, checkpointer=checkpointer)
