"""The workbench's cache of searches and totals: never an answer older than the data (both databases)."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.cache import ResultCache
from undercurrent.store.queries import list_reports
from undercurrent.store.records import review, save
from undercurrent.store.search import EventFilter, count_events, search_events

TEXT = "Police in Hyesan arrested three traders who sold phones, a source in Ryanggang Province said."
OTHER = "Guards in Sinuiju arrested a broker who carried phones across the river, a source said."


def test_cached_answers_follow_every_change(store, extract_text):
    save(store, extract_text(TEXT), original=TEXT.encode(), media_type="text/plain")
    store.cache = ResultCache()
    phones = EventFilter(text="phones")
    first = count_events(store, phones)
    rows = search_events(store, phones)
    assert first == len(rows) > 0
    assert count_events(store, phones) == first and store.cache.hits >= 1  # asked again: from the cache

    save(store, extract_text(OTHER), original=OTHER.encode(), media_type="text/plain")  # ingest
    assert count_events(store, phones) > first
    assert list_reports(store, text="Sinuiju")[1] == 1

    after_ingest = count_events(store, phones)
    review(store, "events", rows[0]["id"], status="rejected", user="rey")  # review
    assert count_events(store, phones) == after_ingest - 1

    with store.engine.begin() as conn:  # any other writer, by hand
        conn.execute(schema.events.update().values(review_status="rejected"))
    assert count_events(store, phones) == 0 and search_events(store, phones) == []


def test_cached_rows_cannot_be_changed_by_a_caller(store, extract_text):
    save(store, extract_text(TEXT), original=TEXT.encode(), media_type="text/plain")
    store.cache = ResultCache()
    search_events(store, EventFilter())[0]["type"] = "CHANGED"
    assert search_events(store, EventFilter())[0]["type"] != "CHANGED"
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema.data_version.c.token)).scalar_one() != "initial"


def test_one_transaction_renews_the_token_once(store):
    """psycopg runs an executemany one statement per row: the PostgreSQL trigger renewed the token once per
    row, each update walking the row's versions made earlier in the transaction (a bulk load slowed
    quadratically). Now once per transaction, on both databases the token still changes at commit."""
    with store.engine.connect() as conn:
        before = conn.execute(sa.select(schema.data_version.c.token)).scalar_one()
    rows = [{"id": f"r{n}", "language": "en", "text": f"report {n}", "content_sha256": f"c{n}", "original": b"",
             "original_sha256": f"o{n}", "ingested_at": "2026-12-06T00:00:00+00:00"} for n in range(40)]
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), rows)
        conn.execute(schema.reports.update().where(schema.reports.c.id == "r1").values(title="t"))
        if store.dialect == "postgresql":
            updates = conn.execute(sa.text("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'data_version'"))
            assert updates.scalar_one() == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema.data_version.c.token)).scalar_one() != before


def test_concurrent_misses_compute_once(tmp_path):
    import threading
    import time

    from undercurrent.store.db import open_store

    store = open_store(url=f"sqlite:///{tmp_path / 'flight.db'}")
    cache = ResultCache()
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return len(calls)

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get(store.engine, "same", slow)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [1] * 6 and len(calls) == 1
    store.close()


def test_sqlite_store_serves_as_many_connections_as_server_threads(tmp_path):
    """Under load every request thread (40 per process) may hold a connection at once: none may wait
    for the pool and fail (the pool held 15 and the 16th request got a 500 after 30 s)."""
    import threading

    from undercurrent.store.db import open_store

    store = open_store(url=f"sqlite:///{tmp_path / 'pool.db'}")
    threads_at_once = 40
    barrier = threading.Barrier(threads_at_once, timeout=10)
    failures = []

    def hold():
        try:
            with store.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
                barrier.wait()
        except Exception as exc:  # noqa: BLE001  (any failure fails the test below)
            failures.append(repr(exc))

    threads = [threading.Thread(target=hold) for _ in range(threads_at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    store.close()


def test_sqlite_connections_are_kept_and_not_pinged(tmp_path):
    """A connection returned beyond the pool's size was closed and opened again for the next request (an
    empty page cache, the schema parsed anew), and each checkout ran a ping a local file does not need."""
    from undercurrent.store.db import open_store

    store = open_store(url=f"sqlite:///{tmp_path / 'kept.db'}")
    assert store.engine.pool.size() >= 40 and not store.engine.pool._pre_ping
    store.close()
