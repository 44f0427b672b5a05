"""Search: full text over reports (titles, texts and so every record's quote) with record filters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from undercurrent.errors import BadFilter
from undercurrent.store import schema
from undercurrent.store.db import Store

# The filter model lives in store/filters.py (no database there, the CLI reads it at start); many callers
# import it from here, beside the functions that take it.
from undercurrent.store.filters import EventFilter as EventFilter
from undercurrent.store.query import Clause, Query, parse_query


def next_period(value: str) -> str:
    """The first date after a period: "2019" -> "2020", "2019-12" -> "2020-01", a day -> the next day."""
    from datetime import date, timedelta

    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    return (date(*parts) + timedelta(days=1)).isoformat()


def search_terms(text: str) -> list[str]:
    """The match texts of a query's terms (kept for callers that highlight them)."""
    return [term.text for clause in parse_query(text).clauses if not clause.negated for term in clause.terms]


# The trigram index cannot look up fewer than three characters: such terms are matched with LIKE.
_TRIGRAM = 3


def _fts_string(clause: Clause) -> str:
    return "(" + " OR ".join('"' + t.text.replace('"', '""') + '"' for t in clause.terms) + ")"


def _fts_rowids(match: str):
    fts = sa.table("report_fts", sa.column("rowid"))
    # sa.literal gives each MATCH its own bound parameter (two sa.text(":q") would share one value).
    return sa.select(fts.c.rowid).where(sa.literal_column("report_fts").op("MATCH")(sa.literal(match)))


def _like_clause(clause: Clause):
    reports = schema.reports
    alternatives = []
    for term in clause.terms:
        pattern = "%" + term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        alternatives.append(reports.c.text.ilike(pattern, escape="\\"))
        alternatives.append(sa.func.coalesce(reports.c.title, "").ilike(pattern, escape="\\"))
    return sa.or_(*alternatives)


def _indexed(query: Query) -> list[Clause]:
    return [c for c in query.clauses if all(len(t.text) >= _TRIGRAM for t in c.terms)]


def _positive_match(indexed: list[Clause]) -> str | None:
    positive = [_fts_string(c) for c in indexed if not c.negated]
    negative = [_fts_string(c) for c in indexed if c.negated]
    # FTS5's NOT is binary and binds tightest: "a AND b NOT c" is a and b and not c.
    return " AND ".join(positive) + "".join(" NOT " + n for n in negative) if positive else None


def fts_match(text: str | None) -> str | None:
    """The one FTS5 MATCH string that is the whole query, or None when some term needs LIKE (shorter
    than a trigram) or no clause is positive: the cases the text planner (store/plan.py) leaves alone."""
    query = parse_query(text)
    indexed = _indexed(query)
    return _positive_match(indexed) if query and len(indexed) == len(query.clauses) else None


def fts_row_matches(match: str):
    """True for the report row in hand when it matches: one FTS5 rowid lookup per row, where `IN
    (SELECT rowid ... MATCH)` reads every match first. For walks and samples that stop early."""
    fts = sa.table("report_fts", sa.column("rowid"))
    return sa.exists().where(sa.literal_column("report_fts").op("MATCH")(sa.literal(match)),
                             fts.c.rowid == sa.literal_column("reports.rowid"))


def text_condition(store: Store, text: str | Query, *, per_row: bool = False):
    """The reports a query matches (see store/query.py): one FTS5 MATCH on SQLite for every term the
    trigram index can look up, ILIKE (pg_trgm GIN indexes) on PostgreSQL; None for an empty query.
    `per_row`: the MATCH as a lookup per row (fts_row_matches), for queries that read few rows."""
    query = text if isinstance(text, Query) else parse_query(text)
    if not query:
        return None
    if store.dialect != "sqlite":
        conditions = [sa.not_(_like_clause(c)) if c.negated else _like_clause(c) for c in query.clauses]
        return sa.and_(*conditions)
    rowid: sa.ColumnClause[Any] = sa.literal_column("reports.rowid")
    indexed = _indexed(query)
    positive = _positive_match(indexed)
    negative = [_fts_string(c) for c in indexed if c.negated]
    conditions = []
    if positive and per_row:
        conditions.append(fts_row_matches(positive))
    elif positive:
        conditions.append(rowid.in_(_fts_rowids(positive)))
    elif negative:
        conditions.append(rowid.not_in(_fts_rowids(" OR ".join(negative))))
    for clause in query.clauses:
        if clause not in indexed:
            conditions.append(sa.not_(_like_clause(clause)) if clause.negated else _like_clause(clause))
    return sa.and_(*conditions)


def _conditions(store: Store, f: EventFilter, *, per_row: bool = False) -> list:
    e, r = schema.events, schema.reports
    out = []
    if f.text:
        condition = text_condition(store, f.text, per_row=per_row)
        if condition is not None:
            out.append(condition)
    for column, value in ((e.c.type, f.type), (e.c.mode, f.mode), (e.c.status, f.status),
                          (e.c.admin1, f.province), (e.c.place_id, f.place), (r.c.language, f.language)):
        if value:
            out.append(column == value)
    for column, value in ((e.c.actor_institutions, f.institution), (e.c.topics, f.topic), (e.c.contexts, f.context)):
        if value:
            out.append(column.like(f"%|{value}|%"))
    if f.since:
        out.append(e.c.sort_date >= f.since)
    if f.until:
        out.append(e.c.sort_date < next_period(f.until))
    if f.outlet:
        out.append(r.c.outlet.ilike(f"%{f.outlet}%"))
    if f.source_kind:
        s = schema.sources
        out.append(sa.exists().where(s.c.report_id == e.c.report_id, s.c.kind == f.source_kind))
    if f.review:
        out.append(e.c.review_status == f.review)
    elif not f.include_rejected:
        out.append(e.c.review_status != schema.REJECTED)
    return out


EVENT_COLUMNS = ("id", "report_id", "type", "mode", "status", "place_id", "admin1", "basis", "date_start",
                 "date_granularity", "date_kind", "sort_date", "actor_institutions", "topics", "contexts",
                 "quote", "start", "end", "arrested", "dead", "latitude", "longitude", "precision",
                 "review_status", "reviewed_by", "reviewed_at", "confidence", "place_text", "date_end",
                 "date_text", "actors", "recipients", "evidence", "injured")


def event_query(store: Store, f: EventFilter):
    """Events joined to their reports under the filter: the base of lists, counts and aggregates."""
    e, r = schema.events, schema.reports
    m, c = schema.cluster_members, schema.event_clusters
    columns: list[sa.ColumnElement[Any]] = [e.c[name] for name in EVENT_COLUMNS]
    columns += [r.c.url, r.c.outlet, r.c.title, r.c.published, r.c.language]
    columns += [m.c.cluster_id, c.c.n_reports.label("cluster_reports"), c.c.n_outlets.label("cluster_outlets")]
    query = sa.select(*columns).select_from(e.join(r, e.c.report_id == r.c.id)
                                            .outerjoin(m, m.c.event_id == e.c.id).outerjoin(c, c.c.id == m.c.cluster_id))
    for condition in _conditions(store, f):
        query = query.where(condition)
    return query


# Sort keys a user may ask for ("-" first for descending); ties always break the same way.
SORT_KEYS = ("date", "type", "mode", "status", "province", "review")
_SORT_COLUMNS = {"date": "sort_date", "type": "type", "mode": "mode", "status": "status", "province": "admin1",
                 "review": "review_status"}


def _order(sort: str):
    e = schema.events
    name = sort.lstrip("-")
    if name not in _SORT_COLUMNS:
        raise BadFilter(f"sort {sort!r}: use one of {', '.join(SORT_KEYS)}, with - for descending")
    column = e.c[_SORT_COLUMNS[name]]
    first = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    if name == "date":
        # No second sort_date term: it changes nothing, and it kept SQLite from reading the page off
        # the sort index (migration 0006) in the order of the index.
        return (first, e.c.report_id, e.c.start, e.c.id)
    return (first, e.c.sort_date.desc().nulls_last(), e.c.report_id, e.c.start, e.c.id)


def _matching(store: Store, f: EventFilter, *columns):
    """`columns` of the events under the filter, joined to their reports only when a filter needs them."""
    e, r = schema.events, schema.reports
    conditions = _conditions(store, f)
    needs_reports = bool(f.text or f.language or f.outlet)
    query = sa.select(*columns).select_from(e.join(r, e.c.report_id == r.c.id) if needs_reports else e)
    return query.where(*conditions) if conditions else query


def search_events(store: Store, f: EventFilter = EventFilter(), *, limit: int | None = 50, offset: int = 0,
                  sort: str = "-date") -> list[dict]:
    _order(sort)  # a bad sort fails before the cache is asked
    if store.cache is not None and limit is not None:
        rows = store.cache.get(store.engine, ("events", f, limit, offset, sort),
                               lambda: _search_events(store, f, limit, offset, sort))
        return [dict(row) for row in rows]  # callers may change their rows, never the cached ones
    return _search_events(store, f, limit, offset, sort)


def _search_events(store: Store, f: EventFilter, limit: int | None, offset: int, sort: str) -> list[dict]:
    from undercurrent.store.plan import text_page

    order = _order(sort)
    ids = text_page(store, f, limit, offset, sort) if limit is not None else None
    if limit is None:
        query = event_query(store, f).order_by(*order)
    elif ids is not None:  # found by walking the sort index (store/plan.py)
        query = event_query(store, EventFilter(include_rejected=True)).where(
            schema.events.c.id.in_(ids)).order_by(*order)
    else:
        # Sort only ids and sort keys, then read the page's wide rows (quotes, JSON): a broad query no
        # longer drags every matching row's evidence through the sorter (bench/RESULTS.md, search).
        page = _matching(store, f, schema.events.c.id).order_by(*order).limit(limit).offset(offset)
        query = event_query(store, EventFilter(include_rejected=True)).where(
            schema.events.c.id.in_(page.scalar_subquery())).order_by(*order)
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
    from undercurrent.store.plan import estimate_count

    if f.exact:
        return Total(_count_events(store, f), True)
    # With text, the sample first (a few ms): far above the limit, counting even to the limit is wasted
    # (a capped count of a text query still reads every FTS5 match). The margin keeps a sample's error
    # from turning an exact total of under 10,000 into an estimate. Without text, a capped count walks
    # an index to at most 10,001 rows: cheaper than the sample for the totals that end up exact.
    about = estimate_count(store, f) if f.text else None
    if about is None or about <= 3 * EXACT_LIMIT:
        # Counting stops one past the limit: a broad query no longer counts every match to say "10,000+".
        capped = _matching(store, f, sa.literal(1)).limit(EXACT_LIMIT + 1).subquery()
        with store.engine.connect() as conn:
            n = int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())
        if n <= EXACT_LIMIT:
            return Total(n, True)
        about = max(estimate_count(store, f) if about is None else about, EXACT_LIMIT + 1)
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
