"""Read side of corroboration: a cluster with its mentions side by side, cluster lists, an event's cluster."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from undercurrent.errors import NotFound
from undercurrent.store import schema
from undercurrent.store.arrival import arrivals_of, of_reports
from undercurrent.store.db import Store

clusters_t, members_t = schema.event_clusters, schema.cluster_members
e, r, s = schema.events, schema.reports, schema.report_signatures


def get_cluster(store: Store, cluster_id: str) -> dict:
    """A cluster's summary and its mentions (event record, report, quote, reprint mark); NotFound (E050) if unknown."""
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(clusters_t).where(clusters_t.c.id == cluster_id)).mappings().first()
        if row is None:
            raise NotFound(f"no cluster {cluster_id}")
        mentions = conn.execute(
            sa.select(e.c.id, e.c.report_id, e.c.type, e.c.mode, e.c.status, e.c.place_id, e.c.admin1,
                      e.c.date_start, e.c.date_granularity, e.c.arrested, e.c.dead, e.c.injured, e.c.quote,
                      e.c.start, e.c.end, e.c.review_status, r.c.outlet, r.c.title, r.c.url, r.c.published,
                      s.c.reprint_of, members_t.c.pinned, members_t.c.decided_by, members_t.c.decided_at)
            .select_from(members_t.join(e, e.c.id == members_t.c.event_id).join(r, r.c.id == e.c.report_id)
                         .outerjoin(s, s.c.report_id == r.c.id))
            .where(members_t.c.cluster_id == cluster_id, e.c.review_status != schema.REJECTED)
            .order_by(r.c.published.nulls_last(), r.c.id, e.c.start)).mappings().all()
    out = dict(row)
    out["mentions"] = [dict(m) for m in mentions]
    return out


def cluster_id_of(store: Store, event_id: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(members_t.c.cluster_id).where(members_t.c.event_id == event_id)).scalar()


def list_clusters(store: Store, *, min_reports: int = 1, province: str | None = None, type: str | None = None,
                  disputed: bool = False, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    """Clusters, most corroborated first (independent outlets, then reports, then latest reported)."""
    query = sa.select(clusters_t).where(clusters_t.c.n_reports >= min_reports)
    if province:
        query = query.where(clusters_t.c.admin1 == province)
    if type:
        query = query.where(clusters_t.c.type == type)
    with store.engine.connect() as conn:
        rows = [dict(x) for x in conn.execute(query.order_by(
            clusters_t.c.n_outlets.desc(), clusters_t.c.n_reports.desc(),
            clusters_t.c.last_reported.desc().nulls_last(), clusters_t.c.id)).mappings()]
    if disputed:  # disagreements are JSON: filtered here, the same on SQLite and PostgreSQL
        rows = [x for x in rows if x["disagreements"]]
    return rows[offset:offset + limit], len(rows)


def nearby_clusters(store: Store, cluster: dict, *, days: int = 120, limit: int = 20) -> list[dict]:
    """Other clusters a reviewer may want to merge with this one: the same type and province (or none),
    first reported within `days`. The machine kept them apart; a person may know better."""
    from datetime import date

    def day(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
        except ValueError:
            return None

    query = sa.select(clusters_t).where(clusters_t.c.type == cluster["type"], clusters_t.c.id != cluster["id"])
    if cluster.get("admin1"):
        query = query.where(sa.or_(clusters_t.c.admin1 == cluster["admin1"], clusters_t.c.admin1.is_(None)))
    mine = day(cluster.get("first_reported"))
    with store.engine.connect() as conn:
        rows = [dict(x) for x in conn.execute(query.order_by(clusters_t.c.first_reported, clusters_t.c.id)).mappings()]
    close = [x for x in rows if mine is None or ((when := day(x["first_reported"])) is not None
                                                 and abs((when - mine).days) <= days)]
    return close[:limit]


@dataclass(frozen=True)
class EventInCluster:
    """An event's span, its cluster (None when alone) and its report's text, for scoring clusters."""

    id: str
    report_id: str
    start: int
    end: int
    cluster_id: str | None
    text: str


def events_with_clusters(store: Store, report_ids: list[str]) -> list[EventInCluster]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(e.c.id, e.c.report_id, e.c.start, e.c.end, members_t.c.cluster_id, r.c.text)
                            .select_from(e.join(r, r.c.id == e.c.report_id)
                                         .outerjoin(members_t, members_t.c.event_id == e.c.id))
                            .where(of_reports(e, arrivals_of(conn, report_ids)))).all()
    return [EventInCluster(row.id, row.report_id, row.start, row.end, row.cluster_id, row.text) for row in rows]


def reprint_marks(store: Store) -> dict[str, str | None]:
    """report id -> the report it reprints (None when it is no reprint), for every signed report."""
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(s.c.report_id, s.c.reprint_of)).all())
