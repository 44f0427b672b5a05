"""Plans for the searches people wait on: pages of broad text searches on SQLite, and "about N" totals.

A text search is planned by SQLite as: every report FTS5 matches, their events, a sort of all of them,
then the page (bench/RESULTS.md, EXPLAIN QUERY PLAN). A one-word query that matches most reports sorts
~900,000 rows at a million events to show 50. When most reports match, it is far cheaper to walk the
events in page order on the sort index (migration 0006) and ask FTS5 about each row's report (a rowid
lookup) until the page is full. When few match, the walk would look at many rows for each hit and the
plain plan wins. `text_page` estimates the share of reports that match from a few rowid windows of the
FTS index (a millisecond), picks the plan, and bounds the walk: if it looks at more rows than the
estimate promised, it stops and the plain query answers. Both plans give the same rows in the same
order (tests/store/test_plan.py checks them against each other).

Totals: counting every match is the other half of a broad search's time. `estimate_count` samples
the events (rowid windows on SQLite, TABLESAMPLE on PostgreSQL) for an "about N" above the exact limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from undercurrent.store import keyset, schema
from undercurrent.store.conditions import _conditions, _order, fts_match
from undercurrent.store.db import Store
from undercurrent.store.filters import EventFilter

# Walks stop at this depth (offset + limit): deeper pages are rare, and their walk is long.
MAX_WALK_DEPTH = 2_000
# Rows the walk reads before it gives up on a plan that the estimate said would be short.
MAX_WALK_ROWS = 20_000
# FTS5 rowid windows sampled for the share of reports a query matches.
_WINDOWS = 4
_WINDOW_ROWS = 256
# Filters that drop rows from the walk in date order (since/until only bound it: the index is by date).
_NARROWING = ("type", "mode", "status", "province", "place", "institution", "topic", "context", "language",
              "outlet", "source_kind", "review")
# Rows fetched at most at a time (their reports looked up in one FTS5 statement).
_CHUNK = 256
# Each in its own subquery: SQLite answers min() or max() alone from the b-tree's ends, and scans the
# whole table for `SELECT min(rowid), max(rowid)` (45 ms at a million events).
_ROWID_RANGE = {table: sa.text(f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})")
                for table in ("reports", "events")}


def _windows(low: int, high: int, count: int, width: int) -> list[tuple[int, int]]:
    """`count` rowid ranges of `width`, spread evenly over [low, high] (one range when it is narrow)."""
    span = high - low + 1
    if span <= count * width:
        return [(low, high)]
    step = span // count
    return [(low + i * step, low + i * step + width - 1) for i in range(count)]


def _kept_in_windows(store: Store, f: EventFilter, windows: list[tuple[int, int]]) -> list:
    """One scalar count per rowid window: the events in it that the filter keeps (its text aside: the
    caller passes a filter without one). The filter's conditions go in as one term no index serves:
    given them as they are, SQLite walks an index of the filter's columns across the whole table and tests
    each row's rowid (a type and a date: 300,000 rows for a 1,000-row sample, 0.6 s at a million events)
    instead of reading the window."""
    e, r = schema.events, schema.reports
    rowid: sa.ColumnElement[Any] = sa.literal_column("events.rowid")
    conditions = _conditions(store, f)
    kept = [sa.case((sa.and_(*conditions), 1), else_=0) == 1] if conditions else []
    return [sa.select(sa.func.count()).select_from(e.join(r, e.c.report_id == r.c.id))
            .where(rowid.between(a, b), *kept).scalar_subquery() for a, b in windows]


def _sum(counts: list) -> sa.ColumnElement[Any]:
    """Scalar count subqueries added up: one statement for all windows (each statement costs more in
    Python and in FTS5 set-up than a window's count)."""
    total: sa.ColumnElement[Any] = counts[0]
    for count in counts[1:]:
        total = total + count
    return total


def match_share(conn: sa.Connection, match: str) -> tuple[float, int]:
    """(share of reports matching, reports in the store), both estimated from rowid windows."""
    low, high = conn.execute(_ROWID_RANGE["reports"]).one()
    if low is None:
        return 0.0, 0
    windows = _windows(low, high, _WINDOWS, _WINDOW_ROWS)
    r = schema.reports
    fts = sa.table("report_fts", sa.column("rowid"))
    rowid: sa.ColumnElement[Any] = sa.literal_column("reports.rowid")
    seen = _sum([sa.select(sa.func.count()).select_from(r).where(rowid.between(a, b)).scalar_subquery()
                 for a, b in windows])
    hits = _sum([sa.select(sa.func.count()).select_from(fts).where(
        sa.literal_column("report_fts").op("MATCH")(sa.literal(match)), fts.c.rowid.between(a, b)).scalar_subquery()
        for a, b in windows])
    seen_n, hits_n = conn.execute(sa.select(seen, hits)).one()
    sampled = sum(b - a + 1 for a, b in windows)
    return (hits_n / seen_n if seen_n else 0.0), round(seen_n * (high - low + 1) / sampled)


def walk_pays(share: float, kept: float, reports: int, depth: int) -> bool:
    """Measured at 100,000 events: an FTS5 rowid lookup costs 0.1-0.5 ms (more for phrases), reading a
    row of the walk about 5 us, the plain plan about 2 us per event of a matching report (five a
    report) to read, join and sort. The walk looks up about depth/share reports and reads
    depth/(share * kept) rows, `kept` being the share of events the other filters keep; the plain plan
    handles share * reports * 5 rows, whatever the other filters keep."""
    if share <= 0 or kept <= 0:
        return False
    walk_ms = depth / share * 0.5 + depth / (share * kept) * 0.005
    return walk_ms < share * reports * 0.01


def _sorts_everything(conn: sa.Connection, query: sa.Select) -> bool:
    """True when SQLite would sort every row before the first (no index in the page's order): then
    a walk cannot stop early. A "RIGHT PART" sort only orders ties and still streams."""
    sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
    return any(row[3] == "USE TEMP B-TREE FOR ORDER BY" for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def text_page(store: Store, f: EventFilter, limit: int, offset: int, sort: str,
              after: list[Any] | None = None) -> list[str] | None:
    """The ids of one page of a text search found by walking the sort index, or None when the plain
    query should answer (not SQLite, not a date sort, a query FTS5 alone cannot answer, a narrow query,
    a deep page, or a walk that ran longer than its estimate). `after`, a cursor's values
    (store/keyset.py): the walk starts at the cursor, so a deep page by cursor costs what page 1 does."""
    depth = offset + limit
    if store.dialect != "sqlite" or not f.text or sort not in ("-date", "date") or depth > MAX_WALK_DEPTH:
        return None
    match = fts_match(f.text)
    if match is None:
        return None
    e, r = schema.events, schema.reports
    rowid: sa.ColumnElement[Any] = sa.literal_column("reports.rowid")
    base = (sa.select(e.c.id, rowid).select_from(e.join(r, e.c.report_id == r.c.id))
            .where(*_conditions(store, replace(f, text=None))).order_by(*_order(sort)))
    # From a cursor, its branches one after the other: each a seek on the index (keyset.branches).
    walks = [base.where(branch) for branch in keyset.branches(sort, after)] if after is not None else [base]
    lookup = sa.text("SELECT rowid FROM report_fts WHERE report_fts MATCH :m AND rowid IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    with store.engine.connect() as conn:
        share, reports = match_share(conn, match)
        # Other filters thin the walk out (text + type + province reads ~12x the rows of text alone).
        kept = _kept_share(conn, store, replace(f, text=None)) if any(getattr(f, n) for n in _NARROWING) else 1.0
        if not walk_pays(share, kept, reports, depth) or any(_sorts_everything(conn, walk) for walk in walks):
            return None
        # Three times the expected rows, for the samples' error.
        budget = min(MAX_WALK_ROWS, int(3 * depth / (share * kept)) + _CHUNK)
        found: list[str] = []
        known: dict[int, bool] = {}
        read = 0
        pending = iter(walks[1:])
        result = conn.execute(walks[0])
        try:
            while len(found) < depth:
                # Only as many rows as the page still needs at the sampled share: every distinct report
                # fetched is an FTS5 lookup, and a 256-row chunk of 256 reports cost 30-130 ms.
                chunk = result.fetchmany(min(_CHUNK, max(16, math.ceil((depth - len(found)) / share * 1.25))))
                if not chunk:
                    following = next(pending, None)
                    if following is None:
                        break  # every row under the filters seen: the page is whatever was found
                    result.close()
                    result = conn.execute(following)
                    continue
                read += len(chunk)
                if read > budget:
                    return None
                unknown = list({row[1] for row in chunk if row[1] not in known})
                if unknown:
                    hits = set(conn.execute(lookup, {"m": match, "ids": unknown}).scalars())
                    known.update((report, report in hits) for report in unknown)
                found.extend(row[0] for row in chunk if known[row[1]])
        finally:
            result.close()
    return found[offset:depth]


def _kept_share(conn: sa.Connection, store: Store, f: EventFilter, windows: int = 8, width: int = 128) -> float:
    """The share of events a filter without text keeps, from rowid windows of the events table."""
    low, high = conn.execute(_ROWID_RANGE["events"]).one()
    if low is None:
        return 0.0
    rowid: sa.ColumnElement[Any] = sa.literal_column("events.rowid")
    spread = _windows(low, high, windows, width)
    seen = _sum([sa.select(sa.func.count()).select_from(schema.events).where(rowid.between(a, b)).scalar_subquery()
                 for a, b in spread])
    kept = _sum(_kept_in_windows(store, f, spread))
    seen_n, kept_n = conn.execute(sa.select(seen, kept)).one()
    return kept_n / seen_n if seen_n else 0.0


@dataclass(frozen=True)
class Estimate:
    """About how many events match, and whether the sample's matches were spread widely enough to say
    so. Matches may be a run of rows stored together (a date range of an archive loaded in date order):
    a run that fills one of SQLite's sixteen windows reads as a sixteenth of the table whatever its
    length, and one that fills a page PostgreSQL's TABLESAMPLE drew as that page's rows over the sampled
    share. SQLite: spread when matches came from two windows or more (a run must then span the gap
    between them, and the estimate is at most about twice its length) or the whole table was counted.
    PostgreSQL: when they came from more pages than a run of `run` rows would put in the sample, with a
    wide margin (at least four)."""

    n: int
    spread: bool


def estimate_count(store: Store, f: EventFilter, *, sample: int = 1_000, run: int = 10_000) -> Estimate:
    """About how many events the filter matches, from a sample of about `sample` events. PostgreSQL:
    TABLESAMPLE with every condition. SQLite: rowid windows of events under the other filters, times
    the share of reports the text matches (match_share); an FTS5 lookup per sampled row would cost
    0.1-0.5 ms each, so the text is taken as independent of the other filters."""
    e, r = schema.events, schema.reports
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            low, high = conn.execute(_ROWID_RANGE["events"]).one()
            if low is None:
                return Estimate(0, True)
            match = fts_match(f.text) if f.text else None
            share = match_share(conn, match)[0] if match else 1.0
            rest = replace(f, text=None) if match else f
            windows = _windows(low, high, 16, max(1, sample // 16))
            per_window = conn.execute(sa.select(*_kept_in_windows(store, rest, windows))).one()
            n = round(share * sum(per_window) * (high - low + 1) / sum(b - a + 1 for a, b in windows))
            return Estimate(n, len(windows) == 1 or sum(1 for hits in per_window if hits) > 1)
        rows, pages = conn.execute(sa.text("SELECT reltuples, relpages FROM pg_class WHERE relname = 'events'")).one()
        rows, pages = max(0.0, rows or 0.0), max(1, pages or 1)
        percent = 100.0 if rows <= sample else max(0.01, 100.0 * sample / rows)
        sampled = sa.tablesample(e, sa.func.system(percent), name="sampled", seed=sa.literal(7))
        page: sa.ColumnElement[Any] = sa.literal_column("(sampled.ctid::text::point)[0]")  # a row's page
        query = (sa.select(sa.func.count(), sa.func.count(sa.distinct(page)))
                 .select_from(sampled.join(r, sampled.c.report_id == r.c.id)).where(*_conditions(store, f)))
        # _conditions names the events table; on the sample they must name the sample.
        query = sa.sql.util.ClauseAdapter(sampled).traverse(query)
        hits, pages_hit = conn.execute(query).one()
        needed = max(4, math.ceil(6 * percent / 100 * (run / max(1.0, rows / pages) + 1)))
        return Estimate(round(hits * 100.0 / percent), percent >= 100 or pages_hit >= needed)
