"""Events, observations and sources: lists, one record, and review (accept, edit, reject)."""
from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from undercurrent.api.deps import Admin, KbDep, Reviewer, StoreDep, Viewer
from undercurrent.api.filters import MAX_OFFSET, Filters
from undercurrent.api.lookups import record_or_404
from undercurrent.api.serialize import cached_json, json_response, page_out, record_out
from undercurrent.store import queries
from undercurrent.store import search as store_search
from undercurrent.store.records import audit, review
from undercurrent.store.search import SORT_KEYS, count_total, search_page
from undercurrent.vocabulary import ReviewDecision, ReviewState

router = APIRouter(tags=["records"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


class ReviewIn(BaseModel):
    status: ReviewDecision
    changes: dict[str, Any] = Field(default_factory=dict, description="Fields to change; see store.edits.EDITABLE.")


def apply_review(store, kb, table: str, record_id: str, body: ReviewIn, user) -> dict:
    """A BadEdit becomes a 400, an unknown record (NotFound) a 404 (both in server.py)."""
    return record_out(review(store, table, record_id, status=body.status, user=user.username,
                             changes=body.changes or None, kb=kb))


After = Annotated[str | None, Query(description="The `next` of the page before: the rows after it, read from the "
                                                "sort index (deep pages cost what the first does). Not with offset.")]


@router.get("/events", summary="Events matching the filters of `undercurrent search`")
@router.get("/search", summary="Full-text search with the filters of `undercurrent search` (q is the text)")
def list_events(store: StoreDep, user: Viewer, filters: Filters, limit: Limit = 50, offset: Offset = 0,
                sort: Annotated[str, Query(description=f"One of {', '.join(SORT_KEYS)}; - for descending.")] = "-date",
                after: After = None) -> Response:
    def build() -> dict:
        page = search_page(store, filters, limit=limit, offset=offset, after=after, sort=sort)
        total = count_total(store, filters)
        # `next` also on offset pages: a client may go on by cursor from any page.
        return {**page_out(page.rows, total.n, limit, offset, "events", exact=total.exact), "next": page.next}

    return cached_json(store, ("events", filters, limit, offset, after, sort, store_search.EXACT_LIMIT), build)


@router.get("/events/{event_id}")
def get_event(event_id: str, store: StoreDep, user: Viewer) -> dict:
    return record_or_404(store, "events", event_id)


@router.post("/events/{event_id}/review")
def review_event(event_id: str, body: ReviewIn, store: StoreDep, kb: KbDep, user: Reviewer) -> dict:
    return apply_review(store, kb, "events", event_id, body, user)


@router.get("/observations")
def list_observations(store: StoreDep, user: Viewer, kind: str | None = None, item: str | None = None,
                      province: str | None = None, place: str | None = None, currency: str | None = None,
                      review: ReviewState | None = None,
                      limit: Limit = 100, offset: Offset = 0) -> Response:
    rows, total = queries.list_observations(store, kind=kind, item=item, province=province, place=place,
                                            currency=currency, review=review, limit=limit, offset=offset)
    return json_response(page_out(rows, total, limit, offset, "observations"))


@router.get("/observations/{observation_id}")
def get_observation(observation_id: str, store: StoreDep, user: Viewer) -> dict:
    return record_or_404(store, "observations", observation_id)


@router.post("/observations/{observation_id}/review")
def review_observation(observation_id: str, body: ReviewIn, store: StoreDep, kb: KbDep, user: Reviewer) -> dict:
    return apply_review(store, kb, "observations", observation_id, body, user)


@router.get("/sources", summary="Source attributions across reports (admin: a bulk read of source descriptors)")
def list_sources(store: StoreDep, user: Admin, kind: str | None = None, limit: Limit = 100,
                 offset: Offset = 0) -> Response:
    rows, total = queries.list_sources(store, kind=kind, limit=limit, offset=offset)
    # A bulk read of descriptors: written to the audit log (api/source_rule.py).
    audit(store, actor=user.username, action="read:sources",
          detail=json.dumps({"kind": kind, "limit": limit, "offset": offset, "rows": len(rows)}))
    return json_response(page_out(rows, total, limit, offset, "sources"))


@router.get("/sources/{source_id}", summary="One source attribution (reviewers and admins see descriptors)")
def get_source(source_id: str, store: StoreDep, user: Reviewer) -> dict:
    return record_or_404(store, "sources", source_id)


@router.post("/sources/{source_id}/review")
def review_source(source_id: str, body: ReviewIn, store: StoreDep, kb: KbDep, user: Reviewer) -> dict:
    return apply_review(store, kb, "sources", source_id, body, user)
