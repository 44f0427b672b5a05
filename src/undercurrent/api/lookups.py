"""One thing by its id, or a 404: the lookups the API routers and the web pages share.

They live beside the other injected dependencies (deps.py), not in a router, so that a page never
imports an API router: both faces of the workbench build on this module and neither on the other.
`ViewedReport` and `ViewedCluster` are the lookups as FastAPI dependencies (the viewer check runs
first, as it did when each handler looked the thing up itself)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from undercurrent.api.deps import StoreDep, Viewer
from undercurrent.api.serialize import record_out
from undercurrent.api.source_rule import report_for
from undercurrent.store import queries
from undercurrent.store.cluster_queries import cluster_id_of, get_cluster


def record_or_404(store, table: str, record_id: str) -> dict:
    """The record; an unknown id raises NotFound, which server.py answers with a 404."""
    return record_out(queries.get_record(store, table, record_id))


def report_or_404(store, report_id: str, user) -> dict:
    """The report with its records, its source attributions as `user` may see them (api/source_rule.py)."""
    report = queries.get_report(store, report_id)  # an unknown id: NotFound, a 404 (server.py)
    for name in ("events", "observations", "sources", "place_mentions", "institution_mentions"):
        report[name] = [record_out(r) for r in report[name]]
    return report_for(user, report)


def cluster_or_404(store, cluster_id: str) -> dict:
    """The cluster; an unknown id raises NotFound, which server.py answers with a 404."""
    return get_cluster(store, cluster_id)


def event_cluster_or_404(store, event_id: str) -> str:
    cluster_id = cluster_id_of(store, event_id)
    if cluster_id is None:
        raise HTTPException(status_code=404, detail=f"event {event_id} is in no cluster (unknown or rejected)")
    return cluster_id


def viewed_report(report_id: str, store: StoreDep, user: Viewer) -> dict:
    return report_or_404(store, report_id, user)


def viewed_cluster(cluster_id: str, store: StoreDep, user: Viewer) -> dict:
    return cluster_or_404(store, cluster_id)


ViewedReport = Annotated[dict, Depends(viewed_report)]
ViewedCluster = Annotated[dict, Depends(viewed_cluster)]
