"""Corroboration in the store: reprints and event clusters, kept up to date at ingest, rebuilt on demand.

Incremental: `update_report` runs inside the transaction that saves a report. It signs the report,
finds its reprints through the LSH band table, then re-clusters only the records linked to the
report's events (the closure of links reaching them), never the whole store. `rebuild` recomputes
everything in memory with the same pure functions and gives the same clusters, because a cluster is
a connected group of links, whatever order the records came in. Reviewer pins survive both."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from undercurrent.corroborate import reprints
from undercurrent.corroborate.clusters import assign, cluster, conflicts, query_window
from undercurrent.corroborate.compat import EventView, linked, score
from undercurrent.corroborate.summary import summarise
from undercurrent.store import schema
from undercurrent.store.db import Store

e, r = schema.events, schema.reports
sig_t, bands_t = schema.report_signatures, schema.report_bands
members_t, clusters_t = schema.cluster_members, schema.event_clusters

_VIEW_COLUMNS = (e.c.id, e.c.report_id, e.c.type, e.c.mode, e.c.status, e.c.place_id, e.c.admin1, e.c.precision,
                 e.c.date_start, e.c.date_end, e.c.date_granularity, e.c.actor_institutions, e.c.recipients,
                 e.c.arrested, e.c.dead, e.c.injured, e.c.quote, e.c.sort_date,
                 r.c.published, r.c.outlet, sig_t.c.reprint_of)


def _view_query():
    return (sa.select(*_VIEW_COLUMNS)
            .select_from(e.join(r, e.c.report_id == r.c.id).outerjoin(sig_t, sig_t.c.report_id == e.c.report_id))
            .where(e.c.review_status != schema.REJECTED))


def _view(row) -> EventView:
    return EventView(
        id=row.id, report_id=row.report_id, type=row.type, mode=row.mode, status=row.status,
        place_id=row.place_id, admin1=row.admin1, precision=row.precision, date_start=row.date_start,
        date_end=row.date_end, granularity=row.date_granularity, published=row.published, outlet=row.outlet,
        actors=frozenset(v for v in (row.actor_institutions or "").split("|") if v),
        recipients=frozenset(x.get("sector") for x in (row.recipients or []) if x.get("sector")),
        arrested=row.arrested, dead=row.dead, injured=row.injured, quote=row.quote or "",
        reprint_of=row.reprint_of,
    )


# ---- reprints -------------------------------------------------------------------------------------

def _order_keys(conn: sa.Connection, report_ids: Iterable[str]) -> dict[str, tuple]:
    rows = conn.execute(sa.select(r.c.id, r.c.published, r.c.ingested_at).where(r.c.id.in_(list(report_ids))))
    return {row.id: (row.published or "9999", row.ingested_at or "") for row in rows}


def _sign(conn: sa.Connection, report_id: str, text: str):
    """The report's signature, computed and stored once (with its band keys)."""
    row = conn.execute(sa.select(sig_t.c.signature).where(sig_t.c.report_id == report_id)).first()
    if row is not None:
        return reprints.from_bytes(row.signature)
    sig = reprints.signature(text)
    conn.execute(sig_t.insert().values(report_id=report_id, signature=reprints.to_bytes(sig), reprint_of=None))
    conn.execute(bands_t.insert(), [{"key": k, "report_id": report_id} for k in reprints.bands(sig)])
    return sig


def _sign_all(conn: sa.Connection) -> int:
    """Sign every report that has no signature yet, in bulk (a rebuild after a bulk load)."""
    missing = conn.execute(sa.select(r.c.id, r.c.text).outerjoin(sig_t, sig_t.c.report_id == r.c.id)
                           .where(sig_t.c.report_id.is_(None))).all()
    for start in range(0, len(missing), 2000):
        sigs, bands = [], []
        for row in missing[start:start + 2000]:
            sig = reprints.signature(row.text)
            sigs.append({"report_id": row.id, "signature": reprints.to_bytes(sig), "reprint_of": None})
            bands += [{"key": k, "report_id": row.id} for k in reprints.bands(sig)]
        conn.execute(sig_t.insert(), sigs)
        conn.execute(bands_t.insert(), bands)
    return len(missing)


def _update_reprints(conn: sa.Connection, report_id: str, sig) -> set[str]:
    """Mark the report's reprint group (its near-duplicates and theirs); the reports whose mark changed."""
    keys = reprints.bands(sig)
    candidates = {row.report_id for row in conn.execute(
        sa.select(bands_t.c.report_id).where(bands_t.c.key.in_(keys), bands_t.c.report_id != report_id).distinct())}
    dupes = set()
    for row in conn.execute(sa.select(sig_t.c.report_id, sig_t.c.signature)
                            .where(sig_t.c.report_id.in_(candidates))) if candidates else []:
        if reprints.is_reprint_pair(sig, reprints.from_bytes(row.signature)):
            dupes.add(row.report_id)
    if not dupes:
        return set()
    # Every report already grouped with a near-duplicate joins: the group is the whole closure.
    current = dict(conn.execute(sa.select(sig_t.c.report_id, sig_t.c.reprint_of).where(sig_t.c.report_id.in_(dupes))).all())
    originals = {current[d] or d for d in dupes}
    group = {report_id} | dupes | originals | {row.report_id for row in conn.execute(
        sa.select(sig_t.c.report_id).where(sig_t.c.reprint_of.in_(originals)))}
    before = dict(conn.execute(sa.select(sig_t.c.report_id, sig_t.c.reprint_of).where(sig_t.c.report_id.in_(group))).all())
    original = reprints.earliest(group, _order_keys(conn, group))
    changed = set()
    for member in group:
        mark = None if member == original else original
        if before.get(member) != mark:
            conn.execute(sig_t.update().where(sig_t.c.report_id == member).values(reprint_of=mark))
            changed.add(member)
    return changed


# ---- clusters -------------------------------------------------------------------------------------

def _neighbours(conn: sa.Connection, view: EventView) -> list[EventView]:
    """Records linked to `view`: one indexed query (type, dates, province), then the pure judgement."""
    span = query_window(view)
    if span is None:
        return []
    query = _view_query().where(e.c.type == view.type, e.c.sort_date >= span[0], e.c.sort_date <= span[1],
                                e.c.report_id != view.report_id)
    if view.admin1:
        query = query.where(sa.or_(e.c.admin1 == view.admin1, e.c.admin1.is_(None)))
    return [other for other in map(_view, conn.execute(query)) if linked(view, other)]


def _cluster_of(conn: sa.Connection, event_ids: Iterable[str]) -> dict[str, str]:
    ids = list(event_ids)
    if not ids:
        return {}
    return dict(conn.execute(sa.select(members_t.c.event_id, members_t.c.cluster_id)
                             .where(members_t.c.event_id.in_(ids))).all())


def _members(conn: sa.Connection, cluster_ids: Iterable[str]) -> set[str]:
    ids = list(cluster_ids)
    if not ids:
        return set()
    return {row.event_id for row in conn.execute(sa.select(members_t.c.event_id).where(members_t.c.cluster_id.in_(ids)))}


def _pins(conn: sa.Connection, event_ids: Iterable[str] | None = None) -> dict[str, str]:
    query = sa.select(members_t.c.event_id, members_t.c.cluster_id).where(members_t.c.pinned.is_(True))
    if event_ids is not None:
        query = query.where(members_t.c.event_id.in_(list(event_ids)))
    return dict(conn.execute(query).all())


def _views(conn: sa.Connection, event_ids: Iterable[str]) -> dict[str, EventView]:
    ids = list(event_ids)
    out: dict[str, EventView] = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(_view_query().where(e.c.id.in_(ids[start:start + 500]))):
            out[row.id] = _view(row)
    return out


# Records re-clustered at most per stored report, whole clusters always. A new record re-clusters
# everything reachable from it by links, which is what makes incremental equal to a rebuild; where
# links chain far (a busy town, undated reports) the search stops growing here and the clusters
# beyond keep their place until the next rebuild. Real stores rarely reach it (bench/cluster_speed.py).
CLOSURE_LIMIT = 100


def recluster(conn: sa.Connection, seeds: Iterable[str], *, clusters: Iterable[str] = (),
              limit: int = CLOSURE_LIMIT) -> set[str]:
    """Re-cluster the records reachable by links from `seeds` and the members of `clusters`.

    Returns the cluster ids written. Records outside that closure cannot change cluster, so the
    result equals a full rebuild's while touching only a handful of rows. At most `limit` records
    have their links looked up; records of the clusters reached beyond that keep their cluster
    (as if pinned, for this run only)."""
    seeds = set(seeds)
    todo = seeds | _members(conn, clusters)
    old_clusters = set(clusters)
    views: dict[str, EventView] = {}
    expanded: set[str] = set()
    edges: dict[tuple[str, str], float] = {}
    while todo:
        found = _views(conn, todo - views.keys())
        views.update(found)
        old = _cluster_of(conn, found)
        old_clusters |= set(old.values())
        nxt: set[str] = _members(conn, set(old.values())) - views.keys()  # whole clusters, always
        for view in sorted(found.values(), key=lambda v: (v.id not in seeds, v.id)):
            if len(expanded) >= limit:
                break
            expanded.add(view.id)
            for other in _neighbours(conn, view):
                low, high = sorted((view.id, other.id))
                edges[(low, high)] = score(view, other)
                if other.id not in views:
                    nxt.add(other.id)
        todo = nxt - views.keys()
    gone = list(seeds - views.keys())  # rejected since: no longer a mention of any cluster
    if gone:
        conn.execute(members_t.delete().where(members_t.c.event_id.in_(gone), members_t.c.pinned.is_(False)))
    current = _cluster_of(conn, views)
    frozen = {i: current[i] for i in views if i not in expanded and i in current}
    pins = {**frozen, **_pins(conn, views)}
    inside = [(a, b, w) for (a, b), w in edges.items() if a in views and b in views]
    assigned = assign(views, inside, pins, conflict=conflicts(views))
    return _write(conn, views, assigned, old_clusters)


def _write(conn: sa.Connection, views: dict[str, EventView], assigned: dict[str, str], old_clusters: set[str]) -> set[str]:
    ids = list(views)
    for start in range(0, len(ids), 500):
        conn.execute(members_t.delete().where(members_t.c.event_id.in_(ids[start:start + 500]),
                                              members_t.c.pinned.is_(False)))
    pinned = set(_pins(conn, ids))
    fresh = [{"event_id": i, "cluster_id": c, "pinned": False} for i, c in assigned.items() if i not in pinned and i in views]
    if fresh:
        conn.execute(members_t.insert(), fresh)
    touched = old_clusters | set(assigned.values())
    refresh_summaries(conn, touched)
    return set(assigned.values())


def refresh_summaries(conn: sa.Connection, cluster_ids: Iterable[str]) -> None:
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        conn.execute(clusters_t.delete().where(clusters_t.c.id.in_(chunk)))
        by_cluster: dict[str, list[EventView]] = {}
        rows = conn.execute(_view_query().add_columns(members_t.c.cluster_id)
                            .join(members_t, members_t.c.event_id == e.c.id)
                            .where(members_t.c.cluster_id.in_(chunk)).order_by(e.c.id))
        for row in rows:
            by_cluster.setdefault(row.cluster_id, []).append(_view(row))
        summaries = [summarise(cid, members).as_row() for cid, members in sorted(by_cluster.items())]
        if summaries:
            conn.execute(clusters_t.insert(), summaries)


def clusters_of_report(conn: sa.Connection, report_id: str) -> set[str]:
    """The clusters a report's records are in now (before they are replaced by a re-extraction)."""
    rows = conn.execute(sa.select(members_t.c.cluster_id).join(e, e.c.id == members_t.c.event_id)
                        .where(e.c.report_id == report_id).distinct())
    return {row.cluster_id for row in rows}


def update_report(conn: sa.Connection, report_id: str, *, text: str, previous: Iterable[str] = ()) -> set[str]:
    """Incremental corroboration for one stored (or re-extracted) report, in the caller's transaction."""
    sig = _sign(conn, report_id, text)
    changed = _update_reprints(conn, report_id, sig) | {report_id}
    seeds = {row.id for row in conn.execute(sa.select(e.c.id).where(e.c.report_id.in_(changed)))}
    return recluster(conn, seeds, clusters=previous)


def update_event(conn: sa.Connection, event_id: str) -> set[str]:
    """After a review changed (or rejected) a record: re-cluster around it."""
    return recluster(conn, {event_id}, clusters=_cluster_of(conn, [event_id]).values())


# ---- rebuild --------------------------------------------------------------------------------------

def rebuild(store: Store) -> dict[str, int]:
    """Recompute reprints and clusters of the whole store in memory; reviewer pins are kept."""
    with store.engine.begin() as conn:
        signed = _sign_all(conn)
        signatures = {row.report_id: reprints.from_bytes(row.signature)
                      for row in conn.execute(sa.select(sig_t.c.report_id, sig_t.c.signature))}
        order = {row.id: (row.published or "9999", row.ingested_at or "")
                 for row in conn.execute(sa.select(r.c.id, r.c.published, r.c.ingested_at))}
        marks: dict[str, str | None] = {rid: None for rid in signatures}
        for group in reprints.reprint_groups(signatures):
            original = reprints.earliest(group, order)
            for member in group - {original}:
                marks[member] = original
        before = dict(conn.execute(sa.select(sig_t.c.report_id, sig_t.c.reprint_of)).all())
        for member, mark in marks.items():
            if before.get(member) != mark:  # only the marks that change: most stay as ingest set them
                conn.execute(sig_t.update().where(sig_t.c.report_id == member).values(reprint_of=mark))
        views = [_view(row) for row in conn.execute(_view_query().order_by(e.c.id))]
        ids = {v.id for v in views}
        pins = {k: v for k, v in _pins(conn).items() if k in ids}
        assigned = cluster(views, pins)
        conn.execute(members_t.delete().where(members_t.c.pinned.is_(False)))
        fresh = [{"event_id": i, "cluster_id": c, "pinned": False} for i, c in assigned.items() if i not in pins]
        for start in range(0, len(fresh), 5000):
            conn.execute(members_t.insert(), fresh[start:start + 5000])
        conn.execute(clusters_t.delete())
        by_cluster: dict[str, list[EventView]] = {}
        for v in views:
            by_cluster.setdefault(assigned[v.id], []).append(v)
        rows = [summarise(cid, members).as_row() for cid, members in sorted(by_cluster.items())]
        for start in range(0, len(rows), 5000):
            conn.execute(clusters_t.insert(), rows[start:start + 5000])
    return {"events": len(views), "clusters": len(by_cluster), "signed": signed,
            "reprints": sum(1 for m in marks.values() if m), "pinned": len(pins)}
