"""The test PostgreSQL (started by scripts/postgres.sh): its URL and a fresh database per store."""
from __future__ import annotations

from fixture_paths import ROOT


def postgres_url() -> str | None:
    """The test PostgreSQL: UNDERCURRENT_TEST_POSTGRES_URL, or the one scripts/postgres.sh started."""
    import os

    url = os.environ.get("UNDERCURRENT_TEST_POSTGRES_URL")
    if url:
        return url
    marker = ROOT / ".pg" / "url"
    return marker.read_text().strip() if marker.exists() else None


_MADE: list[tuple[str, str]] = []  # (server URL, database) made by fresh_postgres and not dropped yet


def fresh_postgres(url: str) -> str:
    """A new empty database per test store, so tests never see each other's rows; dropped by
    `drop_postgres` (the store fixture) or at the end of the session (`drop_all_made`)."""
    import uuid

    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    _MADE.append((url, name))
    return url.rsplit("/", 1)[0] + "/" + name


def drop_postgres(database_url: str) -> None:
    """Drop a database fresh_postgres made (each test run left ~300 behind, 10 MB each, on the test server)."""
    import sqlalchemy as sa

    name = database_url.rsplit("/", 1)[1]
    for made in [m for m in _MADE if m[1] == name]:
        admin = sa.create_engine(made[0], isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        _MADE.remove(made)


def drop_all_made() -> None:
    for url, name in list(_MADE):
        drop_postgres(url.rsplit("/", 1)[0] + "/" + name)
