"""A rebuild's bulk writes (store/bulk.py): rows written the plain way read back as SQLAlchemy's insert writes
them (JSON, booleans, nulls); foreign keys and the rewritten tables' indexes are off only while the rebuild
writes, come back after it, and stay as they were when it fails."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from corroboration_support import dense_rows
from undercurrent.store import bulk, clusters, schema


def _summary_row(cid: str, disagreements) -> dict:
    return {"id": cid, "n_events": 2, "n_reports": 2, "n_outlets": 1, "n_reprints": 0, "first_reported": "2020-05-01",
            "last_reported": None, "type": "COERCE", "mode": None, "admin1": "KP-09", "place_id": None,
            "date_start": "2020-05-01", "disagreements": disagreements}


def test_rows_written_in_bulk_read_back_as_an_ordinary_insert_writes_them(store):
    t = schema.event_clusters
    values = [[{"field": "arrested", "values": [{"value": 3, "reports": ["r1"], "outlets": ["A \u00e9"]}]}], [], None]
    with store.engine.begin() as conn:
        conn.execute(t.insert(), [_summary_row(f"a{i}", v) for i, v in enumerate(values)])
        bulk.insert_rows(conn, t, (_summary_row(f"b{i}", v) for i, v in enumerate(values)), chunk=2)
        bulk.insert_rows(conn, t, iter(()))  # nothing to write: no statement
        rows = {row.id: row._asdict() for row in conn.execute(sa.select(t))}
    assert len(rows) == 6
    for i in range(len(values)):
        assert {**rows[f"a{i}"], "id": None} == {**rows[f"b{i}"], "id": None}
    members = schema.cluster_members
    rows_dicts = [{"event_id": ev["id"], "cluster_id": "c1", "pinned": k == 0} for k, (_r, ev) in enumerate(dense_rows(3))]
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [r for r, _ in dense_rows(3)])
        conn.execute(schema.events.insert(), [ev for _, ev in dense_rows(3)])
        bulk.insert_rows(conn, members, rows_dicts)
        pinned = dict(conn.execute(sa.select(members.c.event_id, members.c.pinned)).all())
    assert pinned == {d["event_id"]: d["pinned"] for d in rows_dicts} and pinned[rows_dicts[0]["event_id"]] is True


def _foreign_keys(conn) -> int:
    return conn.exec_driver_sql("PRAGMA foreign_keys").scalar()


def _indexes(store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all()


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_foreign_keys_are_off_only_inside_and_back_after_a_failure(store):
    with store.engine.connect() as conn:
        with pytest.raises(RuntimeError), bulk.foreign_keys_off(conn), conn.begin():
            assert _foreign_keys(conn) == 0
            conn.execute(schema.event_links.insert().values(a="no-such-a", b="no-such-b", score=1.0))
            raise RuntimeError("stopped")
        assert _foreign_keys(conn) == 1
        conn.rollback()
        with pytest.raises(sa.exc.IntegrityError), conn.begin():
            conn.execute(schema.event_links.insert().values(a="no-such-a", b="no-such-b", score=1.0))
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.event_links)).scalar() == 0


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_indexes_set_aside_come_back_the_same_and_stay_when_the_writing_fails(store):
    before = _indexes(store)
    tables = [schema.event_links, schema.cluster_members, schema.event_clusters]
    with store.engine.connect() as conn, conn.begin(), bulk.indexes_set_aside(conn, tables):
        inside = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                      "AND tbl_name IN ('event_links', 'cluster_members', 'event_clusters')").all()
        assert inside == []
    assert _indexes(store) == before
    with pytest.raises(RuntimeError), store.engine.connect() as conn, conn.begin(), bulk.indexes_set_aside(conn, tables):
        raise RuntimeError("stopped")
    assert _indexes(store) == before
    assert any(name == "ix_event_links_b" for name, _sql in before)


def test_a_rebuild_leaves_the_schema_and_the_checks_as_they_were(store):
    rows = dense_rows(200, seed=2)
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [r for r, _ in rows])
        conn.execute(schema.events.insert(), [ev for _, ev in rows])
    before = _indexes(store) if store.dialect == "sqlite" else None
    assert clusters.rebuild(store, workers=1)["clusters"] > 0
    if store.dialect == "sqlite":
        assert _indexes(store) == before
        with store.engine.connect() as conn:  # every pooled connection checks foreign keys again
            assert _foreign_keys(conn) == 1
