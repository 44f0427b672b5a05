"""One rule picks the records a record is judged against (corroborate/neighbours.py): the store reads
them with one SQL statement at a save, the rebuild takes them from memory; both must pick the same,
record for record, in a store dense enough that the bounds bite."""
from __future__ import annotations

import random
from datetime import date, timedelta

from corroboration_support import event_rows
from undercurrent.corroborate.compat import EventView
from undercurrent.corroborate.neighbours import NEIGHBOUR_LIMIT, NEIGHBOUR_SCAN, Blocks, nearest_pairs
from undercurrent.store import cluster_links, schema

PLACES = [("KP-09", "KP-09", 2), ("KP-09-hyesan", "KP-09", 4), ("KP-09-x1", "KP-09", 5), ("KP-09-x2", "KP-09", 4),
          ("KP-04", "KP-04", 2), ("KP-04-y", "KP-04", 4), (None, None, None)]


def dense_rows(n: int, seed: int = 3) -> list[tuple[dict, dict]]:
    """Records of two types, mixed statuses, modes, places and date granularities, many on one day (ties
    of date broken by id), a few rejected."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2020, 5, 1) + timedelta(days=rng.randrange(40))
        place, admin1, precision = rng.choice(PLACES)
        report, event = event_rows(i, day=day)
        granularity = rng.choice(["day", "day", "month", "unknown"])
        start = day.isoformat() if granularity == "day" else day.isoformat()[:7] if granularity == "month" else None
        event.update(type=rng.choice(["COERCE", "COERCE", "ASSAULT"]), mode=rng.choice(["arrest", "seize", None, ""]),
                     status=rng.choice(["occurred", "occurred", "ordered", "negated"]), place_id=place, admin1=admin1,
                     precision=precision, date_start=start, date_granularity=granularity,
                     sort_date=start or report["published"],
                     review_status=schema.REJECTED if rng.random() < 0.05 else schema.PENDING)
        rows.append((report, event))
    return rows


def test_the_store_and_the_rebuild_pick_the_same_neighbours(store):
    rows = dense_rows(400)
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [r for r, _ in rows])
        conn.execute(schema.events.insert(), [ev for _, ev in rows])
        views = [cluster_links.view(row) for row in conn.execute(cluster_links.view_query())]
        blocks = Blocks(views)
        bitten = 0
        for record in views:
            in_sql = [v.id for v in cluster_links.candidates(conn, record)]
            in_memory = [v.id for v in blocks.neighbours(record)]
            assert sorted(in_sql) == sorted(in_memory), record.id
            bitten += len(in_memory) >= 2 * NEIGHBOUR_LIMIT
    assert bitten > 100  # the bounds were reached: the test compares the limits, not everything
    assert len(views) < 400  # rejected records are no one's neighbours


def test_a_record_is_judged_against_a_bounded_number_whatever_the_density():
    """A thousand records of one type, place and day: each meets at most four times the limit."""
    views = [EventView(id=f"e{i:04d}", report_id=f"r{i:04d}", type="PROTEST", admin1="KP-01", place_id="KP-01",
                       precision=2, date_start="2022-03-01", granularity="day") for i in range(1000)]
    pairs = list(nearest_pairs(views))
    assert len(pairs) <= len(views) * 2 * NEIGHBOUR_LIMIT  # none unplaced: two directions in the province
    assert NEIGHBOUR_LIMIT < NEIGHBOUR_SCAN


def test_the_nearest_by_date_come_first():
    """One record a day; the search parts at the first day of the record's window (a week before its day):
    the five on or after it and the five before it."""
    day = date(2022, 3, 10)
    views = [EventView(id=f"e{i:02d}", report_id=f"r{i:02d}", type="PROTEST", admin1="KP-01", place_id="KP-01",
                       precision=2, date_start=(day + timedelta(days=i - 20)).isoformat(), granularity="day")
             for i in range(41)]
    found = {v.id for v in Blocks(views).neighbours(views[20])}
    assert found == {f"e{i:02d}" for i in range(8, 18)}
