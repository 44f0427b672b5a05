"""Corroboration at save costs the same however large the store, a reprint group or a cluster has grown
(store/cluster_links.py NEIGHBOUR_SCAN and NEIGHBOUR_LIMIT, store/clusters.py BAND_READ_LIMIT and
WHOLE_CLUSTER_LIMIT), and still agrees with a rebuild where the bounds are not reached. Rows are written directly (no extraction), as
bench/cluster_speed.py does."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from corroboration_support import TEXT, event_rows, save_rows
from undercurrent.corroborate.compat import EventView
from undercurrent.store import cluster_links, clusters, schema

OTHER_TEXT = ("Market managers in a coastal city ordered vendors of imported cloth to close their stalls for a month "
              "after an inspection team from the capital found smuggled goods in two warehouses near the port, "
              "residents told reporters by telephone.")


def _statements(store, action, *, starting: str) -> int:
    """How many SQL statements beginning with `starting` `action` runs."""
    count = 0

    def counted(_conn, _cursor, statement, *_args):
        nonlocal count
        count += statement.lstrip().upper().startswith(starting)

    sa.event.listen(store.engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", counted)
    return count


def _marks(store) -> dict[str, str | None]:
    t = schema.report_signatures
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(t.c.report_id, t.c.reprint_of)).all())


def test_an_earlier_reprint_re_marks_its_group_in_the_same_statements_at_any_size(store):
    """A copy published before every other copy becomes the group's original: its save re-marks the group
    with the same statements, however many copies there are (it was one UPDATE per copy)."""
    counts = []
    for size, first, text in ((4, 0, TEXT), (40, 100, OTHER_TEXT)):
        day = date(2020, 5, 1)
        for k in range(size):
            save_rows(store, *event_rows(first + k, day=day, published=f"2020-06-{1 + k % 28:02d}", text=text))
        earliest = event_rows(first + size, day=day, published="2020-05-02", text=text)
        counts.append(_statements(store, lambda rows=earliest: save_rows(store, *rows), starting="UPDATE REPORT_SIGNATURES"))
        marks = _marks(store)
        group = [f"r{first + k:05d}" for k in range(size)]
        assert marks[earliest[0]["id"]] is None
        assert {marks[r] for r in group} == {earliest[0]["id"]}
    assert counts[0] == counts[1] <= 3
    before = _marks(store)
    clusters.rebuild(store)
    assert _marks(store) == before  # the rebuild finds the same originals


def test_a_save_reads_a_bounded_number_of_neighbours(store, monkeypatch):
    """Three hundred records of one type and province around one day: a new record's candidates are its
    nearest few on each side, not all three hundred."""
    day = date(2019, 3, 10)
    with store.engine.begin() as conn:
        for n in range(300):
            report, event = event_rows(n, day=day + timedelta(days=n % 40 - 20))
            conn.execute(schema.reports.insert(), [report])
            conn.execute(schema.events.insert(), [event])
    read = []
    monkeypatch.setattr(cluster_links, "view", lambda row: read.append(row.id) or EventView(
        id=row.id, report_id=row.report_id, type=row.type, mode=row.mode, status=row.status, place_id=row.place_id,
        admin1=row.admin1, precision=row.precision, date_start=row.date_start, date_end=row.date_end,
        granularity=row.date_granularity, published=row.published))
    report, event = event_rows(999, day=day)
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [report])
        conn.execute(schema.events.insert(), [event])
        view = cluster_links.views(conn, [event["id"]])[event["id"]]
        read.clear()
        cluster_links.neighbours(conn, view)
    # forward and back, in the province and in none
    assert 0 < len(read) <= 4 * cluster_links.NEIGHBOUR_LIMIT


def test_a_large_cluster_keeps_its_members_when_a_record_joins_it(store, monkeypatch):
    """Above WHOLE_CLUSTER_LIMIT a cluster is not re-read whole at each save: the new record joins it and
    no member moves or is split off."""
    day = date(2021, 8, 14)
    for n in range(6):
        save_rows(store, *event_rows(n, day=day, place="kp-09-hyesan", precision=4, quote="guards arrested phone traders"))
    m = schema.cluster_members
    with store.engine.connect() as conn:
        before = dict(conn.execute(sa.select(m.c.event_id, m.c.cluster_id)).all())
    assert len(set(before.values())) == 1
    monkeypatch.setattr(clusters, "WHOLE_CLUSTER_LIMIT", 3)
    save_rows(store, *event_rows(6, day=day, place="kp-09-hyesan", precision=4, quote="guards arrested phone traders"))
    with store.engine.connect() as conn:
        after = dict(conn.execute(sa.select(m.c.event_id, m.c.cluster_id)).all())
    assert {k: after[k] for k in before} == before
    assert after["r00006e0"] == next(iter(before.values()))


def test_a_save_runs_the_same_statements_in_a_small_and_a_large_store(store):
    """Re-clustering has a fixed shape (store/clusters.py `recluster`): the statements one save runs do not
    grow with the records already stored, linked or not (it walked chains of links, up to 25 records)."""
    def count_for(n: int, day: date) -> int:
        rows = event_rows(n, day=day, place="kp-09-hyesan", precision=4, quote="guards arrested phone traders")
        return _statements(store, lambda: save_rows(store, *rows), starting="")

    day = date(2018, 2, 5)
    for n in range(10):
        save_rows(store, *event_rows(n, day=day + timedelta(days=3 * n), place="kp-09-hyesan", precision=4,
                            quote="guards arrested phone traders"))
    small = count_for(1000, day)
    for n in range(10, 200):
        save_rows(store, *event_rows(n, day=day + timedelta(days=3 * (n % 60)), place="kp-09-hyesan", precision=4,
                            quote="guards arrested phone traders"))
    assert count_for(1001, day) == small
