"""Counts for charts, and exports in the formats of `undercurrent export`."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query
from fastapi.responses import FileResponse

from undercurrent.api.deps import Forbidden, StoreDep, Viewer
from undercurrent.api.filters import Filters
from undercurrent.export import export_events
from undercurrent.store import queries
from undercurrent.store.search import stats as event_stats
from undercurrent.vocabulary import ExportFormat, ExportProfile

router = APIRouter(tags=["stats and exports"])

MEDIA_TYPES = {"csv": ("text/csv", "csv"), "plover": ("application/x-ndjson", "jsonl"),
               "geojson": ("application/geo+json", "geojson"), "parquet": ("application/vnd.apache.parquet", "parquet")}


@router.get("/stats", summary="Event counts by type, province and month (the filters of `undercurrent stats`)")
def get_stats(store: StoreDep, user: Viewer, filters: Filters) -> dict:
    figures = event_stats(store, filters)
    out: dict[str, Any] = {k: [{"key": key, "events": n} for key, n in v] for k, v in figures.items() if k != "reports"}
    out["reports"] = figures["reports"][0][1]
    out["month_type"] = queries.events_by_month_and_type(store, filters)
    out["places"] = queries.events_by_place(store, filters)
    return out


@router.get("/exports/{fmt}", summary="Download the matching events; profile full (source descriptors) needs "
                                       "admin and is audited")
def export(fmt: ExportFormat, store: StoreDep, user: Viewer, filters: Filters,
           background: BackgroundTasks, profile: ExportProfile | None = None,
           include_sources: Annotated[bool, Query(description="The same as profile=full.")] = False) -> FileResponse:
    if include_sources and profile not in (None, "full"):
        raise HTTPException(status_code=400, detail=f"include_sources means profile=full, not profile={profile}")
    profile = profile or ("full" if include_sources else "internal")
    if profile == "full" and not user.can("admin"):
        raise Forbidden(f"exports with source descriptors need the admin role; {user.username} is {user.role}")
    media_type, suffix = MEDIA_TYPES[fmt]
    folder = Path(tempfile.mkdtemp(prefix="undercurrent-export-"))
    path = folder / f"undercurrent-events.{suffix}"
    export_events(store, fmt, path, filters=filters, profile=profile, actor=user.username)
    background.add_task(shutil.rmtree, folder, ignore_errors=True)  # after the file is sent
    return FileResponse(path, media_type=media_type, filename=path.name)
