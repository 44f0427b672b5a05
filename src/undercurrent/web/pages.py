"""Pages: events, reports, map, timeline, review, audit, users. Each answers HTML at its path and the same
data as JSON at the path plus `.json` (the datasette way), so nothing seen in the browser is out of reach
of a script."""
from __future__ import annotations

import math
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from undercurrent.api.deps import Admin, Reviewer, StoreDep, Viewer
from undercurrent.api.filters import MAX_OFFSET, Filters, filter_query
from undercurrent.api.lookups import ViewedReport, record_or_404
from undercurrent.api.serialize import record_out
from undercurrent.auth import sessions, twofactor
from undercurrent.auth.users import ROLES, list_tokens, list_users
from undercurrent.store import queries
from undercurrent.store.search import EventFilter, count_events, count_total, search_events, search_page, stats
from undercurrent.web import charts
from undercurrent.web.choices import choices, place_name
from undercurrent.web.highlight import record_spans, segments
from undercurrent.web.render import render, twin

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
TIMELINE_OBSERVATIONS = 20_000  # the series draw at most this many (the earliest first); the page says so
Page = Annotated[int, Query(ge=1, le=MAX_OFFSET // PER_PAGE)]


def both(path: str, *, on: APIRouter = router):
    """Register a page at `path` and its JSON twin at `path`.json (the twin first, so it wins)."""
    def register(handler):
        on.add_api_route(path + ".json", handler, methods=["GET"])
        on.add_api_route(path, handler, methods=["GET"])
        return handler
    return register


def _paging(total: int, page: int, *, exact: bool = True) -> dict:
    """`exact` False: the total is an estimate (store/search.py count_total), shown as "about N"."""
    pages = max(1, math.ceil(total / PER_PAGE))
    return {"page": page, "pages": pages, "per_page": PER_PAGE, "total": total, "total_exact": exact}


@router.get("/")
def home(user: Viewer) -> RedirectResponse:
    return RedirectResponse("/events", status_code=303)


@both("/events")
def events_page(request: Request, store: StoreDep, user: Viewer, filters: Filters, page: Page = 1,
                sort: str = "-date", after: str | None = None):
    # `after` (the next link's cursor) reads the page from the sort index where the offset of `page` would
    # read every earlier row; `page` then only numbers it. Links to other pages keep working by offset.
    found = search_page(store, filters, limit=PER_PAGE, offset=0 if after else (page - 1) * PER_PAGE,
                        after=after, sort=sort)
    query = filter_query(filters)
    total = count_total(store, filters)
    data = {"filters": query, "sort": sort,
            "paging": {**_paging(total.n, page, exact=total.exact), "next": found.next},
            "events": [record_out(r) for r in found.rows]}
    return twin(request, "events.html", data, user=user, extra=lambda: {
        "link": lambda **kw: "?" + urlencode({**query, "sort": sort, **kw})})


@both("/reports")
def reports_page(request: Request, store: StoreDep, user: Viewer, q: str | None = None, page: Page = 1):
    rows, total = queries.list_reports(store, text=q, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return twin(request, "reports.html", {"q": q, "paging": _paging(total, page), "reports": rows}, user=user)


@both("/reports/{report_id}")
def report_page(request: Request, report: ViewedReport, user: Viewer):
    return twin(request, "report.html", {"report": report}, user=user,
                extra=lambda: {"segments": segments(report["text"], record_spans(report))})


@both("/map")
def map_page(request: Request, store: StoreDep, user: Viewer, filters: Filters):
    by_province = dict(stats(store, filters, by=("province",))["province"])
    provinces = [{**p, "events": by_province.get(p["id"], 0)} for p in choices()["provinces"]]
    points = [{**p, "name": place_name(p["place_id"])} for p in queries.events_by_place(store, filters)]
    query = filter_query(filters)
    # Every event falls in one province group (None included), so the groups add up to the total.
    data = {"filters": query, "provinces": provinces, "points": points,
            "events": sum(by_province.values()), "unplaced": by_province.get(None, 0)}
    return twin(request, "map.html", data, user=user)


@both("/timeline")
def timeline_page(request: Request, store: StoreDep, user: Viewer, filters: Filters,
                  kind: str | None = None, item: str | None = None):
    months = queries.events_by_month_and_type(store, filters)
    observations, total = queries.list_observations(store, kind=kind, item=item, province=filters.province,
                                                    place=filters.place, limit=TIMELINE_OBSERVATIONS)
    names = {o["place_id"]: place_name(o["place_id"]) for o in observations if o.get("place_id")}
    query = filter_query(filters)
    data = {"filters": query, "months": months, "bars": charts.stacked_bars(months),
            "series": charts.observation_series(observations, place_names=names),
            "observations": {"drawn": len(observations), "total": total}}
    return twin(request, "timeline.html", data, user=user)


@both("/review")
def review_page(request: Request, store: StoreDep, user: Reviewer, filters: Filters, page: Page = 1,
                records: Literal["events", "observations"] = "events"):
    if records == "observations":
        return _observation_review(request, store, user, filters, page)
    pending = EventFilter(**{**filters.__dict__, "review": filters.review or "pending"})
    rows = search_events(store, pending, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, sort="date")
    query = filter_query(pending)
    data = {"filters": query, "paging": _paging(count_events(store, pending), page),
            "events": [record_out(r) for r in rows]}
    return twin(request, "review.html", data, user=user)


def _observation_review(request: Request, store, user, filters: EventFilter, page: int):
    review = filters.review or "pending"
    rows, total = queries.list_observations(store, province=filters.province, place=filters.place, review=review,
                                            limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    query = {"records": "observations", "review": review, **({"province": filters.province} if filters.province else {})}
    data = {"records": "observations", "filters": query, "paging": _paging(total, page),
            "observations": [record_out(r) for r in rows]}
    return twin(request, "review_observations.html", data, user=user)


EDIT_TEMPLATES = {"events": "edit.html", "observations": "edit_observation.html", "sources": "edit_source.html"}


@both("/{table}/{record_id}/edit")
def edit_page(request: Request, table: str, record_id: str, store: StoreDep, user: Reviewer):
    if table not in EDIT_TEMPLATES:
        raise HTTPException(status_code=404)
    record = record_or_404(store, table, record_id)
    history, _ = queries.audit_entries(store, record_id=record_id) if user.can("admin") else ([], 0)
    data = {"table": table, "record": record, "choices": choices(), "history": history}
    return twin(request, EDIT_TEMPLATES[table], data, user=user)


@both("/audit")
def audit_page(request: Request, store: StoreDep, user: Admin, record_id: str | None = None,
               actor: str | None = None, page: Page = 1):
    rows, total = queries.audit_entries(store, record_id=record_id, actor=actor, limit=PER_PAGE,
                                        offset=(page - 1) * PER_PAGE)
    for row in rows:
        before, after = row.get("before") or {}, row.get("after") or {}
        row["changed"] = [{"field": k, "before": before.get(k), "after": after.get(k)}
                          for k in sorted(set(before) | set(after))
                          if before.get(k) != after.get(k) and k not in ("reviewed_at",)]
    data = {"record_id": record_id, "actor": actor, "paging": _paging(total, page), "entries": rows}
    return twin(request, "audit.html", data, user=user)


@both("/users")
def users_page(request: Request, store: StoreDep, user: Admin):
    return twin(request, "users.html", {"users": [u.as_dict() for u in list_users(store)], "roles": list(ROLES)},
                user=user)


@both("/account")
def account_page(request: Request, store: StoreDep, user: Viewer):
    data = {"account": user.as_dict(), "tokens": list_tokens(store, user.username),
            "sessions": sessions.list_sessions(store, user.id, current=request.state.session_key
                                               if getattr(request.state, "auth", None) == "session" else None),
            "recovery_codes_left": twofactor.recovery_codes_left(store, user.id) if user.two_factor else None}
    # A token made by the form just before is shown here once (post/redirect/get), never in the JSON twin.
    token = request.session.pop("new_token", None) if not request.url.path.endswith(".json") else None
    return twin(request, "account.html", data, user=user, extra=lambda: {"token": token})


@router.get("/login")
def login_page(request: Request, next: str = "/events", failed: bool = False):
    return render(request, "login.html", {"next": next, "failed": failed})
