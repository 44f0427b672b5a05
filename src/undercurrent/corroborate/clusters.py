"""Clusters of event records: one real-world event, many mentions.

A cluster is a connected group of linked records (`compat.linked`), so the result does not depend
on the order records arrive in: attaching records one by one and clustering all at once agree.
A reviewer's decision pins records to a cluster: pinned records are never moved by the machine;
unpinned records that link to pinned ones join the first (by id) of those pinned clusters, and
never bridge two pinned clusters."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta

from undercurrent.corroborate.compat import EventView, linked, window


def cluster_id_for(member_ids: Iterable[str]) -> str:
    """An automatic cluster's id: from its smallest member id, so a rebuild gives the same ids."""
    return "c" + hashlib.sha256(min(member_ids).encode("utf-8")).hexdigest()[:19]


def candidate_pairs(events: Sequence[EventView]) -> Iterable[tuple[EventView, EventView]]:
    """Pairs worth comparing: the same type, the same province (or one without), and date windows
    that meet (a sweep over start days). Everything else is vetoed anyway."""
    blocks: dict[tuple[str, str | None], list[tuple]] = defaultdict(list)
    for e in events:
        w = window(e)
        if w is not None:
            blocks[(e.type, e.admin1)].append((w[0], w[1], e))
    for (type_, admin1), items in blocks.items():
        if admin1 is None:
            yield from _sweep(items, lambda a, b: True)
        else:
            # records without a province may be the same event as records of any province
            unplaced = blocks.get((type_, None), [])
            yield from _sweep(items + unplaced, lambda a, b: a.admin1 is not None or b.admin1 is not None)


def _sweep(items: list[tuple], keep: Callable[[EventView, EventView], bool]) -> Iterable[tuple[EventView, EventView]]:
    items = sorted(items, key=lambda t: (t[0], t[2].id))
    active: list[tuple] = []
    for start, end, e in items:
        active = [t for t in active if t[1] >= start]
        for _s, _e, other in active:
            if keep(other, e):
                yield other, e
        active.append((start, end, e))


def assign(event_ids: Iterable[str], edges: Iterable[tuple[str, str]],
           pins: Mapping[str, str]) -> dict[str, str]:
    """Each event's cluster id. `edges` are linked pairs; `pins` are reviewer decisions."""
    ids = sorted(set(event_ids) | set(pins))
    parent = {i: i for i in ids if i not in pins}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    touches: dict[str, set[str]] = defaultdict(set)  # unpinned event -> pinned clusters it links to
    for a, b in edges:
        if a not in parent and b not in parent:
            continue
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        elif a in parent:
            touches[a].add(pins[b])
        else:
            touches[b].add(pins[a])
    components: dict[str, list[str]] = defaultdict(list)
    for i in parent:
        components[find(i)].append(i)
    out = {i: pins[i] for i in ids if i in pins}
    for members in components.values():
        pinned = set().union(*(touches.get(m, set()) for m in members))
        cid = min(pinned) if pinned else cluster_id_for(members)
        for m in members:
            out[m] = cid
    return out


def cluster(events: Sequence[EventView], pins: Mapping[str, str] | None = None, *,
            link: Callable[[EventView, EventView], bool] = linked) -> dict[str, str]:
    """Cluster records all at once (the rebuild)."""
    edges = [(a.id, b.id) for a, b in candidate_pairs(events) if link(a, b)]
    return assign([e.id for e in events], edges, pins or {})


def query_window(e: EventView) -> tuple[str, str] | None:
    """The sort dates a linked record can have: the store narrows its candidate query with them."""
    w = window(e)
    if w is None:
        return None
    # A candidate's own window can reach back a year (a year-level date) or 60 days (undated).
    return (w[0] - timedelta(days=366)).isoformat(), (w[1] + timedelta(days=366)).isoformat()
