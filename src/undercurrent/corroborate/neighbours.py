"""Which records one record is judged against: its nearest by date, of its type, in its province and in none.

A save reads them from the neighbour indexes (store/cluster_links.py `candidates`); the
rebuild takes them from memory here, by the same rule, so both judge a bounded number of pairs per
record whatever the size and density of the store: on each side of the record's date the
NEIGHBOUR_SCAN nearest records of its type in its province (and in none; in any, for a record with no
province) are read, and of those that no veto of report, status, mode or place excludes, the
NEIGHBOUR_LIMIT nearest are judged with `compat.linked`. A block denser than that (dozens of records of
one type and place within a week) keeps only the links between records nearest in date."""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from undercurrent.corroborate.compat import OTHER_SCALE, EventView, compatible_modes, is_broad, statuses_of_kind, window

NEIGHBOUR_SCAN = 30
NEIGHBOUR_LIMIT = 5


def sort_key(e: EventView) -> str | None:
    """The date a record is ordered by (the store's `sort_date`: its date, else its report's)."""
    return e.sort_date or e.date_start or e.published


def middle(e: EventView) -> str | None:
    """Where the two directions of a record's search part: the first day its event may have happened."""
    own = window(e)
    return None if own is None else own[0].isoformat()


class Prefilter:
    """The vetoes the store's neighbour statement applies before its limit (status, mode, place, report),
    as a predicate on one candidate."""

    def __init__(self, record: EventView) -> None:
        self.record = record
        statuses = statuses_of_kind(record.status)
        self.statuses = None if statuses is None else frozenset(statuses)
        self.modes = compatible_modes(record.type, record.mode)
        self.precise = bool(record.admin1) and not is_broad(record)
        self.scale = OTHER_SCALE.get(record.precision or 0, -1)

    def admits(self, other: EventView, *, same_province: bool) -> bool:
        record = self.record
        if other.report_id == record.report_id:
            return False
        if self.statuses is not None and other.status not in self.statuses:
            return False
        if self.modes is not None and other.mode and other.mode not in self.modes:
            return False
        if same_province and self.precise:
            return other.place_id == record.place_id or is_broad(other) or other.precision == self.scale
        return True


class Blocks:
    """Records of one type (and province) in date order, to find any record's neighbours."""

    def __init__(self, events: Sequence[EventView]) -> None:
        grouped: dict[tuple[str, str | None], list[tuple[str, str, EventView]]] = defaultdict(list)
        by_type: dict[str, list[tuple[str, str, EventView]]] = defaultdict(list)
        for e in events:
            key = sort_key(e)
            if key is not None:
                grouped[(e.type, e.admin1)].append((key, e.id, e))
                by_type[e.type].append((key, e.id, e))
        self._blocks = {k: _ordered(v) for k, v in grouped.items()}
        self._types = {k: _ordered(v) for k, v in by_type.items()}

    def in_order(self) -> list[EventView]:
        """The records with a date, block after block (province, then none), each block in date order:
        cut into runs, most of a record's neighbours are in its own run."""
        return [e for key in sorted(self._blocks, key=lambda k: (k[0], k[1] or "")) for e in self._blocks[key][1]]

    def neighbours(self, record: EventView) -> list[EventView]:
        """The candidates of `record` (see the module's rule); the caller judges them."""
        start = middle(record)
        if start is None:
            return []
        check = Prefilter(record)
        parts = ([(self._blocks.get((record.type, record.admin1)), True), (self._blocks.get((record.type, None)), False)]
                 if record.admin1 else [(self._types.get(record.type), False)])
        found: list[EventView] = []
        for block, same_province in parts:
            if block is None:
                continue
            keys, ordered = block
            at = bisect.bisect_left(keys, start)
            for scan in (ordered[at:at + NEIGHBOUR_SCAN], ordered[max(0, at - NEIGHBOUR_SCAN):at][::-1]):
                kept = 0
                for e in scan:
                    if check.admits(e, same_province=same_province):
                        found.append(e)
                        kept += 1
                        if kept == NEIGHBOUR_LIMIT:
                            break
        return found


def _ordered(items: list[tuple[str, str, EventView]]) -> tuple[list[str], list[EventView]]:
    items.sort(key=lambda t: (t[0], t[1]))
    return [t[0] for t in items], [t[2] for t in items]

