"""Search: full text over reports (titles, texts and so every record's quote) with record filters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from undercurrent.errors import BadFilter
from undercurrent.store import keyset, plan, schema
from undercurrent.store.arrival import joins_its_report

# Conditions and order live in store/conditions.py (the planner needs them too); callers import them here.
from undercurrent.store.conditions import SORT_KEYS as SORT_KEYS
from undercurrent.store.conditions import _conditions, _order
from undercurrent.store.conditions import next_period as next_period
from undercurrent.store.conditions import search_terms as search_terms
from undercurrent.store.conditions import text_condition as text_condition
from undercurrent.store.db import Store

# The filter model lives in store/filters.py (no database there, the CLI reads it at start); many callers
# import it from here, beside the functions that take it.
from undercurrent.store.filters import EventFilter as EventFilter

EVENT_COLUMNS = ("id", "report_id", "type", "mode", "status", "place_id", "admin1", "basis", "date_start",
                 "date_granularity", "date_kind", "sort_date", "actor_institutions", "topics", "contexts",
                 "quote", "start", "end", "arrested", "dead", "latitude", "longitude", "precision",
                 "review_status", "reviewed_by", "reviewed_at", "confidence", "place_text", "date_end",
                 "date_text", "actors", "recipients", "evidence", "injured")


def _joined(store: Store, f: EventFilter) -> sa.ColumnElement[bool]:
    """Events to their reports: by id, and by number too when a text filter may find the reports first
    (arrival.joins_its_report: a word in no report of a million events, 8-12 ms instead of 1.6-1.9 s on
    SQLite). On SQLite not with a filter an index of events serves: the planner then starts from that
    index, as it did before 0016, and the number term costs a read of each report's row, whose last column
    it is, past the text (totals of a word, a type and a province: 90 ms instead of 60). PostgreSQL keeps
    the text out of the row (TOAST) and needs the term there too: a rare word with a type walked every
    event of the type (12-57 s at 300,000 reports)."""
    e, r = schema.events, schema.reports
    indexed = f.type or f.province or f.place
    reports_first = bool(f.text) and (store.dialect != "sqlite" or not indexed)
    return joins_its_report(e, r) if reports_first else e.c.report_id == r.c.id


def event_query(store: Store, f: EventFilter):
    """Events joined to their reports under the filter: the base of lists, counts and aggregates."""
    e, r = schema.events, schema.reports
    m, c = schema.cluster_members, schema.event_clusters
    columns: list[sa.ColumnElement[Any]] = [e.c[name] for name in EVENT_COLUMNS]
    columns += [r.c.url, r.c.outlet, r.c.title, r.c.published, r.c.language]
    columns += [m.c.cluster_id, c.c.n_reports.label("cluster_reports"), c.c.n_outlets.label("cluster_outlets")]
    query = sa.select(*columns).select_from(e.join(r, _joined(store, f))
                                            .outerjoin(m, m.c.event_id == e.c.id).outerjoin(c, c.c.id == m.c.cluster_id))
    for condition in _conditions(store, f):
        query = query.where(condition)
    return query


def _matching(store: Store, f: EventFilter, *columns):
    """`columns` of the events under the filter, joined to their reports only when a filter needs them."""
    e, r = schema.events, schema.reports
    conditions = _conditions(store, f)
    needs_reports = bool(f.text or f.language or f.outlet)
    query = sa.select(*columns).select_from(e.join(r, _joined(store, f)) if needs_reports else e)
    return query.where(*conditions) if conditions else query


@dataclass(frozen=True)
class Page:
    """One page of a search and the cursor of the page after it (None on the last page)."""

    rows: list[dict]
    next: str | None


def search_events(store: Store, f: EventFilter = EventFilter(), *, limit: int | None = 50, offset: int = 0,
                  after: str | None = None, sort: str = "-date") -> list[dict]:
    """The rows of a page: `offset` rows skipped, or (`after`, a page's `next`) the rows after a cursor."""
    if limit is None:
        return _all_events(store, f, offset, _cursor_values(after, offset, sort), sort)
    return search_page(store, f, limit=limit, offset=offset, after=after, sort=sort).rows


def search_page(store: Store, f: EventFilter = EventFilter(), *, limit: int = 50, offset: int = 0,
                after: str | None = None, sort: str = "-date") -> Page:
    """A page and the cursor of the next. `after` is the `next` of the page before (store/keyset.py):
    the page is then read from the sort index at the cursor, where an offset reads every earlier row."""
    values = _cursor_values(after, offset, sort)  # a bad sort or cursor fails before the cache is asked
    if store.cache is not None:
        page = store.cache.get(store.engine, ("events", f, limit, offset, after, sort),
                               lambda: _search_page(store, f, limit, offset, values, sort))
        return Page([dict(row) for row in page.rows], page.next)  # callers may change their rows, never the cached ones
    return _search_page(store, f, limit, offset, values, sort)


def _cursor_values(after: str | None, offset: int, sort: str) -> list | None:
    _order(sort)
    if after is None:
        return None
    if offset:
        raise BadFilter("after and offset: page by one or the other (after is the 'next' of the page before)")
    return keyset.read_cursor(after, sort)


def _wide_rows(store: Store, ids, order) -> list[dict]:
    """The page's wide rows (quotes, JSON) for ids chosen on the narrow columns alone: a broad query no
    longer drags every matching row's evidence through the sorter (bench/RESULTS.md, search)."""
    query = event_query(store, EventFilter(include_rejected=True)).where(schema.events.c.id.in_(ids)).order_by(*order)
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _search_page(store: Store, f: EventFilter, limit: int, offset: int, values: list | None, sort: str) -> Page:
    order = _order(sort)
    want = limit + 1  # one row more than the page says whether there is a next page
    if values is None:
        ids = plan.text_page(store, f, want, offset, sort)  # walked on the sort index (store/plan.py)
        rows = _wide_rows(store, ids if ids is not None else
                          _matching(store, f, schema.events.c.id).order_by(*order).limit(want).offset(offset)
                          .scalar_subquery(), order)
    else:
        ids = plan.text_page(store, f, want, 0, sort, after=values)  # the walk from the cursor, when it pays
        rows = _wide_rows(store, ids if ids is not None else _ids_after(store, f, want, values, sort), order)
    following = keyset.cursor_of(rows[limit - 1], sort) if len(rows) > limit else None
    return Page(rows[:limit], following)


def _ids_after(store: Store, f: EventFilter, want: int, values: list, sort: str) -> list[str]:
    """Up to `want` ids after the cursor, branch by branch (keyset.branches): each one a seek on the sort
    index and a short read; the NULLs' branch is read only when the first runs out."""
    order = _order(sort)
    ids: list[str] = []
    with store.engine.connect() as conn:
        for branch in keyset.branches(sort, values):
            query = _matching(store, f, schema.events.c.id).where(branch).order_by(*order).limit(want - len(ids))
            ids += conn.execute(query).scalars()
            if len(ids) >= want:
                break
    return ids


def _all_events(store: Store, f: EventFilter, offset: int, values: list | None, sort: str) -> list[dict]:
    query = event_query(store, f).order_by(*_order(sort)).offset(offset or None)
    if values is not None:
        query = query.where(keyset.after_condition(sort, values))
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def count_of(base, f: EventFilter):
    """The count aggregate over an `event_query` subquery: distinct clusters unless reports are asked for.
    A record not (yet) in a cluster counts as its own event."""
    if f.count == "reports":
        return sa.func.count()
    return sa.func.count(sa.distinct(sa.func.coalesce(base.c.cluster_id, base.c.id)))


def count_events(store: Store, f: EventFilter = EventFilter()) -> int:
    if store.cache is not None:
        return store.cache.get(store.engine, ("count", f), lambda: _count_events(store, f))
    return _count_events(store, f)


def _count_events(store: Store, f: EventFilter) -> int:
    query = _matching(store, f, sa.func.count())
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


# Totals up to this are exact; above it a search answers "about N" unless the filter asks for `exact`.
EXACT_LIMIT = 10_000


@dataclass(frozen=True)
class Total:
    """A search's total: exact, or an estimate from a sample when exact would cost a full count."""

    n: int
    exact: bool


def count_total(store: Store, f: EventFilter = EventFilter()) -> Total:
    """The total a list shows: exact up to EXACT_LIMIT (or always with `f.exact`), else about N."""
    if store.cache is not None:
        return store.cache.get(store.engine, ("total", f, EXACT_LIMIT), lambda: _count_total(store, f))
    return _count_total(store, f)


def _count_total(store: Store, f: EventFilter) -> Total:
    if f.exact:
        return Total(_count_events(store, f), True)
    # The sample first (a few ms): far above the limit, counting even to the limit is wasted. A capped
    # count of a text query still reads every FTS5 match, and one of a filter no index serves (an
    # institution, a topic) reads rows until 10,001 match: 0.1 s at a million events for a filter that
    # keeps 4% of them. The margin, and a count whenever the sample's matches came from one place of the
    # table (plan.Estimate), keep a sample's error from turning an exact total of under 10,000 into an
    # estimate. On PostgreSQL a filter without text is counted to the limit first, as before: its
    # TABLESAMPLE draws whole pages, and at a million events pages enough to tell are rare.
    def sample() -> plan.Estimate:
        return plan.estimate_count(store, f, run=EXACT_LIMIT)

    estimate = sample() if f.text or store.dialect == "sqlite" else None
    if estimate is None or not estimate.spread or estimate.n <= 3 * EXACT_LIMIT:
        # Counting stops one past the limit: a broad query no longer counts every match to say "10,000+".
        capped = _matching(store, f, sa.literal(1)).limit(EXACT_LIMIT + 1).subquery()
        with store.engine.connect() as conn:
            n = int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())
        if n <= EXACT_LIMIT:
            return Total(n, True)
        about = max((estimate or sample()).n, EXACT_LIMIT + 1)
    else:
        about = estimate.n
    # Two significant figures: the sample's error is larger than the digits after them.
    return Total(round(about, 2 - len(str(about))), False)


def count_real_events(store: Store, f: EventFilter = EventFilter()) -> int:
    """How many real-world events (clusters) the matching records tell."""
    base = event_query(store, f).subquery()
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(count_of(base, EventFilter())).select_from(base)).scalar_one())


STATS_KEYS = ("type", "province", "month")


def stats(store: Store, f: EventFilter = EventFilter(), *,
          by: tuple[str, ...] = STATS_KEYS) -> dict[str, list[tuple[str | None, int]]]:
    """Event counts by type, province and month (of the event date, else the report's date), or only
    the groupings in `by`; with the number of stored reports. Counts are of clusters (real-world
    events) unless `f.count` is "reports"; a cluster told in two months counts in each."""
    base = event_query(store, f).subquery()
    keys = {"type": base.c.type, "province": base.c.admin1, "month": sa.func.substr(base.c.sort_date, 1, 7)}
    out = {}
    with store.engine.connect() as conn:
        for name in by:
            key = keys[name]
            # Types and provinces most frequent first; months in calendar order.
            order = (key,) if name == "month" else (sa.desc("n"), key)
            query = sa.select(key.label("key"), count_of(base, f).label("n")).group_by(key).order_by(*order)
            out[name] = [(row.key, row.n) for row in conn.execute(query)]
        out["reports"] = [(None, conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar_one())]
    return out
