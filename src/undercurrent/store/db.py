"""Opening the store: engine, connection pragmas, migrations to the newest schema."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from undercurrent.settings import Settings


@dataclass
class Store:
    engine: sa.Engine
    url: str | None = None
    # A ResultCache (store/cache.py) for searches and totals; the workbench sets one per process.
    cache: object | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL + synchronous=NORMAL: a killed writer never leaves a half-written transaction behind.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A larger page cache and memory-mapped reads: search over 100k events ran 20-35% faster (bench/store_speed.py).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    location = resources.files("undercurrent.store").joinpath("migrations")
    config.set_main_option("script_location", str(Path(str(location))))
    return config


def migrate(engine: sa.Engine) -> None:
    """Bring the database to the newest schema (idempotent)."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(settings: Settings | None = None, *, url: str | None = None, upgrade: bool = True) -> Store:
    settings = settings or Settings.from_env()
    target = url or settings.database_url_for_engine
    options = {}
    if target.startswith("sqlite") and ":memory:" not in target and target != "sqlite://":
        # The server answers from up to 40 threads (anyio's default) per process; SQLite connections are
        # file handles, so each thread gets one rather than a 30-second wait and a 500 once 15 are busy
        # (seen under 50 clients at 1,000,000 events).
        options = {"pool_size": 20, "max_overflow": 40}
    engine = sa.create_engine(target, future=True, pool_pre_ping=True, **options)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if upgrade:
        migrate(engine)
    return Store(engine, url=target)
