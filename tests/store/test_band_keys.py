"""The LSH band table (migration 0011): one B-tree of integer keys, a third of the text table's size, and
the same reprints found through it as before."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from corroboration_support import TEXT, event_rows, save_rows
from undercurrent.corroborate import reprints
from undercurrent.store import clusters, schema
from undercurrent.store.db import _alembic_config, open_store

DAY = date(2020, 5, 1)


def _fill(store, n: int, *, reprinted_every: int = 5) -> None:
    """n reports, every `reprinted_every`-th one a copy of the shared text (a reprint group)."""
    for k in range(n):
        text = TEXT if k % reprinted_every == 0 else " ".join(f"w{k}n{j}" for j in range(60))  # shares no shingle
        save_rows(store, *event_rows(k, day=DAY, published=f"2020-06-{1 + k % 28:02d}", text=text))


def _marks(conn) -> dict[str, str | None]:
    t = schema.report_signatures
    return dict(conn.execute(sa.select(t.c.report_id, t.c.reprint_of)).all())


def _bands(conn) -> set[tuple]:
    return set(conn.execute(sa.select(schema.report_bands.c.key, schema.report_bands.c.report_id)).all())


def _expected_bands(conn) -> set[tuple[int, str]]:
    t, r = schema.report_signatures, schema.reports
    rows = conn.execute(sa.select(t.c.report_id, t.c.signature, r.c.published, r.c.ingested_at).join(r, r.c.id == t.c.report_id))
    return {(key, row.report_id) for row in rows
            for key in reprints.keys(reprints.from_bytes(row.signature), reprints.window(row.published, row.ingested_at))}


def test_the_band_table_is_one_btree_of_a_third_the_size(tmp_path):
    store = open_store(url=f"sqlite:///{tmp_path / 'b.db'}")
    try:
        _fill(store, 300)
        with store.engine.connect() as conn:
            indexes = conn.exec_driver_sql("PRAGMA index_list(report_bands)").all()
            assert [row.origin for row in indexes] == ["pk"]  # the table itself: no rowid, no other index
            pages = conn.exec_driver_sql("SELECT sum(pgsize) FROM dbstat WHERE name IN "
                                         "(SELECT name FROM sqlite_master WHERE tbl_name = 'report_bands')").scalar()
        # text keys in a rowid table with two indexes took 5.5 KB a report
        assert pages / 300 < 2000, pages / 300
    finally:
        store.close()


def test_migration_0011_writes_the_keys_again_and_the_same_reprints_are_found(store):
    from alembic import command

    _fill(store, 30)
    with store.engine.connect() as conn:
        marks = _marks(conn)
    assert sum(1 for mark in marks.values() if mark) == 5  # six copies of one text: five name the first
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
        assert {type(key) for key, _ in _bands(conn)} == {str}
    store.engine.dispose()
    reopened = open_store(url=store.url)
    try:
        with reopened.engine.connect() as conn:
            assert _bands(conn) == _expected_bands(conn) and len(_bands(conn)) == 30 * reprints.BANDS
            assert _marks(conn) == marks
        copy = event_rows(99, day=DAY, published="2020-07-01", text=TEXT)
        save_rows(reopened, *copy)  # a later copy finds its group through the rewritten keys
        with reopened.engine.connect() as conn:
            assert _marks(conn)[copy[0]["id"]] == marks["r00005"] == "r00000"
    finally:
        reopened.close()


def test_bands_of_a_report_deleted_outside_the_application_are_not_candidates(store):
    """The band table has no foreign key: a deleted report's bands stay, with no signature to confirm them."""
    _fill(store, 12, reprinted_every=4)
    with store.engine.begin() as conn:
        conn.execute(schema.reports.delete().where(schema.reports.c.id == "r00000"))
    assert clusters.rebuild(store)["reprints"] == 1  # r00004 and r00008: one copy of the other
    copy = event_rows(50, day=DAY, published="2020-07-01", text=TEXT)
    save_rows(store, *copy)
    with store.engine.connect() as conn:
        assert _marks(conn)[copy[0]["id"]] == "r00004"


def test_the_upgrade_tells_how_it_goes(tmp_path):
    from alembic import command

    path = tmp_path / "p.db"
    store = open_store(url=f"sqlite:///{path}")
    _fill(store, 7)
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    store.close()
    heard: list[str] = []
    open_store(url=f"sqlite:///{path}", progress=heard.append).close()
    assert heard[0].startswith("upgrading the store's schema")
    assert "band keys written for 7 of 7 reports" in heard  # 0011
    assert "band keys of 7 reports written in their windows" in heard  # 0014
    assert heard[-1] == "institution_mentions: indexed by report number"  # 0016
    heard.clear()
    open_store(url=f"sqlite:///{path}", progress=heard.append).close()
    assert heard == []  # at the newest schema: nothing to tell


def test_a_report_deleted_outside_the_application_can_be_stored_again(store):
    """Its bands stayed behind; storing it again (same id) must not collide with them, in a save or in the
    bulk signing of a rebuild."""
    _fill(store, 8, reprinted_every=4)
    first = event_rows(0, day=DAY, published="2020-06-01", text=TEXT)
    for again in (lambda: save_rows(store, *first), lambda: _insert_unsigned(store, first)):
        with store.engine.begin() as conn:
            conn.execute(schema.reports.delete().where(schema.reports.c.id == "r00000"))
        again()
        clusters.rebuild(store)
        with store.engine.connect() as conn:
            assert _bands(conn) == _expected_bands(conn)
            assert _marks(conn)["r00004"] == "r00000"


def _insert_unsigned(store, rows) -> None:
    """Stored without corroboration, as a first load does: the rebuild signs it."""
    report, event = rows
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [report])
        conn.execute(schema.events.insert(), [event])


def test_migration_0014_moves_each_key_to_its_reports_window(store):
    """Downgraded, the keys are a band's hash alone (0011's); upgraded, each keeps its hash below its
    report's window, a key whose report is gone is dropped, and the marks stay."""
    from alembic import command

    _fill(store, 10)
    with store.engine.connect() as conn:
        marks, windowed = _marks(conn), _bands(conn)
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0013")
        t = schema.report_signatures
        assert _bands(conn) == {(key, row.report_id) for row in conn.execute(sa.select(t.c.report_id, t.c.signature))
                                for key in reprints.bands(reprints.from_bytes(row.signature))}
        conn.execute(schema.report_bands.insert().values(key=42, report_id="gone"))
    store.engine.dispose()
    reopened = open_store(url=store.url)
    try:
        with reopened.engine.connect() as conn:
            assert _bands(conn) == windowed == _expected_bands(conn)
            assert _marks(conn) == marks
    finally:
        reopened.close()


def test_the_band_lookup_reads_each_key_up_to_its_limit(store):
    """PostgreSQL looks the keys up as one array (a lateral join), SQLite as a union of selects: the same
    candidates, each key read up to BAND_READ_LIMIT reports (a story printed 25 times is not read whole)."""
    for n in range(25):
        save_rows(store, *event_rows(n, day=DAY, published="2020-06-01", text=TEXT))
    keys = reprints.keys_looked_up(reprints.signature(TEXT), reprints.window("2020-06-01"))
    params = {f"k{i}": key for i, key in enumerate(keys)}
    with store.engine.connect() as conn:
        found = clusters._band_candidates(conn, "r00000", keys)
        union = {row[0] for row in conn.execute(clusters._band_statement(len(keys), clusters.BAND_READ_LIMIT),
                                                {**params, "report_id": "r00000"})}
    assert found == union and len(found) == clusters.BAND_READ_LIMIT and "r00000" not in found
