"""Records as corroboration sees them, and the links between them, judged once and stored.

A link (two records a reader would call one event, `compat.linked`) is judged when the later of its
two records is saved, reviewed or re-extracted, and kept in `event_links` with its score. Re-clustering
around a saved report then walks stored links instead of judging the neighbours of every record it
reaches again: a save judges only its own records, whatever the size and density of the store
(bench/load_speed.py). `cluster --rebuild` judges every record against its neighbours by the same rule
(`corroborate.neighbours`) and rewrites the table."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

import sqlalchemy as sa

from undercurrent.corroborate.clusters import links
from undercurrent.corroborate.compat import EventView, linked, score
from undercurrent.corroborate.neighbours import NEIGHBOUR_LIMIT, NEIGHBOUR_SCAN, Prefilter, middle
from undercurrent.store import schema
from undercurrent.store.bulk import insert_rows

e, r = schema.events, schema.reports
sig_t, links_t = schema.report_signatures, schema.event_links

_VIEW_COLUMNS = (e.c.id, e.c.report_id, e.c.type, e.c.mode, e.c.status, e.c.place_id, e.c.admin1, e.c.precision,
                 e.c.date_start, e.c.date_end, e.c.date_granularity, e.c.actor_institutions, e.c.recipients,
                 e.c.arrested, e.c.dead, e.c.injured, e.c.quote, e.c.sort_date,
                 r.c.published, r.c.outlet, sig_t.c.reprint_of)
CHUNK = 500  # ids per IN list: under SQLite's bound-parameter limit, small enough to plan well


def in_chunks(ids: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    """`ids`, sorted, in lists of at most `size` (one IN list each)."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


@functools.cache
def view_query() -> sa.Select:
    """Every record corroboration may use (not rejected), with its report's date, outlet and reprint mark."""
    return (sa.select(*_VIEW_COLUMNS)
            .select_from(e.join(r, e.c.report_id == r.c.id).outerjoin(sig_t, sig_t.c.report_id == e.c.report_id))
            .where(e.c.review_status != schema.REJECTED))


def view(row) -> EventView:
    """A stored record as corroboration sees it. Repeated values (types, statuses, dates, places,
    outlets, institutions) are interned, so a rebuild's millions of views share one copy of each."""
    return EventView(
        id=row.id, report_id=row.report_id, type=_shared(row.type), mode=_shared(row.mode), status=_shared(row.status),
        place_id=_shared(row.place_id), admin1=_shared(row.admin1), precision=row.precision,
        date_start=_shared(row.date_start), date_end=_shared(row.date_end), granularity=_shared(row.date_granularity),
        published=_shared(row.published), outlet=_shared(row.outlet),
        actors=_set(v for v in (row.actor_institutions or "").split("|") if v),
        recipients=_set(x.get("sector") for x in (row.recipients or []) if x.get("sector")),
        arrested=row.arrested, dead=row.dead, injured=row.injured, quote=row.quote or "",
        reprint_of=row.reprint_of, sort_date=_shared(row.sort_date),
    )


def _shared(value):
    return sys.intern(value) if isinstance(value, str) else value


_SETS: dict[frozenset[str], frozenset[str]] = {}


def _set(values: Iterable[str]) -> frozenset[str]:
    """One shared copy of each set of institutions or sectors (few distinct sets, named by millions of records)."""
    found = frozenset(values)
    return _SETS.setdefault(found, found)


def views(conn: sa.Connection, event_ids: Iterable[str]) -> dict[str, EventView]:
    out: dict[str, EventView] = {}
    for chunk in in_chunks(event_ids):
        for row in conn.execute(view_query().where(e.c.id.in_(chunk))):
            out[row.id] = view(row)
    return out


# ---- the neighbours of one record ------------------------------------------------------------------

# A saved record's candidates are its neighbours (`corroborate.neighbours`: the NEIGHBOUR_SCAN nearest
# by date on each side, of its type, in its province and in none, and of those no veto excludes the
# NEIGHBOUR_LIMIT nearest), read from the neighbour indexes (migration 0010): a save reads the same number
# of records in a store of a thousand reports as in one of a million (bench/load_speed.py), and the
# rebuild takes the same neighbours in memory.


def _broad_place(c, admin1):
    """`compat.is_broad` in SQL: a record (of province `admin1`) placed no finer than its province."""
    return sa.or_(c.precision.is_(None), c.precision <= 2, c.place_id.is_(None), c.place_id == "", c.place_id == admin1)


def _one_of(column, prefix: str, n: int):
    # Named parameters, one per value, rather than an expanding IN: an expanding list is rendered into
    # the SQL again at every execution, which cost more than the query (cProfile of a save).
    return column.in_([sa.bindparam(f"{prefix}{i}") for i in range(n)])


_SCANNED = (e.c.id, e.c.sort_date, e.c.report_id, e.c.status, e.c.mode, e.c.place_id, e.c.precision)


@functools.cache
def _neighbour_statement(placed: bool, n_statuses: int | None, n_modes: int | None, precise: bool, scan: int, limit: int):
    """One statement for the candidates of one record (see NEIGHBOUR_SCAN); its parts read the index in
    date order from `middle`, forward and back, in the record's province and in none (or in any, for a
    record with no province). The `scan` nearest and the vetoes are read from the index alone
    (migration 0010); only the `limit` kept are read from the tables."""
    provinces: list[tuple[sa.ColumnElement[bool], bool]] = [(sa.true(), False)]
    if placed:
        provinces = [(e.c.admin1 == sa.bindparam("admin1"), precise), (e.c.admin1.is_(None), False)]
    parts = []
    for province, place_veto in provinces:
        for later in (True, False):
            # ids break ties of date, so the store and the rebuild (corroborate.neighbours) read the same
            order = (e.c.sort_date, e.c.id) if later else (e.c.sort_date.desc(), e.c.id.desc())
            nearest = (sa.select(*_SCANNED).where(e.c.type == sa.bindparam("type"), province, e.c.review_status != schema.REJECTED,
                                                  e.c.sort_date >= sa.bindparam("middle") if later else e.c.sort_date < sa.bindparam("middle"))
                       .order_by(*order).limit(scan).subquery())
            c = nearest.c
            vetoes: list[sa.ColumnElement[bool]] = [c.report_id != sa.bindparam("report_id")]
            if n_statuses is not None:
                vetoes.append(_one_of(c.status, "s", n_statuses))
            if n_modes is not None:
                vetoes.append(sa.or_(c.mode.is_(None), c.mode == "", _one_of(c.mode, "m", n_modes)))
            if place_veto:
                # Two precise places of one province are one place only if the same, or at each other's scale.
                vetoes.append(sa.or_(c.place_id == sa.bindparam("place_id"), _broad_place(c, sa.bindparam("admin1")), c.precision == sa.bindparam("scale")))
            kept = (sa.select(c.id).where(*vetoes).order_by(*((c.sort_date, c.id) if later else (c.sort_date.desc(), c.id.desc())))
                    .limit(limit))
            parts.append(view_query().where(e.c.id.in_(kept.scalar_subquery())))
    return sa.union_all(*parts)


def neighbours(conn: sa.Connection, record: EventView) -> list[EventView]:
    """Records linked to `record`: its candidates, judged."""
    return [other for other in candidates(conn, record) if linked(record, other)]


def candidates(conn: sa.Connection, record: EventView) -> list[EventView]:
    """The neighbours of `record` (`corroborate.neighbours`), the vetoes applied on the neighbour indexes."""
    query = neighbour_query(record)
    return [] if query is None else list(map(view, conn.execute(*query)))


def neighbour_query(record: EventView) -> tuple[sa.CompoundSelect, dict[str, object]] | None:
    """The statement that reads the neighbours of `record`, and its parameters (None: a record with no date)."""
    start = middle(record)
    if start is None:
        return None
    check = Prefilter(record)
    params: dict[str, object] = {"type": record.type, "report_id": record.report_id, "middle": start}
    if record.admin1:
        params["admin1"] = record.admin1
    if check.precise:
        params.update(place_id=record.place_id, scale=check.scale)
    statuses, modes = sorted(check.statuses or ()), sorted(check.modes or ())
    params.update({f"s{i}": v for i, v in enumerate(statuses)})
    params.update({f"m{i}": v for i, v in enumerate(modes)})
    statement = _neighbour_statement(bool(record.admin1), None if check.statuses is None else len(statuses),
                                     None if check.modes is None else len(modes), check.precise, NEIGHBOUR_SCAN, NEIGHBOUR_LIMIT)
    return statement, params


# ---- stored links ----------------------------------------------------------------------------------

Link = tuple[str, str, float]  # (lower id, higher id, score)


# PostgreSQL settings while a save judges (`judge`), back to the session's after:
# - the generic plan: PostgreSQL planned the neighbour statement afresh at every run (2.4 ms, more than
#   running it: EXPLAIN ANALYZE); the generic plan reads the same indexes. Neighbour searches 1.8x faster.
# - no parallel workers: the generic plan, pricing a range of unknown bounds over a large table, gathered
#   each branch from parallel workers once the store passed about 100,000 reports, and starting them
#   cost 10-15 ms a branch for the 30 rows it reads (auto_explain at 300,000 reports: 31-37 ms a statement).
NEIGHBOUR_SETTINGS = (("plan_cache_mode", "force_generic_plan"), ("max_parallel_workers_per_gather", "0"))


def judge(conn: sa.Connection, records: Sequence[EventView]) -> list[Link]:
    """Judge the links of `records` and store them (their old links `drop`ped first). Returns the links
    found (each pair once, lower id first)."""
    found: dict[tuple[str, str], float] = {}
    postgres = conn.dialect.name == "postgresql" and bool(records)
    for setting, value in NEIGHBOUR_SETTINGS if postgres else ():
        conn.exec_driver_sql(f"SET LOCAL {setting} = {value}")
    for record in sorted(records, key=lambda x: x.id):
        for other in neighbours(conn, record):
            low, high = sorted((record.id, other.id))
            found[(low, high)] = score(record, other)
    for setting, _value in NEIGHBOUR_SETTINGS if postgres else ():
        conn.exec_driver_sql(f"SET LOCAL {setting} TO DEFAULT")
    result = [(a, b, w) for (a, b), w in sorted(found.items())]
    if result:
        conn.execute(links_t.insert(), [{"a": a, "b": b, "score": w} for a, b, w in result])
    return result


def drop(conn: sa.Connection, event_ids: Iterable[str]) -> None:
    """Forget the links of records that changed or went (a rejected record links to nothing)."""
    ids = sorted(event_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        conn.execute(links_t.delete().where(sa.or_(links_t.c.a.in_(chunk), links_t.c.b.in_(chunk))))


def stored(conn: sa.Connection, event_ids: Iterable[str]) -> list[Link]:
    """The stored links between two of `event_ids` (a save's neighbourhood). Read by the lower id alone:
    both ends in one IN list each made SQLite probe every pair."""
    ids = sorted(event_ids)
    inside = set(ids)
    found: list[Link] = []
    for start in range(0, len(ids), CHUNK):
        query = sa.select(links_t.c.a, links_t.c.b, links_t.c.score).where(links_t.c.a.in_(ids[start:start + CHUNK]))
        found += [(row.a, row.b, row.score) for row in conn.execute(query) if row.b in inside]
    return sorted(found)


def clear(conn: sa.Connection) -> None:
    conn.execute(links_t.delete())


def types(conn: sa.Connection) -> list[str]:
    """The event types of the records corroboration may use: the rebuild's unit of work."""
    query = sa.select(e.c.type).where(e.c.review_status != schema.REJECTED).distinct()
    return sorted(conn.execute(query).scalars(), key=lambda t: t or "")


def views_of_type(conn: sa.Connection, type_: str) -> list[EventView]:
    # yield_per: PostgreSQL streams the rows from a server-side cursor instead of holding them all twice
    rows = conn.execute(view_query().where(e.c.type == type_).order_by(e.c.id), execution_options={"yield_per": 5000})
    return [view(row) for row in rows]


def _of_type(progress: Callable[[str], None], type_: str) -> Callable[[str], None]:
    return lambda line: progress(f"{type_}: {line}")


def rewrite_all(conn: sa.Connection, *, workers: int = 1,
                progress: Callable[[str], None] | None = None) -> Iterator[tuple[list[EventView], list[Link]]]:
    """Judge every record's neighbours (on `workers` processes) and replace the stored links, one event type
    at a time; yields each type's records and their links (the rebuild clusters them; migration 0008 only
    stores them). `progress` hears how the judging of a large type goes (minutes at a million reports)."""
    clear(conn)
    for type_ in types(conn):
        records = views_of_type(conn, type_)
        found = links(records, workers=workers, progress=None if progress is None else _of_type(progress, type_))
        insert_rows(conn, links_t, ({"a": a, "b": b, "score": w} for a, b, w in found))
        yield records, found
