"""Record keys in arrival order (store/arrival.py, migration 0013): a new report's records are keyed by
the report's arrival number, a re-extraction finds the same keys, and a report stored before the
numbering keeps its hashed keys."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.corroborate.clusters import cluster_id_for
from undercurrent.record_keys import arrival_key, in_arrival_order
from undercurrent.store import schema
from undercurrent.store.arrival import next_arrivals
from undercurrent.store.db import _alembic_config, open_store
from undercurrent.store.records import _replace_machine_records, _report_row, review, save, save_many
from undercurrent.store.rows import record_rows

TEXTS = [
    "Police in Hyesan arrested five smugglers on March 3, a source in Ryanggang Province said.",
    "The Ministry of State Security detained two traders in Sinuiju last week, a source said.",
    "Rice cost 5,000 won per kilogram in the Chongjin market in May, a source in North Hamgyong said.",
]


def _keys(store, report_id: str) -> dict[str, set[str]]:
    with store.engine.connect() as conn:
        return {name: {row[0] for row in conn.execute(sa.select(t.c.id).where(t.c.report_id == report_id))}
                for name, t in schema.RECORD_TABLES.items()}


def _arrival(store, report_id: str) -> int | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(schema.reports.c.arrival).where(schema.reports.c.id == report_id)).scalar_one()


def test_keys_follow_the_order_reports_arrived_in(store, extract_text, kb):
    saved = [extract_text(text) for text in TEXTS]
    for records in saved[:2]:
        save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
    save_many(store, [(saved[2], saved[2].report.text.encode(), "text/plain"),
                      (saved[0], b"again", "text/plain")], kb=kb)  # already stored: unchanged, no number drawn
    assert [_arrival(store, records.report.id) for records in saved] == [1, 2, 3]
    for arrival, records in enumerate(saved, start=1):
        keys = _keys(store, records.report.id)
        assert sum(map(len, keys.values())) > 0
        hashed = record_rows(records, kb)
        assert keys == {name: {arrival_key(arrival, row["id"]) for row in hashed[name]} for name in keys}
    with store.engine.connect() as conn:
        memberships = conn.execute(sa.select(schema.cluster_members.c.event_id, schema.cluster_members.c.cluster_id)).all()
    assert memberships and all(in_arrival_order(event) for event, _ in memberships)
    # an automatic cluster is named after its first member whole, not after a hash of it
    singletons = [(event, cluster) for event, cluster in memberships if cluster == cluster_id_for([event])]
    assert singletons and all(cluster == "c" + event for event, cluster in singletons)


def test_a_reextraction_finds_the_same_keys_and_keeps_the_review(store, extract_text, kb):
    first, second = extract_text(TEXTS[0]), extract_text(TEXTS[1])
    for records in (first, second):
        save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
    before = _keys(store, second.report.id)
    reviewed = sorted(before["events"])[0]
    review(store, "events", reviewed, status="edited", user="ana", changes={"status": "ordered"})
    assert save(store, second, original=b"", media_type=None, kb=kb, replace=True).status == "re-extracted"
    assert _keys(store, second.report.id) == before and _arrival(store, second.report.id) == 2
    with store.engine.connect() as conn:
        kept = conn.execute(sa.select(schema.events.c.status, schema.events.c.review_status)
                            .where(schema.events.c.id == reviewed)).one()
    assert tuple(kept) == ("ordered", "edited")
    third = extract_text(TEXTS[2])
    save(store, third, original=b"x", media_type=None, kb=kb)
    assert _arrival(store, third.report.id) == 3  # a re-extraction draws no number


def test_a_report_stored_before_the_numbering_keeps_its_hashed_keys(store, extract_text, kb):
    """Saved as the code before migration 0013 saved (no number, hashed keys), then upgraded: its review
    survives a re-extraction, which keys its records as they were; the next new report is number 1."""
    from alembic import command

    old = extract_text(TEXTS[0])
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
        assert "arrival" not in {c["name"] for c in sa.inspect(conn).get_columns("reports")}
        conn.execute(schema.reports.insert().values(**_report_row(old, b"old", "text/plain")))
        _replace_machine_records(conn, old.report.id, None, record_rows(old, kb), new=True)
    store.engine.dispose()
    upgraded = open_store(url=store.url)
    try:
        hashed = _keys(upgraded, old.report.id)
        assert hashed["events"] and not any(in_arrival_order(k) for keys in hashed.values() for k in keys)
        assert _arrival(upgraded, old.report.id) is None
        reviewed = sorted(hashed["events"])[0]
        review(upgraded, "events", reviewed, status="rejected", user="ana")
        save(upgraded, old, original=b"old", media_type="text/plain", kb=kb, replace=True)
        assert _keys(upgraded, old.report.id) == hashed
        new = extract_text(TEXTS[1])
        save(upgraded, new, original=b"new", media_type="text/plain", kb=kb)
        assert _arrival(upgraded, new.report.id) == 1
        assert all(key.startswith("n0000000001") for keys in _keys(upgraded, new.report.id).values() for key in keys)
    finally:
        upgraded.close()


def test_numbers_are_drawn_in_the_callers_transaction_and_given_back_with_it(store):
    """A save that fails stores nothing; on SQLite its number is drawn again by the next save (the largest
    stored number decides), on PostgreSQL the sequence moves on: numbers order, they need not be dense."""
    with store.engine.connect() as conn:
        with conn.begin():
            drawn = next_arrivals(conn, 3)
            assert drawn == sorted(drawn) and len(set(drawn)) == 3
        assert next_arrivals(conn, 0) == []
        with conn.begin():
            again = next_arrivals(conn, 1)
    assert again[0] == (drawn[0] if store.dialect == "sqlite" else drawn[-1] + 1)
