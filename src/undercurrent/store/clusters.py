"""Corroboration in the store: reprints and event clusters, kept up to date at ingest, rebuilt on demand.

Incremental: `update_report` runs inside the transaction that saves a report. It signs the report,
finds its reprints through the LSH band table, judges and stores the links of the report's events
(store/cluster_links.py), then re-clusters only those events, the records they link to and those
records' clusters, never the whole store. `rebuild` recomputes
everything in memory with the same pure functions and the same neighbour rule (corroborate/neighbours.py),
and gives the same clusters wherever no record has more neighbours than that rule reads, because a
cluster is a connected group of links, whatever order the records came in. Reviewer pins survive both."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import EllipsisType
from typing import Any

import numpy as np
import sqlalchemy as sa

from undercurrent.corroborate import parallel, reprints
from undercurrent.corroborate.clusters import assign, cluster, conflicts
from undercurrent.corroborate.compat import EventView
from undercurrent.corroborate.summary import summarise
from undercurrent.store import bulk, cluster_links, schema
from undercurrent.store.arrival import arrival_of, arrivals_of, of_report, of_reports
from undercurrent.store.bulk import insert_rows
from undercurrent.store.cluster_links import in_chunks, view, view_query
from undercurrent.store.db import Store

e, r = schema.events, schema.reports
sig_t, bands_t = schema.report_signatures, schema.report_bands
members_t, clusters_t = schema.cluster_members, schema.event_clusters



# ---- reprints -------------------------------------------------------------------------------------

def _order_keys(conn: sa.Connection, report_ids: Iterable[str]) -> dict[str, tuple]:
    found = {}
    for chunk in in_chunks(report_ids):
        rows = conn.execute(sa.select(r.c.id, r.c.published, r.c.ingested_at).where(r.c.id.in_(chunk)))
        found.update({row.id: (row.published or "9999", row.ingested_at or "") for row in rows})
    return found


def window_of(row: Mapping[Any, Any]) -> int:
    """The window of time a report's band keys are in (`reprints.window`), from its reports row."""
    return reprints.window(row["published"], row["ingested_at"])


def _window(conn: sa.Connection, report_id: str) -> int:
    row = conn.execute(sa.select(r.c.published, r.c.ingested_at).where(r.c.id == report_id)).mappings().first()
    return window_of(row) if row is not None else 0


def _sign(conn: sa.Connection, report_id: str, text: str, at: int):
    """The report's signature, computed and stored once (with its band keys in window `at`)."""
    row = conn.execute(sa.select(sig_t.c.signature).where(sig_t.c.report_id == report_id)).first()
    if row is not None:
        return reprints.from_bytes(row.signature)
    sig = reprints.signature(text)
    conn.execute(sig_t.insert().values(report_id=report_id, signature=reprints.to_bytes(sig), reprint_of=None))
    _insert_bands(conn, [(report_id, sig, at)])
    return sig


# A rebuild after a first load signs every report (about 0.8 ms each): a line every this many.
SIGN_REPORT_EVERY = 20_000


def _insert_bands(conn: sa.Connection, signed: Iterable[tuple[str, np.ndarray, int]]) -> None:
    """The band keys of each (report id, signature, window), written in key order: rows that go to
    neighbouring places in the band index are written together. A row already there is kept: a report
    deleted outside the application leaves its bands (no foreign key), and it may be stored again under
    the same id."""
    rows = sorted((k, report_id) for report_id, sig, at in signed for k in reprints.keys(sig, at))
    if rows:
        conn.execute(_insert_keeping(conn.dialect.name), [{"key": k, "report_id": report_id} for k, report_id in rows])


@functools.cache
def _insert_keeping(dialect: str) -> sa.Insert:
    """INSERT that skips rows whose key is taken (SQLite's OR IGNORE, PostgreSQL's ON CONFLICT DO NOTHING),
    built once per dialect: a save runs it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(bands_t).on_conflict_do_nothing()
    return bands_t.insert().prefix_with("OR IGNORE", dialect="sqlite")


def rewrite_bands(conn: sa.Connection, chunk: int = 20_000, progress: Callable[[str], None] | None = None) -> int:
    """Write every stored signature's band keys again, `chunk` signatures at a time, into an empty band
    table (migration 0011, when the keys changed form); `progress` hears after each chunk. Returns the
    reports written."""
    total = conn.execute(sa.select(sa.func.count()).select_from(sig_t)).scalar_one()
    done, after = 0, ""
    while True:
        rows = conn.execute(sa.select(sig_t.c.report_id, sig_t.c.signature, r.c.published, r.c.ingested_at)
                            .join(r, r.c.id == sig_t.c.report_id).where(sig_t.c.report_id > after)
                            .order_by(sig_t.c.report_id).limit(chunk)).all()
        if not rows:
            return done
        _insert_bands(conn, [(row.report_id, reprints.from_bytes(row.signature),
                              reprints.window(row.published, row.ingested_at)) for row in rows])
        done, after = done + len(rows), rows[-1].report_id
        if progress is not None:
            progress(f"band keys written for {done:,} of {total:,} reports")


def _sign_all(conn: sa.Connection, progress: Callable[[str], None]) -> int:
    """Sign every report that has no signature yet, in bulk (a rebuild after a bulk load), a chunk of
    texts in memory at a time; `progress` hears every SIGN_REPORT_EVERY reports."""
    missing = sorted(conn.execute(sa.select(r.c.id).outerjoin(sig_t, sig_t.c.report_id == r.c.id)
                                  .where(sig_t.c.report_id.is_(None))).scalars())
    for start in range(0, len(missing), 2000):
        signed = [(row.id, reprints.signature(row.text), reprints.window(row.published, row.ingested_at))
                  for row in conn.execute(sa.select(r.c.id, r.c.text, r.c.published, r.c.ingested_at)
                                          .where(r.c.id.in_(missing[start:start + 2000])).order_by(r.c.id))]
        conn.execute(sig_t.insert(), [{"report_id": report_id, "signature": reprints.to_bytes(sig), "reprint_of": None}
                                      for report_id, sig, _at in signed])
        _insert_bands(conn, signed)
        done = start + len(signed)
        if done % SIGN_REPORT_EVERY == 0 or done == len(missing):
            progress(f"signed {done:,} of {len(missing):,} reports")
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


# PostgreSQL: the keys as one array, each looked up with its own limit. The union of 96 selects cost 1.9-2.4
# ms a lookup there, this 0.4-0.5 ms, with the same candidates (bench/RESULTS.md).
_PG_BAND_LOOKUP = ("SELECT b.report_id FROM unnest(CAST(:keys AS bigint[])) AS k(key) CROSS JOIN LATERAL "
                   "(SELECT report_id FROM report_bands WHERE report_bands.key = k.key AND report_id <> :report_id "
                   "LIMIT :limit) AS b")


def _band_candidates(conn: sa.Connection, report_id: str, keys: list[int]) -> set[str]:
    if conn.dialect.name == "postgresql":
        found = conn.execute(sa.text(_PG_BAND_LOOKUP), {"keys": keys, "report_id": report_id, "limit": BAND_READ_LIMIT})
        return {row[0] for row in found}
    params = {f"k{i}": key for i, key in enumerate(keys)}
    return {row[0] for row in conn.execute(_band_statement(len(keys), BAND_READ_LIMIT), {**params, "report_id": report_id})}


def _update_reprints(conn: sa.Connection, report_id: str, sig, at: int) -> set[str]:
    """Join the report (in window `at`) to the reprint groups of its near-duplicates (merging them if it
    bridges two): the group's original is its earliest report. Returns the originals that stopped being
    one (their own clusters count one independent report fewer). The work is bounded by the report's
    candidates, not by the size of the groups: a group's members are re-marked with one statement."""
    candidates = _band_candidates(conn, report_id, reprints.keys_looked_up(sig, at))
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


def _sizes(conn: sa.Connection, cluster_ids: Iterable[str]) -> dict[str, int]:
    ids = list(cluster_ids)
    if not ids:
        return {}
    return dict(conn.execute(sa.select(members_t.c.cluster_id, sa.func.count()).where(members_t.c.cluster_id.in_(ids))
                             .group_by(members_t.c.cluster_id)).all())


# Clusters up to this size are re-clustered whole when reached. A larger one (a story told hundreds of
# times) keeps its members where they are: new records join it through their links, and only
# `cluster --rebuild` may split it. Reading it whole at every save would make saves grow with it.
WHOLE_CLUSTER_LIMIT = 50


def recluster(conn: sa.Connection, seeds: Iterable[str], *, clusters: Iterable[str] = (), new: bool = False) -> set[str]:
    """Re-cluster around `seeds` (records saved, re-extracted, reviewed or rejected) and `clusters`.

    The seeds' links are judged afresh and stored. What they can change is re-clustered: the seeds, the
    records they link to, and every member of those records' clusters and of `clusters`, with the
    stored links among them; members of clusters larger than WHOLE_CLUSTER_LIMIT keep their cluster.
    The work is the same shape in any store: one judgement per seed and a fixed number of statements,
    never a walk along chains of links (a store filling up with links made that walk, and every save,
    longer: bench/load_speed.py). A change that would reach further than the clusters next to the seeds
    (a split that frees a record to join a cluster beyond) waits for `cluster --rebuild`.
    `new`: the seeds were inserted in this transaction, so no link names them yet (links reference
    records by foreign key); looking for links to drop would read a page of each link index per seed,
    which at a million reports is a read from the disk (bench/RESULTS.md).
    Returns the cluster ids written."""
    seeds, explicit = set(seeds), set(clusters)
    if not new:
        cluster_links.drop(conn, seeds)
    views = cluster_links.views(conn, seeds)
    fresh = cluster_links.judge(conn, [views[i] for i in sorted(views)])
    linked_ids = {x for a, b, _w in fresh for x in (a, b)} - views.keys()
    sizes = _sizes(conn, explicit | set(_cluster_of(conn, linked_ids | views.keys()).values()))
    large = {c for c, n in sizes.items() if n > WHOLE_CLUSTER_LIMIT}
    views.update(cluster_links.views(conn, (linked_ids | _members(conn, set(sizes) - large)) - views.keys()))
    gone = sorted(seeds - views.keys())  # rejected since: no longer a mention of any cluster
    if gone:
        conn.execute(members_t.delete().where(members_t.c.event_id.in_(gone), members_t.c.pinned.is_(False)))
    current = _cluster_of(conn, views)
    pins = {**{i: c for i, c in current.items() if c in large}, **_pins(conn, views)}
    edges = cluster_links.stored(conn, views)
    assigned = assign(views, edges, pins, conflict=conflicts(views))
    return _write(conn, assigned, current, explicit | {assigned[s] for s in seeds if s in assigned})


def _write(conn: sa.Connection, assigned: dict[str, str], current: dict[str, str], refresh: set[str]) -> set[str]:
    """Write the memberships that changed; refresh the summaries of the clusters they left or joined
    and of `refresh` (clusters whose records changed). A pinned record is assigned its pin, which is its
    current cluster, so it never counts as changed."""
    changed = {i: c for i, c in assigned.items() if current.get(i) != c}
    ids = sorted(changed)
    for start in range(0, len(ids), 500):
        conn.execute(members_t.delete().where(members_t.c.event_id.in_(ids[start:start + 500])))
    if changed:
        conn.execute(members_t.insert(), [{"event_id": i, "cluster_id": c, "pinned": False} for i, c in sorted(changed.items())])
    refresh_summaries(conn, refresh | set(changed.values()) | {current[i] for i in changed if i in current})
    return set(assigned.values())


def refresh_summaries(conn: sa.Connection, cluster_ids: Iterable[str]) -> None:
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        conn.execute(clusters_t.delete().where(clusters_t.c.id.in_(chunk)))
        by_cluster: dict[str, list[EventView]] = {}
        rows = conn.execute(view_query().add_columns(members_t.c.cluster_id)
                            .join(members_t, members_t.c.event_id == e.c.id)
                            .where(members_t.c.cluster_id.in_(chunk)).order_by(e.c.id))
        for row in rows:
            by_cluster.setdefault(row.cluster_id, []).append(view(row))
        summaries = [summarise(cid, members).as_row() for cid, members in sorted(by_cluster.items())]
        if summaries:
            conn.execute(clusters_t.insert(), summaries)


def clusters_of_report(conn: sa.Connection, report_id: str, arrival: int | None) -> set[str]:
    """The clusters a report's records are in now (before they are replaced by a re-extraction); `arrival`:
    the report's number, None when it has none."""
    rows = conn.execute(sa.select(members_t.c.cluster_id).join(e, e.c.id == members_t.c.event_id)
                        .where(of_report(e, report_id, arrival)).distinct())
    return {row.cluster_id for row in rows}


def update_report(conn: sa.Connection, report_id: str, *, text: str, previous: Iterable[str] = (),
                  new: bool = False, at: int | None = None, arrival: int | None | EllipsisType = ...) -> set[str]:
    """Incremental corroboration for one stored (or re-extracted) report, in the caller's transaction.

    Its events are the seeds (`new`: stored for the first time in this transaction, see `recluster`). A
    reprint group it joins keeps its links (every pair of a group is linked whichever report is the
    original), so the group's other records need no re-clustering; the clusters of an original it
    displaced are refreshed (one independent report fewer). `at`: the report's window, from the row the
    caller has just written (`window_of`); read from the store when not given. `arrival`: the report's
    number (None when it has none), as the caller stored it; read from the store when not given."""
    at = _window(conn, report_id) if at is None else at
    number = arrival_of(conn, report_id) if isinstance(arrival, EllipsisType) else arrival
    sig = _sign(conn, report_id, text, at)
    displaced = _update_reprints(conn, report_id, sig, at)
    seeds = {row.id for row in conn.execute(sa.select(e.c.id).where(of_report(e, report_id, number)))}
    around = {row.cluster_id for row in conn.execute(
        sa.select(members_t.c.cluster_id).join(e, e.c.id == members_t.c.event_id)
        .where(of_reports(e, arrivals_of(conn, displaced))))} if displaced else set()
    return recluster(conn, seeds, clusters=set(previous) | around, new=new)


def update_event(conn: sa.Connection, event_id: str) -> set[str]:
    """After a review changed (or rejected) a record: re-cluster around it."""
    return recluster(conn, {event_id}, clusters=_cluster_of(conn, [event_id]).values())


# ---- rebuild --------------------------------------------------------------------------------------

def rebuild(store: Store, progress: Callable[[str], None] | None = None, *, workers: int | None = None) -> dict[str, int]:
    """Recompute reprints and clusters of the whole store in memory, one event type at a time (a type is
    a veto, so no machine cluster spans two; a million reports' records need not be in memory at once);
    reviewer pins are kept. A type's links are judged on `workers` processes (default: the machine's
    cores, `parallel.default_workers`). `progress` hears how it goes (about an hour at a million reports on two cores):
    reports signed, reprints marked, then each type as it is clustered."""
    progress = progress or (lambda _line: None)
    workers = parallel.default_workers() if workers is None else workers
    with store.engine.connect() as conn, bulk.foreign_keys_off(conn), conn.begin():
        signed, reprinted = _rebuild_reprints(conn, progress)
        progress(f"reports marked as reprints: {reprinted:,}")
        pins = _pins(conn)
        conn.execute(members_t.delete().where(members_t.c.pinned.is_(False)))
        conn.execute(clusters_t.delete())
        pinned_clusters = set(pins.values())
        events, seen, kept = 0, set[str](), set[str]()
        with bulk.indexes_set_aside(conn, [schema.event_links, members_t, clusters_t]):
            for views, edges in cluster_links.rewrite_all(conn, workers=workers, progress=progress):
                events += len(views)
                type_pins = {v.id: pins[v.id] for v in views if v.id in pins}
                kept.update(type_pins)
                assigned = cluster(views, type_pins, edges=edges)
                insert_rows(conn, members_t, ({"event_id": i, "cluster_id": c, "pinned": False}
                                              for i, c in sorted(assigned.items()) if i not in pins))
                seen.update(assigned.values())
                # A reviewer may pin records of two types into one cluster: those summaries wait for all types.
                by_cluster: dict[str, list[EventView]] = {}
                for v in views:
                    if assigned[v.id] not in pinned_clusters:
                        by_cluster.setdefault(assigned[v.id], []).append(v)
                insert_rows(conn, clusters_t, (summarise(cid, members).as_row() for cid, members in sorted(by_cluster.items())))
                progress(f"{views[0].type if views else 'no type'}: {len(views):,} records, {len(edges):,} links, "
                         f"{len(set(assigned.values())):,} clusters")
        refresh_summaries(conn, seen & pinned_clusters)
    store.settle()
    return {"events": events, "clusters": len(seen), "signed": signed, "reprints": reprinted, "pinned": len(kept)}


def _rebuild_reprints(conn: sa.Connection, progress: Callable[[str], None]) -> tuple[int, int]:
    """Sign the reports not yet signed and mark every reprint group's original afresh. Returns the
    reports signed and the reprints marked. Candidates are read from the band table (the keys two
    reports share), so only their signatures are held in memory, not the whole store's."""
    signed = _sign_all(conn, progress)
    hashed = bands_t.c.key.op("&")(reprints.HASH_MASK)  # a band's hash, whatever the window
    shared = sa.select(hashed).group_by(hashed).having(sa.func.count() > 1)
    rows = conn.execute(sa.select(bands_t.c.key, bands_t.c.report_id).where(hashed.in_(shared)))
    candidates = reprints.candidate_lists((row.key, row.report_id) for row in rows)
    signatures: dict[str, np.ndarray] = {}
    for chunk in in_chunks({x for ids in candidates for x in ids}):
        signatures.update((row.report_id, reprints.from_bytes(row.signature)) for row in conn.execute(
            sa.select(sig_t.c.report_id, sig_t.c.signature).where(sig_t.c.report_id.in_(chunk))))
    # a report deleted outside the application leaves its bands (they have no foreign key) but no signature
    candidates = [kept for ids in candidates if len(kept := [x for x in ids if x in signatures]) > 1]
    groups = reprints.confirmed_groups(candidates, signatures)
    order = _order_keys(conn, {x for group in groups for x in group})
    marks: dict[str, str] = {}
    for group in groups:
        original = reprints.earliest(group, order)
        marks.update((member, original) for member in group - {original})
    before = dict(conn.execute(sa.select(sig_t.c.report_id, sig_t.c.reprint_of).where(sig_t.c.reprint_of.is_not(None))).all())
    for member in sorted(before.keys() | marks.keys()):
        if before.get(member) != marks.get(member):  # only the marks that change: most stay as ingest set them
            conn.execute(sig_t.update().where(sig_t.c.report_id == member).values(reprint_of=marks.get(member)))
    return signed, len(marks)
