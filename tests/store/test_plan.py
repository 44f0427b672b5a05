"""The text planner (store/plan.py) and "about N" totals: the walk gives the plain query's rows in its
order, and totals are exact up to the limit, estimated above it, exact when asked (both databases)."""
from __future__ import annotations

import random

import pytest

WORDS = "phones rice border market river guards".split()


def _report_row(k: int, text: str) -> dict:
    return {"id": f"r{k:05d}", "url": f"https://t.example/{k}", "outlet": "Daily NK", "title": None,
            "published": "2020-01", "language": "en", "text": text, "content_sha256": f"c{k}",
            "original": text.encode(), "original_sha256": f"o{k}", "ingested_at": "2026-12-01T00:00:00+00:00"}


def _event_row(k: int, e: int, day: str | None, **fields) -> dict:
    """Event `e` of report `k`, a COERCE record dated `day` (its sort date too); `fields` override."""
    return {"id": f"r{k:05d}e{e}", "report_id": f"r{k:05d}", "type": "COERCE", "mode": "arrest",
            "status": "occurred", "contexts": "|", "topics": "|", "actor_institutions": "|", "actors": [],
            "recipients": [], "basis": "stated", "date_start": day, "date_granularity": "day", "date_kind": "exact",
            "sort_date": day, "quote": "", "start": 0, "end": 5, "evidence": [], "confidence": 0.5,
            "review_status": "pending", **fields}


def _fill(store, reports: int = 900, per_report: int = 2, seed: int = 3) -> None:
    """Reports of which ~80% say "phones" (broad) and ~2% say "brokers" (narrow), dates spread and
    repeated (ties broken by report, offset, id), some undated events and some rejected ones."""
    from undercurrent.store import schema

    rng = random.Random(seed)
    report_rows, event_rows = [], []
    for r in range(reports):
        words = [rng.choice(WORDS) for _ in range(12)]
        if rng.random() < 0.8:
            words.append("phones")
        if rng.random() < 0.02:
            words.append("brokers")
        text = " ".join(words)
        report_rows.append(_report_row(r, text))
        for e in range(per_report):
            undated = rng.random() < 0.05
            day = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-01"
            event_rows.append(_event_row(r, e, None if undated else day, mode=rng.choice(["arrest", "seize"]),
                                         date_granularity="month", quote=text[:10], start=rng.randint(0, 9), end=10,
                                         review_status="rejected" if rng.random() < 0.05 else "pending"))
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), report_rows)
        conn.execute(schema.events.insert(), event_rows)


def _plain_ids(store, f, limit, offset, sort, monkeypatch):
    from undercurrent.store import plan, search

    with monkeypatch.context() as m:
        m.setattr(plan, "text_page", lambda *args, **kwargs: None)
        return [row["id"] for row in search.search_events(store, f, limit=limit, offset=offset, sort=sort)]


@pytest.mark.parametrize("sort", ["-date", "date"])
def test_the_walk_gives_the_plain_querys_page(store, sort, monkeypatch):
    from undercurrent.store import plan
    from undercurrent.store.search import EventFilter, search_events

    _fill(store, reports=4000)  # the walk pays from here on (plan.walk_pays) for pages up to 40 deep
    for f in (EventFilter(text="phones"), EventFilter(text="phones -brokers"), EventFilter(text="phones", since="2015"),
              EventFilter(text="phones OR brokers", until="2020-06"), EventFilter(text="phones", mode="seize")):
        for offset in (0, 10, 30, 7900):
            walked = plan.text_page(store, f, 10, offset, sort)
            if store.dialect == "sqlite" and offset < 7900:
                assert walked is not None, (f, offset)  # a broad query here is walked, not planned away
            else:
                assert walked is None or walked == []  # PostgreSQL keeps its own plan
            ids = [row["id"] for row in search_events(store, f, limit=10, offset=offset, sort=sort)]
            assert ids == _plain_ids(store, f, 10, offset, sort, monkeypatch), (f, offset)
            if walked is not None:
                assert walked == ids


@pytest.mark.parametrize("sort", ["-date", "date"])
def test_the_walk_from_a_cursor_gives_the_plain_querys_page(store, sort, monkeypatch):
    """A cursor's page walked from the cursor on the sort index (SQLite) is the plain keyset page, at
    cursors before, among and past the undated rows (the walk then goes on into the NULLs' branch)."""
    from undercurrent.store import keyset, plan, search
    from undercurrent.store.search import EventFilter, search_events, search_page

    _fill(store, reports=4000)
    for f in (EventFilter(text="phones"), EventFilter(text="phones -brokers", since="2015"),
              EventFilter(text="phones", mode="seize")):
        rows = search_events(store, f, limit=None, sort=sort)
        dated = [i for i, row in enumerate(rows) if row["sort_date"] is not None]
        assert len(rows) > 100
        for i in sorted({0, 30, dated[-1] - 4, min(dated[-1] + 3, len(rows) - 1), len(rows) - 12}):
            values = keyset.read_cursor(keyset.cursor_of(rows[i], sort), sort)
            walked = plan.text_page(store, f, 10, 0, sort, after=values)
            if store.dialect == "sqlite":
                assert walked is not None, (f, i)
            expected = [row["id"] for row in rows[i + 1:i + 11]]
            assert walked is None or walked == expected, (f, i)
            with monkeypatch.context() as m:
                m.setattr(plan, "text_page", lambda *args, **kwargs: None)
                assert search.search_page(store, f, limit=10, after=keyset.cursor_of(rows[i], sort), sort=sort).rows \
                    == rows[i + 1:i + 11]
            assert [row["id"] for row in search_page(store, f, limit=10, after=keyset.cursor_of(rows[i], sort),
                                                     sort=sort).rows] == expected


def test_a_narrow_query_keeps_the_plain_plan(store, monkeypatch):
    from undercurrent.store import plan
    from undercurrent.store.search import EventFilter, search_events

    _fill(store)
    narrow = EventFilter(text="brokers")
    assert plan.text_page(store, narrow, 10, 0, "-date") is None  # ~2% match: the walk would not pay
    assert plan.text_page(store, EventFilter(text="phones", type="ASSAULT"), 10, 0, "-date") is None  # no such events
    assert plan.text_page(store, EventFilter(text="phones"), 10, 0, "type") is None
    ids = [row["id"] for row in search_events(store, narrow, limit=10)]
    assert 0 < len(ids) == len(set(ids)) and ids == _plain_ids(store, narrow, 10, 0, "-date", monkeypatch)


def test_totals_are_exact_up_to_the_limit_and_about_n_above(store, monkeypatch):
    from undercurrent.store import search
    from undercurrent.store.search import EventFilter, count_events, count_total

    _fill(store)
    broad = EventFilter(text="phones")
    exact = count_events(store, broad)
    assert count_total(store, broad) == search.Total(exact, True)  # 1,600-odd: under 10,000
    monkeypatch.setattr(search, "EXACT_LIMIT", 100)
    about = count_total(store, broad)
    assert not about.exact and about.n != exact and 0.6 * exact <= about.n <= 1.4 * exact
    assert count_total(store, EventFilter(text="phones", exact=True)) == search.Total(exact, True)
    seized = count_events(store, EventFilter(mode="seize"))  # no text: sampled (SQLite) or counted to the limit first
    about_seized = count_total(store, EventFilter(mode="seize"))
    assert not about_seized.exact and 0.6 * seized <= about_seized.n <= 1.4 * seized
    narrow = EventFilter(text="brokers")
    assert count_total(store, narrow) == search.Total(count_events(store, narrow), True)


def test_the_api_says_whether_a_total_is_exact(app_store, client_for, monkeypatch):
    from undercurrent.store import search

    _fill(app_store, reports=300)
    client = client_for("vic")
    exact = client.get("/api/search", params={"q": "phones"}).json()
    assert exact["total_exact"] is True and exact["total"] > 200
    monkeypatch.setattr(search, "EXACT_LIMIT", 100)
    about = client.get("/api/search", params={"q": "phones", "limit": 5}).json()
    assert about["total_exact"] is False and about["total"] != exact["total"] and len(about["events"]) == 5
    asked = client.get("/api/search", params={"q": "phones", "exact": "1"}).json()
    assert asked["total_exact"] is True and asked["total"] == exact["total"]
    page = client.get("/events", params={"q": "phones"}).text
    assert f"about {about['total']} events" in page
    assert f"about {exact['total']}" not in client.get("/events", params={"q": "phones", "exact": "1"}).text


def test_a_cached_api_answer_follows_the_data(app_store, client_for):
    from undercurrent.store.records import review

    _fill(app_store, reports=50)
    client = client_for("vic")
    first = client.get("/api/search", params={"q": "phones"}).json()
    assert client.get("/api/search", params={"q": "phones"}).json() == first  # the cached bytes
    review(app_store, "events", first["events"][0]["id"], status="rejected", user="ada")
    after = client.get("/api/search", params={"q": "phones"}).json()
    assert after["total"] == first["total"] - 1 and after["events"][0]["id"] != first["events"][0]["id"]


def test_a_date_range_stored_together_keeps_an_exact_total(store, monkeypatch):
    """An archive loaded in date order stores a date range's events together. Sixteen sample windows
    over 5,000 events lie ~310 rows apart: a range of 100 that fills one window read as "about 310"
    (above three times a limit of 100) unless the sample's matches must come from two windows."""
    from datetime import date, timedelta

    import sqlalchemy as sa

    from undercurrent.store import schema, search
    from undercurrent.store.search import EventFilter, count_events, count_total

    first = date(2000, 1, 1)
    reports, events = [], []
    for k in range(5_000):
        text = f"police raid number {k}"
        reports.append(_report_row(k, text))
        events.append(_event_row(k, 0, (first + timedelta(days=k)).isoformat(), quote=text))
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), reports)
        conn.execute(schema.events.insert(), events)
    if store.dialect == "postgresql":  # statistics, so that totals sample the table (TABLESAMPLE)
        with store.engine.connect() as conn:
            conn.execute(sa.text("ANALYZE events"))
            conn.commit()
    monkeypatch.setattr(search, "EXACT_LIMIT", 100)
    for start in range(0, 5_000 - 100, 50):
        for text in (None, "police"):
            since, until = first + timedelta(days=start), first + timedelta(days=start + 99)
            f = EventFilter(text=text, since=since.isoformat(), until=until.isoformat())
            exact = count_events(store, f)
            assert exact == 100
            assert count_total(store, f) == search.Total(exact, True), (start, text)
    assert not count_total(store, EventFilter(text="police")).exact  # 5,000: above the limit, about N
