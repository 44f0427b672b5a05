"""The SQL conditions of a search (filters, the text query on each database) and its order, shared by
search.py and the text planner (plan.py): neither imports the other's internals through a loop."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from undercurrent.errors import BadFilter
from undercurrent.store import schema
from undercurrent.store.arrival import exists_in_same_report
from undercurrent.store.db import Store
from undercurrent.store.filters import EventFilter
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
    """The reports whose text or title has one of the clause's terms, or (negated) neither. A report with
    no title must pass a negated clause, hence coalesce there; a positive one names the title bare, which
    PostgreSQL's trigram index on title can serve (with coalesce, the OR of text and title could use no
    index and read every report: 1.7 s at 300,000 reports for a word in none)."""
    reports = schema.reports
    title = sa.func.coalesce(reports.c.title, "") if clause.negated else reports.c.title
    alternatives = []
    for term in clause.terms:
        pattern = "%" + term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        alternatives.append(reports.c.text.ilike(pattern, escape="\\"))
        alternatives.append(title.ilike(pattern, escape="\\"))
    return sa.not_(sa.or_(*alternatives)) if clause.negated else sa.or_(*alternatives)


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
        conditions = [_like_clause(c) for c in query.clauses]
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
            conditions.append(_like_clause(clause))
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
        out.append(exists_in_same_report(s, e.c.arrival, e.c.report_id, s.c.kind == f.source_kind))
    if f.review:
        out.append(e.c.review_status == f.review)
    elif not f.include_rejected:
        out.append(e.c.review_status != schema.REJECTED)
    return out


# Sort keys a user may ask for ("-" first for descending); ties always break the same way.
SORT_KEYS = ("date", "type", "mode", "status", "province", "review")
_SORT_COLUMNS = {"date": "sort_date", "type": "type", "mode": "mode", "status": "status", "province": "admin1",
                 "review": "review_status"}


def order_keys(sort: str) -> list[tuple[sa.Column[Any], bool]]:
    """The columns a search is ordered by, each with True when descending: the sort key, then (for a
    sort other than date) the date newest first, then report, offset and id, which break every tie.
    NULLs come last in the first two; the last three are never NULL. Keyset paging (store/keyset.py)
    compares rows on exactly these columns, so both read the order from here."""
    e = schema.events
    name = sort.lstrip("-")
    if name not in _SORT_COLUMNS:
        raise BadFilter(f"sort {sort!r}: use one of {', '.join(SORT_KEYS)}, with - for descending")
    keys = [(e.c[_SORT_COLUMNS[name]], sort.startswith("-"))]
    if name != "date":
        keys.append((e.c.sort_date, True))
    return keys + [(e.c.report_id, False), (e.c.start, False), (e.c.id, False)]


# The tie-breaking columns at the end of every order: never NULL, always ascending.
TIE_BREAK = 3


def _order(sort: str):
    keys = order_keys(sort)
    # No second sort_date term for a date sort: it changes nothing, and it kept SQLite from reading the
    # page off the sort index (migration 0006) in the order of the index.
    leading = [(column.desc() if descending else column.asc()).nulls_last() for column, descending in keys[:-TIE_BREAK]]
    return (*leading, *(column for column, _ in keys[-TIE_BREAK:]))
