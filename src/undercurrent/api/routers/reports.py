"""Reports: the list, one report with every record resting on it, its original bytes."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from undercurrent.api.deps import StoreDep, Viewer
from undercurrent.api.filters import MAX_OFFSET
from undercurrent.api.lookups import ViewedReport
from undercurrent.api.serialize import json_response, page_out
from undercurrent.store import queries

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("")
def list_reports(store: StoreDep, user: Viewer, q: str | None = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
    rows, total = queries.list_reports(store, text=q, limit=limit, offset=offset)
    return json_response(page_out(rows, total, limit, offset, "reports"))


@router.get("/{report_id}")
def get_report(report: ViewedReport, user: Viewer) -> Response:
    return json_response(report)


@router.get("/{report_id}/original")
def get_original(report_id: str, store: StoreDep, user: Viewer) -> Response:
    original, media_type = queries.get_original(store, report_id)  # an unknown id: NotFound, a 404
    # The bytes came from elsewhere (an HTML page, say): a download, and sandboxed should a browser render it.
    return Response(original, media_type=media_type or "application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{report_id}.original"',
                             "Content-Security-Policy": "sandbox"})
