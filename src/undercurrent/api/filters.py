"""The filters of `undercurrent search` as query parameters, shared by the API, the pages and the map."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from undercurrent.store.search import EventFilter

# Past this an offset is no paging anyone does, and 2^63 overflowed the database driver (a 500).
MAX_OFFSET = 1_000_000_000

FILTER_NAMES = ("q", "type", "mode", "status", "province", "place", "institution", "since", "until", "outlet",
                "source_kind", "topic", "context", "language", "review", "count")


def event_filter(
    q: Annotated[str | None, Query(description="Full text over reports and quotes: every word counts; \"phrases\", OR, prefix*, -word.")] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. COERCE.")] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. arrest.")] = None,
    status: Annotated[str | None, Query(description="occurred, ordered, planned, negated or hypothetical.")] = None,
    province: Annotated[str | None, Query(description="Province id, e.g. KP-09.")] = None,
    place: Annotated[str | None, Query(description="Gazetteer place id, e.g. kp-09-chongjin.")] = None,
    institution: Annotated[str | None, Query(description="Actor institution id.")] = None,
    since: Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Up to the end of this date.")] = None,
    outlet: Annotated[str | None, Query(description="Outlet name contains this.")] = None,
    source_kind: Annotated[str | None, Query(description="The report has a source of this kind.")] = None,
    topic: Annotated[str | None, Query(description="Event topic, e.g. smuggling.")] = None,
    context: Annotated[str | None, Query(description="PLOVER context, e.g. repression.")] = None,
    language: Annotated[str | None, Query(description="Report language: en or ko.")] = None,
    review: Annotated[str | None, Query(description="pending, accepted, edited or rejected.")] = None,
    count: Annotated[str | None, Query(description="Counts of events (clusters of reports telling one event, "
                                                   "the default) or reports (every report's record).")] = None,
) -> EventFilter:
    values: dict[str, Any] = {k: (v or None) for k, v in locals().items()}
    text = values.pop("q")
    return EventFilter(text=text, **values)  # BadFilter becomes a 400 (api/app.py)


Filters = Annotated[EventFilter, Depends(event_filter)]


def filter_query(f: EventFilter) -> dict[str, str]:
    """The filter as query parameters again (for links that keep the user's filters)."""
    out = {("q" if k == "text" else k): v for k, v in f.as_dict().items() if k != "include_rejected"}
    return {k: str(v) for k, v in out.items()}
