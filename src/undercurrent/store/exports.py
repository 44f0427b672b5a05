"""The SQL behind exports beyond the event rows of store/search.py: each report's source attributions."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.arrival import arrivals_of, of_reports
from undercurrent.store.db import Store


def source_details(store: Store, report_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """report id -> its sources not rejected (report_id, descriptor, kind, place_id, start, end), in text order."""
    s = schema.sources
    ids = set(report_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    if not ids:
        return out
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(s.c.report_id, s.c.descriptor, s.c.kind, s.c.place_id, s.c.start, s.c.end)
                            .where(of_reports(s, arrivals_of(conn, ids)), s.c.review_status != schema.REJECTED)
                            .order_by(s.c.report_id, s.c.start)).mappings()
        for row in rows:
            out.setdefault(row["report_id"], []).append(dict(row))
    return out
