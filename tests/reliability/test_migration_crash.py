"""Issue 15 item 3: migrations are all or nothing and one process at a time (SQLite and PostgreSQL).

The children are real processes killed with SIGKILL (or held) at a chosen SQL statement of the
migration, found with a SQLAlchemy event: no mocks, and the kill lands mid-migration every time."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from pg_support import fresh_postgres, postgres_url
from undercurrent.store.db import open_store

CHILD = textwrap.dedent("""
    import os, signal, sys, time
    import sqlalchemy as sa
    from undercurrent.store.db import open_store

    url, marker, action = sys.argv[1], sys.argv[2], sys.argv[3]

    @sa.event.listens_for(sa.engine.Engine, "after_cursor_execute")
    def at(conn, cursor, statement, *args):
        if marker and marker in statement:
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            print("held", flush=True)
            time.sleep(3)
    open_store(url=url).close()
    print("opened", flush=True)
""")


def child(url, marker="", action="kill"):
    return subprocess.Popen([sys.executable, "-c", CHILD, url, marker, action], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def head():
    """The newest revision (other branches add migrations after 0002)."""
    from alembic.script import ScriptDirectory

    from undercurrent.store.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _version(url):
    store = open_store(url=url, upgrade=False)
    with store.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() \
            if "alembic_version" in tables else None
    store.close()
    return tables, version


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    base = postgres_url()
    if base is None:
        if os.environ.get("UNDERCURRENT_SKIP_POSTGRES"):
            pytest.skip("UNDERCURRENT_SKIP_POSTGRES is set")
        pytest.fail("no test PostgreSQL: run scripts/postgres.sh start or set UNDERCURRENT_TEST_POSTGRES_URL")
    return fresh_postgres(base)


def test_sigkill_during_first_open_leaves_nothing_half_made(db_url):
    proc = child(db_url, "CREATE TABLE reports")  # audit_log is made just before it
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    tables, version = _version(db_url)
    assert version is None and not tables - {"alembic_version"}  # before: audit_log without a version
    store = open_store(url=db_url)  # before the fix: "table audit_log already exists"
    store.close()
    assert _version(db_url)[1] == head()


def test_sigkill_during_upgrade_of_a_populated_database(db_url):
    from alembic import command

    from undercurrent.store.db import _alembic_config

    engine = sa.create_engine(db_url)
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(sa.text("INSERT INTO reports (id, language, text, content_sha256, original, original_sha256, "
                             "ingested_at) VALUES ('r1', 'en', 'Police in Hyesan arrested a trader.', 'x', :raw, 'y', "
                             "'2021-01-01T00:00:00+00:00')"),
                     {"raw": b"raw"})
    engine.dispose()
    proc = child(db_url, "CREATE TABLE api_tokens")  # users is made just before it
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    tables, version = _version(db_url)
    assert version == "0001" and "users" not in tables  # before: users made, version still 0001
    store = open_store(url=db_url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT text FROM reports WHERE id = 'r1'")).scalar_one().startswith("Police")
    store.close()
    assert _version(db_url)[1] == head()


def test_two_processes_open_a_fresh_database(db_url):
    first = child(db_url, "CREATE TABLE reports", action="hold")  # holds mid-migration for 3 s
    assert first.stdout.readline().strip() == "held"
    second = child(db_url)  # before the fix it crashed: "table audit_log already exists"
    out_second, err_second = second.communicate(timeout=90)
    out_first, err_first = first.communicate(timeout=90)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert out_second.strip() == "opened"
    assert _version(db_url)[1] == head()
