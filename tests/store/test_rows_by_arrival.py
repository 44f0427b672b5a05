"""A report's records and mentions are found by its arrival number, or by its id when it has none
(store/arrival.py, migration 0016): reads, re-extraction and the upgrade of a store saved before."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.record_keys import arrival_key
from undercurrent.store import schema
from undercurrent.store.arrival import next_arrivals
from undercurrent.store.db import _alembic_config, open_store
from undercurrent.store.exports import source_details
from undercurrent.store.queries import get_report
from undercurrent.store.records import _replace_machine_records, _report_row, review, save
from undercurrent.store.rows import record_rows
from undercurrent.store.search import EventFilter, search_events

TEXTS = [
    "Police in Hyesan arrested five smugglers on March 3, a source in Ryanggang Province said.",
    "The Ministry of State Security detained two traders in Sinuiju last week, a resident said.",
    "Rice cost 5,000 won per kilogram in the Chongjin market in May, a source in North Hamgyong said.",
]
ALL_TABLES = (*schema.RECORD_TABLES.values(), *schema.MENTION_TABLES.values())


def _arrivals(store, report_id: str) -> dict[str, set[int | None]]:
    with store.engine.connect() as conn:
        return {t.name: set(conn.execute(sa.select(t.c.arrival).where(t.c.report_id == report_id)).scalars())
                for t in ALL_TABLES}


def _index_sizes(store) -> dict[str, int]:
    """Entries in each partial index by report, counted through the index (its condition named)."""
    out = {}
    with store.engine.connect() as conn:
        for t in ALL_TABLES:
            out[f"{t.name} unnumbered"] = conn.execute(sa.select(sa.func.count()).select_from(t)
                                                       .where(t.c.arrival.is_(None))).scalar_one()
            out[f"{t.name} numbered"] = conn.execute(sa.select(sa.func.count()).select_from(t)
                                                     .where(t.c.arrival.is_not(None))).scalar_one()
    return out


def _keyed_as(number: int, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Record keys in arrival form for `number`, no number column (the rows as 0013-0015 wrote them)."""
    return {name: [{**row, "id": arrival_key(number, row["id"])} if "id" in row else row for row in table_rows]
            for name, table_rows in rows.items()}


def test_a_new_reports_rows_carry_its_number_and_are_read_by_it(store, extract_text, kb):
    saved = [extract_text(text) for text in TEXTS]
    for records in saved:
        save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
    for number, records in enumerate(saved, start=1):
        found = _arrivals(store, records.report.id)
        assert {name: values for name, values in found.items() if values} == \
               {name: {number} for name, values in found.items() if values}
        report = get_report(store, records.report.id)
        rows = record_rows(records, kb)
        for table in ALL_TABLES:
            assert len(report[table.name]) == len(rows[table.name]), table.name
            assert all("arrival" not in row for row in report[table.name])  # where the store keeps it, not shown
    assert any(_arrivals(store, saved[0].report.id)[name] for name in schema.MENTION_TABLES)
    assert _index_sizes(store)["events unnumbered"] == 0


def test_a_reextraction_replaces_the_mentions_and_keeps_a_review(store, extract_text, kb):
    records = extract_text(TEXTS[0])
    save(store, records, original=b"x", media_type=None, kb=kb)
    before = get_report(store, records.report.id)
    rejected = before["events"][0]["id"]
    review(store, "events", rejected, status="rejected", user="ana")
    assert save(store, records, original=b"x", media_type=None, kb=kb, replace=True).status == "re-extracted"
    after = get_report(store, records.report.id)
    assert [m["start"] for m in after["place_mentions"]] == [m["start"] for m in before["place_mentions"]]
    assert {e["id"]: e["review_status"] for e in after["events"]}[rejected] == "rejected"
    assert len(after["events"]) == len(before["events"])


def test_the_upgrade_numbers_the_rows_of_numbered_reports_and_leaves_the_others(store, extract_text, kb):
    """A store at 0015 with a report saved before the numbering (hashed keys, no number) and a numbered
    one: after 0016 every read finds both, each through its own index; the mentions keep one row per
    offset; search by source kind and the exports' sources reach both kinds of report."""
    from alembic import command

    old, numbered = extract_text(TEXTS[0]), extract_text(TEXTS[1])
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
        conn.execute(schema.reports.insert().values(**_report_row(old, b"old", "text/plain")))
        # keys in arrival form under a report with no number, as unreleased code wrote them: a row's
        # number must come from its report, or the next report numbered 2 would take these rows for its own
        _replace_machine_records(conn, old.report.id, None, _keyed_as(2, record_rows(old, kb)), new=True)
        command.upgrade(config, "0015")
    store.engine.dispose()
    at_0015 = open_store(url=store.url, upgrade=False)
    with at_0015.engine.begin() as conn:  # saved as the code of 0013-0015 saved: keys by number, no column
        assert next_arrivals(conn, 1) == [1]
        conn.execute(schema.reports.insert().values(**_report_row(numbered, b"new", "text/plain", 1)))
        rows = record_rows(numbered, kb)
        for table in ALL_TABLES:
            if keyed := _keyed_as(1, rows)[table.name]:  # the columns of 0015: no arrival
                conn.execute(table.insert(), keyed)
    at_0015.close()
    upgraded = open_store(url=store.url)
    try:
        assert {v for values in _arrivals(upgraded, old.report.id).values() for v in values} == {None}
        assert {v for values in _arrivals(upgraded, numbered.report.id).values() for v in values} == {1}
        for records in (old, numbered):
            report = get_report(upgraded, records.report.id)
            expected = record_rows(records, kb)
            for table in ALL_TABLES:
                assert len(report[table.name]) == len(expected[table.name]), (records.report.id, table.name)
        sources = source_details(upgraded, [old.report.id, numbered.report.id])
        assert set(sources) == {old.report.id, numbered.report.id}
        with_events = {e["report_id"] for e in search_events(upgraded, limit=None)}
        for kind in {s["kind"] for rows in sources.values() for s in rows}:
            found = {e["report_id"] for e in search_events(upgraded, EventFilter(source_kind=kind), limit=None)}
            assert found == {r for r, rows in sources.items() if any(s["kind"] == kind for s in rows)} & with_events
        third = extract_text(TEXTS[2])
        save(upgraded, third, original=b"third", media_type=None, kb=kb)  # number 2
        assert len(get_report(upgraded, third.report.id)["events"]) == len(record_rows(third, kb)["events"])
        assert len(get_report(upgraded, old.report.id)["events"]) == len(record_rows(old, kb)["events"])
        assert save(upgraded, old, original=b"old", media_type=None, kb=kb, replace=True).status == "re-extracted"
        assert save(upgraded, numbered, original=b"new", media_type=None, kb=kb, replace=True).status == "re-extracted"
        assert [len(get_report(upgraded, r.report.id)["place_mentions"]) for r in (old, numbered)] == \
               [len(record_rows(r, kb)["place_mentions"]) for r in (old, numbered)]
    finally:
        upgraded.close()
