"""Answers shared by the server's worker processes (store/shared_answers.py): found by the other process's
cache, never older than the data, private to the owner, and never the cause of a failed request."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

from undercurrent.store.cache import ResultCache
from undercurrent.store.records import save
from undercurrent.store.shared_answers import SharedAnswers, answers_path

TEXT = "Police in Hyesan arrested three traders who sold phones, a source in Ryanggang Province said."
OTHER = "Guards in Sinuiju arrested a broker who carried phones across the river, a source said."


def test_an_answer_computed_by_one_worker_is_found_by_the_other(store, extract_text, tmp_path):
    save(store, extract_text(TEXT), original=TEXT.encode(), media_type="text/plain")
    path = tmp_path / "answers.sqlite"
    first, second = ResultCache(shared=SharedAnswers(path)), ResultCache(shared=SharedAnswers(path))
    computed: list[str] = []

    def compute(label: str):
        return lambda: computed.append(label) or f"answer by {label}".encode()

    assert first.get(store.engine, ("q", 1), compute("first"), shared=True) == b"answer by first"
    assert second.get(store.engine, ("q", 1), compute("second"), shared=True) == b"answer by first"
    assert computed == ["first"] and second.shared_hits == 1 and second.misses == 0
    # Objects that are not bytes (pages, totals) stay in their own process.
    first.get(store.engine, ("page", 1), lambda: ["row"])
    assert second.get(store.engine, ("page", 1), lambda: ["other row"]) == ["other row"]

    save(store, extract_text(OTHER), original=OTHER.encode(), media_type="text/plain")  # the data changed
    assert second.get(store.engine, ("q", 1), compute("second"), shared=True) == b"answer by second"
    assert computed == ["first", "second"]


def test_the_file_is_readable_by_its_owner_only(store, tmp_path):
    path = tmp_path / "private" / "answers.sqlite"
    ResultCache(shared=SharedAnswers(path)).get(store.engine, "k", lambda: b"v", shared=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_an_unusable_file_costs_the_sharing_not_the_request(store, tmp_path):
    broken = tmp_path / "answers.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    cache = ResultCache(shared=SharedAnswers(broken))
    assert cache.get(store.engine, "k", lambda: b"computed", shared=True) == b"computed"
    assert cache.get(store.engine, "k2", lambda: b"again", shared=True) == b"again"
    assert broken.read_bytes().startswith(b"this is not a database")  # left alone


def test_stale_and_old_entries_are_trimmed(tmp_path):
    shared = SharedAnswers(tmp_path / "answers.sqlite", size=3)
    for i in range(5):
        shared.put("old token", ("k", i), b"x")
    for i in range(5):
        shared.put("new token", ("k", i), b"y")
    shared.trim("new token")
    count = shared._connection().execute("SELECT count(*), min(token), max(token) FROM answers").fetchone()
    assert count == (3, "new token", "new token")
    assert shared.get("new token", ("k", 4)) == b"y" and shared.get("old token", ("k", 0)) is None


def test_where_the_answers_live(tmp_path):
    assert answers_path(f"sqlite:///{tmp_path}/u.db", None) == tmp_path / "u.db.answers"
    assert answers_path("sqlite://", None) is None and answers_path("sqlite:///:memory:", None) is None
    assert answers_path(f"sqlite:///{tmp_path}/u.db", "off") is None
    assert answers_path(f"sqlite:///{tmp_path}/u.db", str(tmp_path / "a.sqlite")) == tmp_path / "a.sqlite"
    team = answers_path("postgresql+psycopg://u@db/undercurrent", None)
    assert team is not None and team.parent.name == f"undercurrent-{os.getuid()}"
    assert team != answers_path("postgresql+psycopg://u@db/other", None)


def test_a_server_process_loads_the_knowledge_base_before_its_first_request(tmp_path):
    """The first filtered search of each worker loaded the gazetteer (1-2 s under load) while every
    other request waited; and long-lived objects are frozen out of the collector's full passes."""
    script = textwrap.dedent("""
        import gc
        from undercurrent.kb import load_kb
        from undercurrent.server import app_from_env
        app_from_env()
        assert load_kb.cache_info().currsize == 1, load_kb.cache_info()
        assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()
        print("ok")
    """)
    env = {**os.environ, "UNDERCURRENT_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
           "UNDERCURRENT_SECRET_KEY": "k" * 48}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
