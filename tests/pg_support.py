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


def fresh_postgres(url: str) -> str:
    """A new empty database per test store, so tests never see each other's rows."""
    import uuid

    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name
