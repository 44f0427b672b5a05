"""Clusters of event records: one real-world event, many mentions.

A cluster is grown from links (`compat.linked`), strongest first, never joining records that a veto
keeps apart; the result depends only on the set of links, so attaching records one by one and
clustering all at once agree wherever no record has more neighbours than the bounds of `neighbours` read.
A reviewer's decision pins records to a cluster: pinned records are never moved by the machine;
unpinned records that link to pinned ones join the first (by id) of those pinned clusters, and
never bridge two pinned clusters."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from undercurrent.corroborate import parallel
from undercurrent.corroborate.compat import EventView, linked, veto
from undercurrent.corroborate.neighbours import Blocks
from undercurrent.record_keys import in_arrival_order


def cluster_id_for(member_ids: Iterable[str]) -> str:
    """An automatic cluster's id: from its smallest member id, so a rebuild gives the same ids. A key in
    arrival order is kept whole, so that a new record's cluster is written where the newest clusters are
    (store/arrival.py); a hashed key is hashed again, as before."""
    first = min(member_ids)
    if in_arrival_order(first):
        return "c" + first
    return "c" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:19]


def assign(event_ids: Iterable[str], edges: Iterable[tuple], pins: Mapping[str, str], *,
           conflict: Callable[[str, str], bool] | None = None) -> dict[str, str]:
    """Each event's cluster id. `edges` are linked pairs `(a, b)` or `(a, b, score)`; `pins` are
    reviewer decisions; `conflict(a, b)` says two records can never be one event.

    Links are taken strongest first (ties by ids) and two groups join only when no record of one
    conflicts with a record of the other, so a vague record ("earlier this month") cannot chain two
    distinct events (the 5th and the 25th) into one. The result depends only on the set of links,
    never on the order records arrived in."""
    ids = sorted(set(event_ids) | set(pins))
    root = {i: i for i in ids if i not in pins}
    members = {i: [i] for i in root}
    touches: dict[str, set[str]] = defaultdict(set)  # unpinned record -> pinned clusters it links to
    ordered = sorted((-(e[2] if len(e) > 2 else 0.0), *sorted(e[:2])) for e in edges)
    for _weight, a, b in ordered:
        if a not in root and b not in root:
            continue
        if a not in root or b not in root:
            free, fixed = (a, b) if a in root else (b, a)
            touches[free].add(pins[fixed])
            continue
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        if conflict is not None and any(conflict(x, y) for x in members[ra] for y in members[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        for m in members[gone]:
            root[m] = keep
        members[keep] += members.pop(gone)
    out = {i: pins[i] for i in ids if i in pins}
    for group in members.values():
        pinned = set().union(*(touches.get(m, set()) for m in group))
        cid = min(pinned) if pinned else cluster_id_for(group)
        for m in group:
            out[m] = cid
    return out


def conflicts(views: Mapping[str, EventView]) -> Callable[[str, str], bool]:
    """Two records that a veto keeps apart (another type, place or date; the same report)."""
    return lambda a, b: veto(views[a], views[b]) is not None


def links(events: Sequence[EventView], *, link: Callable[[EventView, EventView], bool] = linked,
          workers: int = 1, progress: Callable[[str], None] | None = None) -> list[tuple[str, str, float]]:
    """The linked pairs among `events` (lower id first) with their scores: each record judged against its
    neighbours (`neighbours.Blocks`), the rule a save follows, on `workers` processes (`parallel`);
    `progress` hears how the judging goes (`parallel.judged`)."""
    found = parallel.judged(Blocks(events), link, workers=workers, progress=progress)
    return [(x, y, w) for (x, y), w in sorted(found.items())]


def cluster(events: Sequence[EventView], pins: Mapping[str, str] | None = None, *,
            link: Callable[[EventView, EventView], bool] = linked,
            edges: Iterable[tuple[str, str, float]] | None = None) -> dict[str, str]:
    """Cluster records all at once (the rebuild); `edges`: their links, when already judged."""
    found = links(events, link=link) if edges is None else edges
    return assign([e.id for e in events], found, pins or {}, conflict=conflicts({e.id: e for e in events}))
