"""Cluster pages: the reports of one real-world event side by side (with a JSON twin), a list of
corroborated events, and the reviewer forms that merge and split clusters (CSRF-checked by the
Reviewer dependency, answered with a redirect)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from undercurrent.api.deps import Reviewer, StoreDep, Viewer
from undercurrent.api.lookups import ViewedCluster, event_cluster_or_404
from undercurrent.store.cluster_queries import cluster_id_of, list_clusters, nearby_clusters
from undercurrent.store.cluster_review import merge_clusters, split_cluster
from undercurrent.web.pages import PER_PAGE, Page, _paging
from undercurrent.web.pages import both as _both
from undercurrent.web.render import twin

router = APIRouter(include_in_schema=False)


def both(path: str):
    return _both(path, on=router)


@both("/clusters")
def clusters_page(request: Request, store: StoreDep, user: Viewer, page: Page = 1, min_reports: int = 2,
                  province: str | None = None, type: str | None = None, disputed: bool = False):
    rows, total = list_clusters(store, min_reports=max(1, min_reports), province=province or None,
                                type=type or None, disputed=disputed, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    filters = {k: str(v) for k, v in {"min_reports": min_reports, "province": province, "type": type,
                                        "disputed": "true" if disputed else None}.items() if v}
    return twin(request, "clusters.html", {"filters": filters, "paging": _paging(total, page), "clusters": rows},
                user=user)


@both("/clusters/{cluster_id}")
def cluster_page(request: Request, cluster: ViewedCluster, store: StoreDep, user: Viewer):
    return twin(request, "cluster.html", {"cluster": cluster, "nearby": nearby_clusters(store, cluster)}, user=user)


@router.get("/events/{event_id}/cluster")
def event_cluster(event_id: str, store: StoreDep, user: Viewer) -> RedirectResponse:
    """The event page of a record: its cluster, every report of the event side by side."""
    return RedirectResponse(f"/clusters/{event_cluster_or_404(store, event_id)}", status_code=303)


@router.post("/clusters/{cluster_id}/merge")
def merge_form(request: Request, cluster_id: str, store: StoreDep, user: Reviewer,
               other: Annotated[str, Form(description="A cluster id, or an event id whose cluster to merge")]):
    other = other.strip()
    target = cluster_id_of(store, other) or other  # reviewers often have an event id at hand
    merged = merge_clusters(store, [cluster_id, target], user=user.username)  # an unknown cluster: NotFound, a 404
    return RedirectResponse(f"/clusters/{merged}", status_code=303)


@router.post("/clusters/{cluster_id}/split")
async def split_form(request: Request, cluster_id: str, store: StoreDep, user: Reviewer):
    form = await request.form()
    new_id = split_cluster(store, cluster_id, [str(v) for v in form.getlist("event_ids")], user=user.username)
    return RedirectResponse(f"/clusters/{new_id}", status_code=303)
