"""Stored reports read back whole: the report as extracted from, its original bytes and media type."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from undercurrent.models import Report
from undercurrent.store import schema
from undercurrent.store.db import Store


@dataclass(frozen=True)
class StoredReport:
    report: Report
    original: bytes
    media_type: str | None


def all_reports(store: Store) -> list[StoredReport]:
    """Every stored report, by id (re-extraction walks them all)."""
    r = schema.reports
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(r).order_by(r.c.id)).mappings().all()
    return [StoredReport(
        Report(id=row["id"], url=row["url"], outlet=row["outlet"], title=row["title"], published=row["published"],
               language=row["language"], text=row["text"], content_sha256=row["content_sha256"],
               ingested_at=row["ingested_at"], ingest_source=row["ingest_source"]),
        row["original"], row["original_media_type"]) for row in rows]


def store_is_empty(store: Store) -> bool:
    """No report stored yet (a first load may then corroborate once at its end)."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(schema.reports.c.id).limit(1)).first() is None
