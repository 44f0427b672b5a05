"""What a cluster says: how many reports and independent outlets, when, and where they disagree."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from undercurrent.corroborate.compat import EventView

T = TypeVar("T")

# Fields whose different values across reports are worth an analyst's eye.
DISAGREEMENT_FIELDS = ("arrested", "dead", "injured", "date", "place", "mode", "status")


@dataclass(frozen=True)
class ClusterSummary:
    id: str
    n_events: int
    n_reports: int
    n_outlets: int  # independent outlets: reports that are reprints do not count
    n_reprints: int
    first_reported: str | None
    last_reported: str | None
    type: str
    mode: str | None
    admin1: str | None
    place_id: str | None
    date_start: str | None
    disagreements: list[dict] = field(default_factory=list)

    def as_row(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _value(e: EventView, name: str) -> object:
    if name == "date":
        return e.date_start if e.granularity == "day" else None
    if name == "place":
        return e.place_id if (e.precision or 0) >= 3 else None
    return getattr(e, name)


def disagreements(members: Sequence[EventView]) -> list[dict]:
    """Fields on which independent reports (reprints left out) state different values, with who said what.
    A report that says nothing on a field does not disagree; a month and a day in it do not either."""
    independent = [e for e in members if e.reprint_of is None]
    if len(independent) < 2:  # most clusters are one record: nothing to disagree with
        return []
    out: list[dict] = []
    for name in DISAGREEMENT_FIELDS:
        said: dict[object, dict] = {}
        for e in independent:
            value = _value(e, name)
            if value is None:
                continue
            entry = said.setdefault(value, {"value": value, "reports": [], "outlets": []})
            if e.report_id not in entry["reports"]:
                entry["reports"].append(e.report_id)
            if e.outlet and e.outlet not in entry["outlets"]:
                entry["outlets"].append(e.outlet)
        if len(said) > 1:
            out.append({"field": name, "values": sorted(said.values(), key=lambda v: str(v["value"]))})
    return out


def _most_common(values: list[T]) -> T | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return max(sorted(set(known), key=str), key=known.count)


def summarise(cluster_id: str, members: Sequence[EventView]) -> ClusterSummary:
    reports = {e.report_id: e for e in members}
    independent = [e for e in reports.values() if e.reprint_of is None]
    outlets = {(e.outlet or f"report:{e.report_id}").casefold() for e in independent}
    published = sorted(e.published for e in reports.values() if e.published)
    precise = sorted(members, key=lambda e: (-(e.precision or 0), e.id))
    dated = sorted((e for e in members if e.date_start), key=lambda e: ({"day": 0, "month": 1}.get(e.granularity, 2), e.id))
    return ClusterSummary(
        id=cluster_id,
        n_events=len(members),
        n_reports=len(reports),
        n_outlets=len(outlets),
        n_reprints=len(reports) - len(independent),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        type=members[0].type,
        mode=_most_common([e.mode for e in members]),
        admin1=_most_common([e.admin1 for e in members]),
        place_id=precise[0].place_id if precise else None,
        date_start=dated[0].date_start if dated else None,
        disagreements=disagreements(members),
    )
