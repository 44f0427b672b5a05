"""A save costs the same in a large store as in a small one: the statements it runs use the index
by report, never a scan of every pending record (issue 13, loading)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.arrival import exists_in_same_report, joins_its_report, of_report, of_reports
from undercurrent.store.db import open_store
from undercurrent.store.records import save

TEXT = "Police in Hyesan arrested three traders who sold phones, a source in Ryanggang Province said."


def _plan(store, statement) -> str:
    sql = str(statement.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        return " ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_reextraction_delete_is_planned_by_report(tmp_path):
    """By number for a numbered report, by id for one stored before the numbering: each through the
    partial index of its kind of report (migration 0016), never the review_status index alone."""
    store = open_store(url=f"sqlite:///{tmp_path / 'plan.db'}")
    for table in schema.RECORD_TABLES.values():
        for arrival, index in ((7, f"ix_{table.name}_arrival_review (arrival=? AND review_status=?)"),
                               (None, f"ix_{table.name}_report_review (report_id=? AND review_status=?)")):
            plan = _plan(store, table.delete().where(of_report(table, "r1", arrival), table.c.review_status == schema.PENDING))
            assert index in plan, (table.name, plan)
    for table in schema.MENTION_TABLES.values():
        for arrival, index in ((7, f"ux_{table.name}_arrival_start (arrival=?)"),
                               (None, f"ux_{table.name}_report_start (report_id=?)")):
            assert index in _plan(store, table.delete().where(of_report(table, "r1", arrival))), table.name
    store.close()


def test_reads_of_several_reports_and_of_the_same_report_use_both_indexes(tmp_path):
    """A list of reports mixing numbered and unnumbered ones, and the sources of an event's report (the
    search filter by source kind), reach each kind through its own index, not a scan of the table."""
    store = open_store(url=f"sqlite:///{tmp_path / 'plan.db'}")
    s, e = schema.sources, schema.events
    plan = _plan(store, sa.select(s.c.id).where(of_reports(s, {"r1": 4, "r2": None, "r3": 9})))
    assert "ix_sources_arrival_review (arrival=?)" in plan and "ix_sources_report_review (report_id=?)" in plan, plan
    plan = _plan(store, sa.select(e.c.id).where(exists_in_same_report(s, e.c.arrival, e.c.report_id,
                                                                      s.c.kind == "resident")))
    assert "ix_sources_arrival_review (arrival=?)" in plan and "ix_sources_report_review (report_id=?)" in plan, plan
    store.close()


def _recorded(store) -> list[str]:
    """The statements `store` runs from now on, appended as they run."""
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: statements.append(statement))
    return statements


def _deletes(statements: list[str], tables: tuple[str, ...]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("DELETE") and s.split()[2].strip('"') in tables]


def _record_deletes(statements: list[str]) -> list[str]:
    # Re-grouping clusters deletes memberships by event id (a key lookup); what must not run for a new
    # report is the delete of a report's pending records.
    return _deletes(statements, ("events", "observations", "sources", "place_mentions", "institution_mentions"))


def test_saving_a_new_report_runs_no_delete(tmp_path, extract_text):
    store = open_store(url=f"sqlite:///{tmp_path / 'new.db'}")
    statements = _recorded(store)
    records = extract_text(TEXT)
    assert save(store, records, original=TEXT.encode(), media_type="text/plain").status == "stored"
    assert not _record_deletes(statements)
    statements.clear()
    assert save(store, records, original=TEXT.encode(), media_type="text/plain", replace=True).status == "re-extracted"
    assert _record_deletes(statements)  # re-extraction still replaces
    store.close()


def test_a_new_reports_records_look_up_no_links_to_drop(tmp_path, extract_text):
    # Its records were inserted in the same transaction, so no link can name them; the lookup read a page
    # of each link index per record, from the disk at a million reports.
    store = open_store(url=f"sqlite:///{tmp_path / 'links.db'}")
    statements = _recorded(store)
    records = extract_text(TEXT)
    assert records.events
    save(store, records, original=TEXT.encode(), media_type="text/plain")
    assert not _deletes(statements, ("event_links",))
    statements.clear()
    save(store, records, original=TEXT.encode(), media_type="text/plain", replace=True)
    assert _deletes(statements, ("event_links",))  # re-extracted records are judged again: their old links go first
    store.close()


OTHER = "Guards in Sinuiju arrested a broker who carried phones across the river, a source said."


def _table_rows(store) -> dict:
    out = {}
    with store.engine.connect() as conn:
        for name in ("events", "observations", "sources", "place_mentions", "institution_mentions"):
            table = schema.metadata.tables[name]
            out[name] = sorted(tuple(sorted((k, str(v)) for k, v in row.items()))
                               for row in conn.execute(sa.select(table)).mappings())
    return out


def test_bulk_save_stores_what_save_stores(store, extract_text, tmp_path):
    from undercurrent.store.records import save_many

    batch = [(extract_text(text), text.encode(), "text/plain") for text in (TEXT, OTHER)]
    one_by_one = open_store(url=f"sqlite:///{tmp_path / 'one.db'}")
    for records, original, media in batch:
        save(one_by_one, records, original=original, media_type=media)
    results = save_many(store, batch)
    assert [r.status for r in results] == ["stored", "stored"] and results[0].events > 0
    assert _table_rows(store) == _table_rows(one_by_one)
    again = save_many(store, batch + [batch[0]])
    assert [r.status for r in again] == ["unchanged"] * 3
    assert _table_rows(store) == _table_rows(one_by_one)
    one_by_one.close()


def test_reports_are_indexed_by_what_statements_look_them_up_by(store):
    """Each index is one more leaf a save writes; the reports table keeps those some statement reads by:
    the id, the publication date, the arrival number (and on PostgreSQL the words searched for, by
    trigram; SQLite's are in the FTS5 table). The content hash is read with the row, by id."""
    indexed = {tuple(index["column_names"]) for index in sa.inspect(store.engine).get_indexes("reports")}
    searched = {("text",), ("title",)} if store.dialect == "postgresql" else set()
    assert indexed == {("published",), ("arrival",)} | searched  # beside the primary key (id)


def test_reports_found_first_reach_their_events_through_both_indexes(tmp_path):
    """A text search finds reports first (their rowids from FTS5). Joined by id alone, the events of a
    report could only be found by walking every event (no index leads with report_id for every row since
    migration 0016); the join names the number too, and SQLite goes through both partial indexes. (On
    PostgreSQL the plan depends on the statistics of a filled store: a BitmapOr of both indexes at
    303,000 reports, bench/RESULTS.md.)"""
    store = open_store(url=f"sqlite:///{tmp_path / 'plan.db'}")
    e, r = schema.events, schema.reports
    found = sa.literal_column("reports.rowid").in_([3, 5, 8])
    assert "SCAN events" in _plan(store, sa.select(e.c.id).select_from(e.join(r, e.c.report_id == r.c.id)).where(found))
    plan = _plan(store, sa.select(e.c.id).select_from(e.join(r, joins_its_report(e, r))).where(found))
    assert "ix_events_arrival_review (arrival=?)" in plan and "ix_events_report_review (report_id=?)" in plan, plan
    assert "SCAN events" not in plan
    store.close()


def test_a_word_alone_is_searched_from_the_reports_it_matches(tmp_path):
    """A text filter with nothing an events index serves: the reports FTS5 finds come first, their events
    through the indexes by report (a rare word at a million events: 8-12 ms, against 1.6-1.9 s walking
    every event). With a type or a province the planner may start from that index instead."""
    from undercurrent.store.search import EventFilter, event_query

    store = open_store(url=f"sqlite:///{tmp_path / 'plan.db'}")
    alone = _plan(store, event_query(store, EventFilter(text="smugglers")))
    assert "ix_events_arrival_review" in alone and "ix_events_report_review" in alone, alone
    with_type = _plan(store, event_query(store, EventFilter(text="smugglers", type="COERCE")))
    assert "ix_events_arrival_review" not in with_type, with_type
    store.close()


def test_a_word_on_postgresql_is_looked_up_in_both_trigram_indexes(store):
    """The title was matched as coalesce(title, ''), which no index serves, so the OR of text and title read
    every report (1.7 s at 300,000 reports for a word in none); a positive clause now names the title bare."""
    if store.dialect == "sqlite":
        pytest.skip("SQLite looks words up in FTS5 (tests/store/test_search*.py)")
    from undercurrent.store.conditions import text_condition

    r = schema.reports
    sql = str(sa.select(r.c.id).where(text_condition(store, "zzzqqq"))
              .compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # a test store is small enough to read whole
        plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))
    assert "ix_reports_title_trgm" in plan and "ix_reports_text_trgm" in plan, plan


def test_a_negated_word_keeps_reports_without_a_title(store, extract_text, kb):
    from undercurrent.store.search import EventFilter, search_events

    records = extract_text(TEXT)
    assert records.report.title is None
    save(store, records, original=b"x", media_type=None, kb=kb)
    assert search_events(store, EventFilter(text="Hyesan -zzzqqq")), "an untitled report has no word it must lack"
    assert search_events(store, EventFilter(text="Hyesan -zz"))  # a short term: LIKE on SQLite as well
