"""The store on SQLite and PostgreSQL alike: idempotent ingest, reviews kept, search, stats."""
import json

import pytest
import sqlalchemy as sa

from undercurrent.collect import ingest_items, stored_reports
from undercurrent.ingest.items import iter_items
from undercurrent.store import schema
from undercurrent.store.records import review
from undercurrent.store.search import EventFilter, count_events, search_events, stats

REPORTS = [
    {"url": "https://example.org/1", "outlet": "Test Wire", "title": "Phones seized", "published": "2019-03-04",
     "text": "Agents of the Ministry of State Security arrested five smugglers with Chinese phones in Hyesan last month, "
             "a source in Ryanggang Province said. Rice cost 5,000 won per kg."},
    {"url": "https://example.org/2", "outlet": "Other Wire", "title": "Market rules", "published": "2021-07-01",
     "text": "Police in Chongjin confiscated goods from traders on July 2, a source in North Hamgyong Province told reporters."},
    {"url": "https://example.org/3", "outlet": "Test Wire", "title": "Flood aid", "published": "2020-08-10",
     "text": "The government provided food to flood victims in Unpa County, state media said."},
]


def write_reports(folder):
    folder.mkdir(exist_ok=True)
    for i, report in enumerate(REPORTS):
        (folder / f"r{i}.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


def test_ingest_is_idempotent(store, extractor, tmp_path):
    folder = write_reports(tmp_path / "in")
    first = ingest_items(iter_items([str(folder)]), store, extractor)
    assert (first.stored, first.unchanged, first.failed) == (3, 0, [])
    events_before = count_events(store)
    second = ingest_items(iter_items([str(folder)]), store, extractor)
    assert (second.stored, second.unchanged) == (0, 3)
    assert count_events(store) == events_before > 0


def test_original_bytes_are_kept_with_their_hash(store, extractor, tmp_path):
    import hashlib

    folder = write_reports(tmp_path / "in")
    ingest_items(iter_items([str(folder)]), store, extractor)
    raw = (folder / "r0.json").read_bytes()
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(schema.reports).where(schema.reports.c.url == "https://example.org/1")).mappings().one()
    assert row["original"] == raw
    assert row["original_sha256"] == hashlib.sha256(raw).hexdigest()
    assert row["content_sha256"] == hashlib.sha256(row["text"].encode()).hexdigest()


def test_reextraction_never_overwrites_reviewed_records(store, extractor, tmp_path):
    folder = write_reports(tmp_path / "in")
    ingest_items(iter_items([str(folder)]), store, extractor)
    events = search_events(store, EventFilter(outlet="Test Wire"), limit=None)
    edited, rejected = events[0], events[-1]
    review(store, "events", edited["id"], status="edited", user="ana", changes={"status": "ordered", "type": "COERCE", "mode": "seize"})
    review(store, "events", rejected["id"], status="rejected", user="ana")
    summary = ingest_items(stored_reports(store), store, extractor, reextract=True)
    assert summary.reextracted == 3
    with store.engine.connect() as conn:
        rows = {r["id"]: r for r in conn.execute(sa.select(schema.events)).mappings()}
        log = conn.execute(sa.select(schema.audit_log)).mappings().all()
    assert rows[edited["id"]]["status"] == "ordered" and rows[edited["id"]]["review_status"] == "edited"
    assert rows[edited["id"]]["reviewed_by"] == "ana"
    assert rows[rejected["id"]]["review_status"] == "rejected"  # not re-created as a fresh machine record
    assert len(rows) == len({*rows})
    assert [entry["action"] for entry in log] == ["review:edited", "review:rejected"]
    assert log[0]["before"]["status"] != "ordered" and log[0]["after"]["status"] == "ordered"
    # a rejected record is hidden from search unless asked for
    visible = {r["id"] for r in search_events(store, EventFilter(), limit=None)}
    assert rejected["id"] not in visible and edited["id"] in visible


def test_search_text_and_filters(store, extractor, tmp_path):
    ingest_items(iter_items([str(write_reports(tmp_path / "in"))]), store, extractor)
    phones = search_events(store, EventFilter(text="phones"), limit=None)
    assert phones and {r["url"] for r in phones} == {"https://example.org/1"}
    assert search_events(store, EventFilter(text="PHONES smugglers"), limit=None) == phones
    assert search_events(store, EventFilter(text="phones", type="COERCE", province="KP-10"), limit=None)
    assert search_events(store, EventFilter(text="phones", province="KP-09"), limit=None) == []
    assert {r["url"] for r in search_events(store, EventFilter(since="2021-01"), limit=None)} == {"https://example.org/2"}
    assert {r["url"] for r in search_events(store, EventFilter(until="2019-02"), limit=None)} == {"https://example.org/1"}
    assert all(r["type"] == "AID" for r in search_events(store, EventFilter(type="AID"), limit=None))
    assert search_events(store, EventFilter(institution="ministry_of_state_security"), limit=None)
    assert {r["outlet"] for r in search_events(store, EventFilter(source_kind="official_media"), limit=None)} == {"Test Wire"}


def test_stats(store, extractor, tmp_path):
    ingest_items(iter_items([str(write_reports(tmp_path / "in"))]), store, extractor)
    figures = stats(store)
    assert figures["reports"] == [(None, 3)]
    assert sum(n for _, n in figures["type"]) == count_events(store)
    assert ("KP-10", 1) in figures["province"] or any(key == "KP-10" for key, _ in figures["province"])
    assert [key for key, _ in figures["month"]] == sorted(key for key, _ in figures["month"])


def test_sqlite_and_postgresql_give_the_same_results(extractor, tmp_path, request):
    """The same data in both databases: the same search results, in the same order."""
    import os

    from pg_support import fresh_postgres as _fresh_postgres
    from pg_support import postgres_url as _postgres_url
    from undercurrent.store.db import open_store

    base = _postgres_url()
    if base is None and os.environ.get("UNDERCURRENT_SKIP_POSTGRES"):
        import pytest
        pytest.skip("UNDERCURRENT_SKIP_POSTGRES is set")
    assert base is not None, "no PostgreSQL for the comparison"
    folder = write_reports(tmp_path / "in")
    results = []
    for url in (f"sqlite:///{tmp_path / 'a.db'}", _fresh_postgres(base)):
        db = open_store(url=url)
        ingest_items(iter_items([str(folder)]), db, extractor)
        results.append([(r["id"], r["type"], r["sort_date"]) for r in search_events(db, EventFilter(text="source"), limit=None)])
        results.append(stats(db))
        db.close()
    assert results[0] == results[2] and results[0]
    assert results[1] == results[3]


def test_mixed_language_ingest_and_korean_search(store, extractor, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "en.txt").write_text("Police in Hyesan arrested two traders with Chinese phones.", encoding="utf-8")
    (folder / "ko.txt").write_text("양강도 혜산시에서 보위부가 중국 휴대전화를 사용하던 주민 3명을 체포했다고 양강도 소식통이 전했다.",
                                   encoding="utf-8")
    summary = ingest_items(iter_items([str(folder)]), store, extractor)
    assert summary.stored == 2
    with store.engine.connect() as conn:
        languages = dict(conn.execute(sa.select(schema.reports.c.ingest_source, schema.reports.c.language)).all())
    assert languages == {str(folder / "en.txt"): "en", str(folder / "ko.txt"): "ko"}
    korean = search_events(store, EventFilter(text="휴대전화"), limit=None)
    assert korean and {r["language"] for r in korean} == {"ko"}
    assert korean[0]["type"] == "COERCE" and korean[0]["admin1"] == "KP-10"
    assert search_events(store, EventFilter(text="보위부", institution="ministry_of_state_security"), limit=None)
    assert {r["language"] for r in search_events(store, EventFilter(province="KP-10"), limit=None)} == {"en", "ko"}
    assert {r["language"] for r in search_events(store, EventFilter(language="en"), limit=None)} == {"en"}


def test_review_refuses_invalid_changes_and_writes_nothing(store, extractor, tmp_path):
    from undercurrent.errors import BadEdit

    ingest_items(iter_items([str(write_reports(tmp_path / "in"))]), store, extractor)
    event = search_events(store, EventFilter(), limit=1)[0]
    bad = [{"type": "COERCE", "mode": "convict"}, {"status": "rumoured"}, {"place_id": "kp-99-nowhere"},
           {"institutions": ["no_such_ministry"]}, {"date_start": "last spring"}, {"quote": "rewritten"}]
    for changes in bad:
        with pytest.raises(BadEdit):
            review(store, "events", event["id"], status="edited", user="ana", changes=changes)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(schema.events).where(schema.events.c.id == event["id"])).mappings().one()
        assert row["review_status"] == "pending"
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log)).scalar_one() == 0


def test_review_edit_sets_place_fields_from_gazetteer(store, extractor, tmp_path):
    ingest_items(iter_items([str(write_reports(tmp_path / "in"))]), store, extractor)
    event = search_events(store, EventFilter(), limit=1)[0]
    after = review(store, "events", event["id"], status="accepted", user="ana",
                   changes={"place_id": "kp-09-chongjin", "institutions": ["ministry_of_state_security"]})
    assert after["review_status"] == "edited"
    assert after["admin1"] == "KP-09" and after["latitude"] and after["precision"] >= 4
    assert after["actor_institutions"] == "|ministry_of_state_security|"
