"""Corroboration in the store: reprints and event clusters, kept up to date at ingest, rebuilt on demand.

Incremental: `update_report` runs inside the transaction that saves a report. It signs the report,
finds its reprints through the LSH band table, then re-clusters only the records linked to the
report's events (the closure of links reaching them), never the whole store. `rebuild` recomputes
everything in memory with the same pure functions and gives the same clusters, because a cluster is
a connected group of links, whatever order the records came in. Reviewer pins survive both."""
from __future__ import annotations

import functools
from collections.abc import Iterable

import sqlalchemy as sa

from undercurrent.corroborate import reprints
from undercurrent.corroborate.clusters import assign, cluster, conflicts
from undercurrent.corroborate.compat import (
    OTHER_SCALE,
    EventView,
    compatible_modes,
    is_broad,
    linked,
    score,
    statuses_of_kind,
    window,
)
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


# Reports read per band key when a new report looks for its near-duplicates. Every member of a reprint
# group shares most band keys, so a story printed thousands of times would otherwise be read whole at each
# save; a few members of each group are enough to find the group (its marks name its original).
BAND_READ_LIMIT = 20


@functools.cache
def _band_statement(n_keys: int, limit: int):
    """One statement for every band key of a report (built once: building 32 selects per save cost more
    than running them)."""
    per_key = [sa.select(bands_t.c.report_id).where(bands_t.c.key == sa.bindparam(f"k{i}"),
                                                      bands_t.c.report_id != sa.bindparam("report_id"))
               .limit(limit).subquery() for i in range(n_keys)]
    return sa.union_all(*(sa.select(sub.c.report_id) for sub in per_key))


def _band_candidates(conn: sa.Connection, report_id: str, keys: list[str]) -> set[str]:
    params = {f"k{i}": key for i, key in enumerate(keys)}
    return {row[0] for row in conn.execute(_band_statement(len(keys), BAND_READ_LIMIT), {**params, "report_id": report_id})}


def _update_reprints(conn: sa.Connection, report_id: str, sig) -> set[str]:
    """Join the report to the reprint groups of its near-duplicates (merging them if it bridges two):
    the group's original is its earliest report. Returns the originals that stopped being one (their
    own clusters count one independent report fewer). The work is bounded by the report's candidates,
    not by the size of the groups: a group's members are re-marked with one statement."""
    candidates = _band_candidates(conn, report_id, reprints.bands(sig))
    dupes = set()
    for row in conn.execute(sa.select(sig_t.c.report_id, sig_t.c.signature)
                            .where(sig_t.c.report_id.in_(candidates))) if candidates else []:
        if reprints.is_reprint_pair(sig, reprints.from_bytes(row.signature)):
            dupes.add(row.report_id)
    if not dupes:
        return set()
    marks = dict(conn.execute(sa.select(sig_t.c.report_id, sig_t.c.reprint_of).where(sig_t.c.report_id.in_(dupes))).all())
    originals = {marks[d] or d for d in dupes}  # each group's original is its earliest report already
    original = reprints.earliest(originals | {report_id}, _order_keys(conn, originals | {report_id}))
    conn.execute(sig_t.update().where(sig_t.c.report_id == report_id)
                 .values(reprint_of=None if original == report_id else original))
    displaced = originals - {original}
    if displaced:  # the displaced originals and every copy of theirs now name the new one
        conn.execute(sig_t.update().where(sa.or_(sig_t.c.reprint_of.in_(displaced), sig_t.c.report_id.in_(displaced)))
                     .values(reprint_of=original))
    return displaced


# ---- clusters -------------------------------------------------------------------------------------

# A saved record's links are looked for among the records of its type nearest its date, in its province
# and in none: on each side of its date the NEIGHBOUR_SCAN nearest are read from the (type, admin1,
# sort_date) index and, of those no veto of status, mode or place excludes, the NEIGHBOUR_LIMIT nearest
# are judged. A save then reads the same number of records in a store of a thousand reports as in one of
# a million (bench/load_speed.py); in a dense store (many records of one type in one province and month)
# the rest are left to `cluster --rebuild`.
NEIGHBOUR_SCAN = 30
NEIGHBOUR_LIMIT = 5


def _broad_place():
    """`compat.is_broad` in SQL: a record placed no finer than its province."""
    return sa.or_(e.c.precision.is_(None), e.c.precision <= 2, e.c.place_id.is_(None), e.c.place_id == "",
                  e.c.place_id == e.c.admin1)


@functools.cache
def _neighbour_statement(placed: bool, statuses: bool, modes: bool, precise: bool, scan: int, limit: int):
    """One statement for the candidates of one record (see NEIGHBOUR_SCAN); its parts read the index in
    date order from `middle`, forward and back, in the record's province and in none (or in any, for a
    record with no province)."""
    vetoes: list[sa.ColumnElement[bool]] = []
    if statuses:
        vetoes.append(e.c.status.in_(sa.bindparam("statuses", expanding=True)))
    if modes:
        vetoes.append(sa.or_(e.c.mode.is_(None), e.c.mode == "", e.c.mode.in_(sa.bindparam("modes", expanding=True))))
    provinces: list[tuple[sa.ColumnElement[bool], list]] = [(sa.true(), [])]
    if placed:
        # Two precise places of one province are one place only if the same, or at each other's scale.
        same = [sa.or_(e.c.place_id == sa.bindparam("place_id"), _broad_place(), e.c.precision == sa.bindparam("scale"))]
        provinces = [(e.c.admin1 == sa.bindparam("admin1"), same if precise else []), (e.c.admin1.is_(None), [])]
    parts = []
    for province, place_vetoes in provinces:
        for later in (True, False):
            nearest = (sa.select(e.c.id).where(e.c.type == sa.bindparam("type"), province,
                                               e.c.sort_date >= sa.bindparam("middle") if later else e.c.sort_date < sa.bindparam("middle"))
                       .order_by(e.c.sort_date if later else e.c.sort_date.desc()).limit(scan))
            parts.append(_view_query().where(e.c.id.in_(nearest.scalar_subquery()), e.c.report_id != sa.bindparam("report_id"),
                                             *vetoes, *place_vetoes)
                         .order_by(e.c.sort_date if later else e.c.sort_date.desc()).limit(limit).subquery())
    return sa.union_all(*(sa.select(*part.c) for part in parts))


def _neighbours(conn: sa.Connection, view: EventView) -> list[EventView]:
    """Records linked to `view`: the nearest by date of its type and province (or of no province) that
    no veto of status, mode or place excludes, read from the (type, admin1, sort_date) index, then judged."""
    own = window(view)
    if own is None:
        return []
    statuses, modes = statuses_of_kind(view.status), compatible_modes(view.type, view.mode)
    precise = bool(view.admin1) and not is_broad(view)
    params: dict[str, object] = {"type": view.type, "report_id": view.report_id, "middle": own[0].isoformat()}
    if view.admin1:
        params["admin1"] = view.admin1
    if precise:
        params.update(place_id=view.place_id, scale=OTHER_SCALE.get(view.precision or 0, -1))
    if statuses is not None:
        params["statuses"] = statuses
    if modes is not None:
        params["modes"] = sorted(modes)
    statement = _neighbour_statement(bool(view.admin1), statuses is not None, modes is not None, precise,
                                     NEIGHBOUR_SCAN, NEIGHBOUR_LIMIT)
    return [other for other in map(_view, conn.execute(statement, params)) if linked(view, other)]


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


def _sizes(conn: sa.Connection, cluster_ids: Iterable[str]) -> dict[str, int]:
    ids = list(cluster_ids)
    if not ids:
        return {}
    return dict(conn.execute(sa.select(members_t.c.cluster_id, sa.func.count()).where(members_t.c.cluster_id.in_(ids))
                             .group_by(members_t.c.cluster_id)).all())


# Records re-clustered at most per stored report. A new record re-clusters everything reachable from it
# by links, which is what makes incremental equal to a rebuild; where links chain far (a busy town,
# undated reports) the search stops growing here and the clusters beyond keep their place until the
# next rebuild. Real stores rarely reach it (bench/cluster_speed.py).
CLOSURE_LIMIT = 25
# Clusters up to this size are re-clustered whole when reached. A larger one (a story told hundreds of
# times) keeps its members where they are: new records join it through their links, and only
# `cluster --rebuild` may split it. Reading it whole at every save would make saves grow with it.
WHOLE_CLUSTER_LIMIT = 50


def recluster(conn: sa.Connection, seeds: Iterable[str], *, clusters: Iterable[str] = (),
              limit: int = CLOSURE_LIMIT) -> set[str]:
    """Re-cluster the records reachable by links from `seeds` and the members of `clusters`.

    Returns the cluster ids written. Records outside that closure cannot change cluster, so the
    result equals a full rebuild's while touching only a handful of rows. At most `limit` records
    have their links looked up; records of the clusters reached beyond that, and the members of
    clusters larger than WHOLE_CLUSTER_LIMIT, keep their cluster (as if pinned, for this run only)."""
    seeds = set(seeds)
    sizes = _sizes(conn, clusters)
    large = {c for c, n in sizes.items() if n > WHOLE_CLUSTER_LIMIT}
    todo = seeds | _members(conn, set(sizes) - large)
    old_clusters = set(clusters)
    views: dict[str, EventView] = {}
    expanded: set[str] = set()
    edges: dict[tuple[str, str], float] = {}
    while todo:
        found = _views(conn, todo - views.keys())
        views.update(found)
        old = _cluster_of(conn, found)
        reached = set(old.values()) - old_clusters
        old_clusters |= reached
        sizes = _sizes(conn, reached)
        large |= {c for c, n in sizes.items() if n > WHOLE_CLUSTER_LIMIT}
        nxt: set[str] = _members(conn, set(sizes) - large) - views.keys()  # whole clusters, when small
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
    frozen = {i: current[i] for i in views if i in current and (i not in expanded or current[i] in large)}
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
    """Incremental corroboration for one stored (or re-extracted) report, in the caller's transaction.

    Its events are the seeds. A reprint group it joins keeps its links (every pair of a group is linked
    whichever report is the original), so the group's other records need no re-clustering; the clusters
    of an original it displaced are refreshed (one independent report fewer)."""
    sig = _sign(conn, report_id, text)
    displaced = _update_reprints(conn, report_id, sig)
    seeds = {row.id for row in conn.execute(sa.select(e.c.id).where(e.c.report_id == report_id))}
    around = {row.cluster_id for row in conn.execute(
        sa.select(members_t.c.cluster_id).join(e, e.c.id == members_t.c.event_id).where(e.c.report_id.in_(displaced)))
    } if displaced else set()
    return recluster(conn, seeds, clusters=set(previous) | around)


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
