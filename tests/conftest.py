from __future__ import annotations

import pytest

from fixture_paths import ROOT, SEED, SHARED  # noqa: F401  (re-exported for older imports)
from pg_support import drop_all_made, drop_postgres, fresh_postgres, postgres_url
from workbench_support import app, app_store, client_for, template_db  # noqa: F401  (workbench fixtures)


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


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The same store tests on SQLite and on a real PostgreSQL. Without a PostgreSQL the
    postgresql run fails (CI must test both); set UNDERCURRENT_SKIP_POSTGRES=1 to skip it locally."""
    import os

    from undercurrent.store.db import open_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        base = postgres_url()
        if base is None:
            if os.environ.get("UNDERCURRENT_SKIP_POSTGRES"):
                pytest.skip("UNDERCURRENT_SKIP_POSTGRES is set")
            pytest.fail("no PostgreSQL: run scripts/postgres.sh start (make test does) or set UNDERCURRENT_TEST_POSTGRES_URL")
        url = fresh_postgres(base)
    opened = open_store(url=url)
    yield opened
    opened.close()
    if request.param == "postgresql":
        drop_postgres(url)


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    """The PostgreSQL databases tests made outside the store fixture, dropped when the session ends."""
    yield
    drop_all_made()
