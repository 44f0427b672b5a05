"""Reviewer decisions on clusters: merge and split. Each pins the records it touches, so no
re-clustering (incremental or `cluster --rebuild`) moves them again, and each goes to the audit log."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.errors import BadEdit, NotFound
from undercurrent.store import schema
from undercurrent.store.clusters import refresh_summaries
from undercurrent.store.db import Store
from undercurrent.store.records import now
from undercurrent.store.rows import stable_id

members_t = schema.cluster_members


def _membership(conn: sa.Connection, cluster_id: str) -> list[str]:
    return sorted(row.event_id for row in conn.execute(
        sa.select(members_t.c.event_id).where(members_t.c.cluster_id == cluster_id)))


def _pin(conn: sa.Connection, event_ids: list[str], cluster_id: str, user: str, at: str) -> None:
    conn.execute(members_t.update().where(members_t.c.event_id.in_(event_ids))
                 .values(cluster_id=cluster_id, pinned=True, decided_by=user, decided_at=at))


def _audit(conn: sa.Connection, *, user: str, at: str, action: str, record_id: str, before: dict, after: dict) -> None:
    conn.execute(schema.audit_log.insert().values(at=at, actor=user, action=action, table_name="event_clusters",
                                                  record_id=record_id, before=before, after=after))


def merge_clusters(store: Store, cluster_ids: list[str], *, user: str) -> str:
    """Make several clusters one (the first id given survives); returns its id."""
    ids = list(dict.fromkeys(cluster_ids))
    if len(ids) < 2:
        raise BadEdit("merge needs at least two different clusters")
    at = now()
    with store.engine.begin() as conn:
        before = {cid: _membership(conn, cid) for cid in ids}
        for cid, members in before.items():
            if not members:
                raise NotFound(f"no cluster {cid}")
        target = ids[0]
        _pin(conn, [m for members in before.values() for m in members], target, user, at)
        refresh_summaries(conn, ids)
        _audit(conn, user=user, at=at, action="cluster:merge", record_id=target,
               before={"clusters": before}, after={"clusters": {target: _membership(conn, target)}})
    return target


def split_cluster(store: Store, cluster_id: str, event_ids: list[str], *, user: str) -> str:
    """Move `event_ids` out of a cluster into a new one; returns the new cluster's id."""
    chosen = sorted(set(event_ids))
    at = now()
    with store.engine.begin() as conn:
        members = _membership(conn, cluster_id)
        if not members:
            raise NotFound(f"no cluster {cluster_id}")
        outside = [i for i in chosen if i not in members]
        if not chosen or outside:
            raise BadEdit(f"split of cluster {cluster_id}: events {', '.join(outside) or '(none)'} are not its members")
        if len(chosen) == len(members):
            raise BadEdit(f"split of cluster {cluster_id}: leave at least one record in it")
        new_id = "r" + stable_id("split", cluster_id, *chosen, at)[:19]
        _pin(conn, [m for m in members if m not in chosen], cluster_id, user, at)
        _pin(conn, chosen, new_id, user, at)
        refresh_summaries(conn, [cluster_id, new_id])
        _audit(conn, user=user, at=at, action="cluster:split", record_id=cluster_id,
               before={"clusters": {cluster_id: members}},
               after={"clusters": {cluster_id: _membership(conn, cluster_id), new_id: chosen}})
    return new_id
