"""Backup and restore of the whole store: SQLite through its online backup API (a consistent copy while
the workbench keeps running), PostgreSQL through pg_dump / pg_restore (custom format). A restore brings the
restored database to the newest schema, so a backup taken by an older release can be restored."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from undercurrent.errors import BackupFailed
from undercurrent.store.db import Store, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    dialect: str


def _libpq(store: Store) -> tuple[str, dict[str, str]]:
    """The database as a libpq URL for pg_dump/pg_restore, its password in the environment (not argv,
    which any local user can read in the process list)."""
    url = store.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client)")
    return found


def _run(args: list[str], env: dict[str, str], *, path: Path) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"{Path(args[0]).name} failed: {done.stderr.strip()[:500]}", path=str(path))


def backup(store: Store, path: Path) -> BackupResult:
    """Write a consistent copy of the whole store to `path` (written beside it first, then renamed)."""
    path = Path(path)
    if path.is_dir():
        raise BackupFailed("is a folder: give a file name for the backup", path=str(path))
    if not path.parent.exists():
        raise BackupFailed("the folder does not exist", path=str(path.parent))
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    if store.dialect == "sqlite":
        raw = store.engine.raw_connection()
        try:
            target = sqlite3.connect(tmp)
            try:
                driver = raw.driver_connection
                assert driver is not None  # a fresh raw connection always has its driver's connection
                driver.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
    elif store.dialect == "postgresql":
        url, env = _libpq(store)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}", url], env, path=path)
    else:
        raise BackupFailed(f"no backup for a {store.dialect} database")
    tmp.replace(path)
    return BackupResult(path, path.stat().st_size, store.dialect)


def _kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupFailed("not a backup of `undercurrent backup` (neither SQLite nor pg_dump custom format)", path=str(path))


def _check_sqlite_backup(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = source.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"unreadable SQLite file: {exc}", path=str(path)) from None
    finally:
        source.close()
    if ok != "ok":
        raise BackupFailed(f"the backup fails SQLite's integrity check: {ok}", path=str(path))
    if not {"reports", "events", "alembic_version"} <= tables:
        raise BackupFailed("a SQLite file, but not an Undercurrent store", path=str(path))


def restore(store: Store, path: Path) -> str:
    """Replace everything in `store` by the backup at `path`; returns the dialect. The backup is checked
    before anything is replaced. Stop the workbench first: its open sessions would see the switch."""
    path = Path(path)
    if not path.is_file():
        raise BackupFailed("no such backup file", path=str(path))
    kind = _kind(path)
    if kind != store.dialect:
        raise BackupFailed(f"a {kind} backup cannot be restored into a {store.dialect} database", path=str(path))
    if kind == "sqlite":
        _check_sqlite_backup(path)
        store.engine.dispose()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        raw = store.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None  # a fresh raw connection always has its driver's connection
            source.backup(driver)  # page by page, in one transaction of the target
        finally:
            raw.close()
            source.close()
        store.engine.dispose()
    else:
        url, env = _libpq(store)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={url}", str(path)], env, path=path)
    migrate(store.engine)
    return kind


def table_rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (the schema's and Alembic's), sorted: for comparing a restore."""
    meta = sa.MetaData()
    meta.reflect(store.engine)
    out = {}
    with store.engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            rows = conn.execute(sa.select(table)).all()
            out[name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out
