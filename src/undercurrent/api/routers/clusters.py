"""Clusters: one real-world event told by several reports. Read them; reviewers merge and split them."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from undercurrent.api.deps import Reviewer, StoreDep, Viewer
from undercurrent.api.lookups import ViewedCluster, cluster_or_404, event_cluster_or_404
from undercurrent.store.cluster_queries import get_cluster, list_clusters
from undercurrent.store.cluster_review import merge_clusters, split_cluster

router = APIRouter(tags=["clusters"])


class MergeIn(BaseModel):
    cluster_ids: list[str] = Field(min_length=2, description="Clusters to make one; the first id survives.")


class SplitIn(BaseModel):
    event_ids: list[str] = Field(min_length=1, description="Event records to move into a new cluster.")


@router.get("/clusters", summary="Clusters, most corroborated first (independent outlets, then reports)")
def clusters(store: StoreDep, user: Viewer, min_reports: Annotated[int, Query(ge=1)] = 1,
             province: str | None = None, type: str | None = None,
             disputed: Annotated[bool, Query(description="Only clusters whose reports disagree.")] = False,
             limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0) -> dict:
    rows, total = list_clusters(store, min_reports=min_reports, province=province, type=type, disputed=disputed,
                                limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "clusters": rows}


@router.get("/clusters/{cluster_id}", summary="A cluster: counts, disagreements and every mention with its quote")
def cluster(cluster: ViewedCluster, user: Viewer) -> dict:
    return cluster


@router.get("/events/{event_id}/cluster", summary="The cluster of an event record")
def cluster_of_event(event_id: str, store: StoreDep, user: Viewer) -> dict:
    return cluster_or_404(store, event_cluster_or_404(store, event_id))


@router.post("/clusters/merge", summary="Merge clusters (reviewer; audited; never undone by re-clustering)")
def merge(body: MergeIn, store: StoreDep, user: Reviewer) -> dict:
    target = merge_clusters(store, body.cluster_ids, user=user.username)  # an unknown cluster: NotFound, a 404
    return get_cluster(store, target)


@router.post("/clusters/{cluster_id}/split", summary="Move records into a new cluster (reviewer; audited)")
def split(cluster_id: str, body: SplitIn, store: StoreDep, user: Reviewer) -> dict:
    new_id = split_cluster(store, cluster_id, body.event_ids, user=user.username)  # an unknown cluster: a 404
    return {"cluster": get_cluster(store, cluster_id), "new": get_cluster(store, new_id)}
