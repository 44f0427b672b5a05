"""Read side of the workbench: a report with its records, record lists, map and chart aggregates."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.errors import NotFound
from undercurrent.store import schema
from undercurrent.store.arrival import of_report
from undercurrent.store.db import Store
from undercurrent.store.query import parse_query
from undercurrent.store.search import EventFilter, count_of, event_query, text_condition

REPORT_FIELDS = ("id", "url", "outlet", "title", "published", "language", "text", "content_sha256",
                 "original_sha256", "original_media_type", "ingested_at", "ingest_source", "extracted_at",
                 "extractor_version")
REPORT_LIST_FIELDS = ("id", "url", "outlet", "title", "published", "language", "ingested_at")


def _rows(conn: sa.Connection, query) -> list[dict]:
    return [dict(row) for row in conn.execute(query).mappings()]


def get_report(store: Store, report_id: str) -> dict:
    """A report (without its original bytes) and every record resting on it; NotFound (E050) if unknown."""
    r = schema.reports
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(*[r.c[f] for f in REPORT_FIELDS], r.c.arrival)
                           .where(r.c.id == report_id)).mappings().first()
        if row is None:
            raise NotFound(f"no report {report_id}")
        out = dict(row)
        arrival = out.pop("arrival")
        for table in (*schema.RECORD_TABLES.values(), *schema.MENTION_TABLES.values()):
            out[table.name] = _rows(conn, sa.select(*schema.shown_columns(table))
                                    .where(of_report(table, report_id, arrival)).order_by(table.c.start))
    return out


def list_reports(store: Store, *, text: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    parse_query(text)  # BadQuery (E040) before the cache or SQL see it
    if store.cache is not None:
        rows, total = store.cache.get(store.engine, ("reports", text, limit, offset),
                                      lambda: _list_reports(store, text, limit, offset))
        return [dict(row) for row in rows], total
    return _list_reports(store, text, limit, offset)


def _list_reports(store: Store, text: str | None, limit: int, offset: int) -> tuple[list[dict], int]:
    r = schema.reports
    query = sa.select(*[r.c[f] for f in REPORT_LIST_FIELDS])
    condition = text_condition(store, text) if text else None
    if condition is not None:
        query = query.where(condition)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = _rows(conn, query.order_by(r.c.published.desc().nulls_last(), r.c.id).limit(limit).offset(offset))
    return rows, int(total)


def get_original(store: Store, report_id: str) -> tuple[bytes, str | None]:
    """A report's original bytes and media type; NotFound (E050) if unknown."""
    r = schema.reports
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(r.c.original, r.c.original_media_type).where(r.c.id == report_id)).first()
    if row is None:
        raise NotFound(f"no report {report_id}")
    return row.original, row.original_media_type


def get_record(store: Store, table_name: str, record_id: str) -> dict:
    """One event, observation or source row; NotFound (E050) if unknown."""
    table = schema.RECORD_TABLES[table_name]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(*schema.shown_columns(table)).where(table.c.id == record_id)).mappings().first()
    if row is None:
        raise NotFound(f"no {table_name[:-1]} {record_id}")
    return dict(row)


def list_observations(store: Store, *, kind: str | None = None, item: str | None = None,
                      province: str | None = None, place: str | None = None, currency: str | None = None,
                      review: str | None = None, limit: int | None = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Observations (rejected ones only when `review` asks for them), in date order."""
    o, r = schema.observations, schema.reports
    query = (sa.select(*schema.shown_columns(o), r.c.title, r.c.outlet, r.c.published)
             .select_from(o.join(r, o.c.report_id == r.c.id))
             .where(o.c.review_status == review if review else o.c.review_status != schema.REJECTED))
    for column, value in ((o.c.kind, kind), (o.c.item, item), (o.c.admin1, province), (o.c.place_id, place),
                          (o.c.currency, currency)):
        if value:
            query = query.where(column == value)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        query = query.order_by(o.c.sort_date.nulls_last(), o.c.report_id, o.c.start)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return _rows(conn, query), int(total)


def list_sources(store: Store, *, kind: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    s = schema.sources
    query = sa.select(*schema.shown_columns(s))
    if kind:
        query = query.where(s.c.kind == kind)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        return _rows(conn, query.order_by(s.c.report_id, s.c.start).limit(limit).offset(offset)), int(total)


def events_by_place(store: Store, f: EventFilter = EventFilter(), *, min_precision: int = 3) -> list[dict]:
    """Event counts per city, county or district that has coordinates: the map's points."""
    base = event_query(store, f).subquery()
    query = (sa.select(base.c.place_id, base.c.admin1, base.c.latitude, base.c.longitude,
                       count_of(base, f).label("events"))
             .where(base.c.latitude.is_not(None), base.c.precision >= min_precision)
             .group_by(base.c.place_id, base.c.admin1, base.c.latitude, base.c.longitude)
             .order_by(sa.desc("events"), base.c.place_id))
    with store.engine.connect() as conn:
        return _rows(conn, query)


def events_by_month_and_type(store: Store, f: EventFilter = EventFilter()) -> list[dict]:
    base = event_query(store, f).subquery()
    month = sa.func.substr(base.c.sort_date, 1, 7).label("month")
    query = (sa.select(month, base.c.type, count_of(base, f).label("events"))
             .where(base.c.sort_date.is_not(None)).group_by(month, base.c.type).order_by(month, base.c.type))
    with store.engine.connect() as conn:
        return _rows(conn, query)


def audit_entries(store: Store, *, record_id: str | None = None, actor: str | None = None,
                  limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    a = schema.audit_log
    query = sa.select(a)
    if record_id:
        query = query.where(a.c.record_id == record_id)
    if actor:
        query = query.where(a.c.actor == actor)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        return _rows(conn, query.order_by(a.c.id.desc()).limit(limit).offset(offset)), int(total)
