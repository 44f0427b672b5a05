from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "src" / "undercurrent" / "samples" / "daily-nk-prostitution-crackdown.txt"


@pytest.fixture(scope="session")
def extractor():
    """The real spaCy pipeline, loaded once for the whole run."""
    from undercurrent.extract.pipeline import default_extractor

    return default_extractor()


@pytest.fixture(scope="session")
def kb():
    from undercurrent.kb import load_kb

    return load_kb()


@pytest.fixture()
def extract_text(extractor):
    from undercurrent.models import Report

    def run(text: str, *, published: str | None = "2020-10-15", outlet: str | None = None):
        return extractor.extract(Report.from_fields(text=text, published=published, outlet=outlet))

    return run


def _postgres_url() -> str | None:
    """The test PostgreSQL: UNDERCURRENT_TEST_POSTGRES_URL, or the one scripts/postgres.sh started."""
    import os

    url = os.environ.get("UNDERCURRENT_TEST_POSTGRES_URL")
    if url:
        return url
    marker = ROOT / ".pg" / "url"
    return marker.read_text().strip() if marker.exists() else None


def _fresh_postgres(url: str) -> str:
    """A new empty database per test store, so tests never see each other's rows."""
    import uuid

    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The same store tests on SQLite and on a real PostgreSQL. Without a PostgreSQL the
    postgresql run fails (CI must test both); set UNDERCURRENT_SKIP_POSTGRES=1 to skip it locally."""
    import os

    from undercurrent.store.db import open_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        base = _postgres_url()
        if base is None:
            if os.environ.get("UNDERCURRENT_SKIP_POSTGRES"):
                pytest.skip("UNDERCURRENT_SKIP_POSTGRES is set")
            pytest.fail("no PostgreSQL: run scripts/postgres.sh start (make test does) or set UNDERCURRENT_TEST_POSTGRES_URL")
        url = _fresh_postgres(base)
    opened = open_store(url=url)
    yield opened
    opened.close()
