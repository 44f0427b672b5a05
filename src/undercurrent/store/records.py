"""Storing reports and their records: one transaction per report, reviews never overwritten."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from undercurrent.kb import KnowledgeBase, load_kb
from undercurrent.models import Records
from undercurrent.store import schema
from undercurrent.store.clusters import clusters_of_report, update_event, update_report
from undercurrent.store.db import Store
from undercurrent.store.edits import BadEdit, validated_changes
from undercurrent.store.rows import record_rows

def extractor_version() -> str:
    """The installed package version, stored with each extraction so that re-runs can be traced."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("undercurrent")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class SaveResult:
    report_id: str
    status: str  # "stored", "unchanged", "re-extracted"
    events: int = 0


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def report_exists(store: Store, report_id: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(schema.reports.c.id).where(schema.reports.c.id == report_id)).first() is not None


def save(store: Store, records: Records, *, original: bytes, media_type: str | None,
         kb: KnowledgeBase | None = None, replace: bool = False) -> SaveResult:
    """Store a report, its original bytes and its records, all or nothing.

    A report already stored is left alone ("unchanged") unless `replace`, which re-extracts:
    machine records still pending review are replaced; reviewed, edited or rejected ones stay."""
    kb = kb or load_kb()
    report = records.report
    rows = record_rows(records, kb)
    with store.engine.begin() as conn:
        exists = conn.execute(sa.select(schema.reports.c.id).where(schema.reports.c.id == report.id)).first()
        if exists and not replace:
            return SaveResult(report.id, "unchanged")
        if not exists:
            conn.execute(schema.reports.insert().values(
                id=report.id, url=report.url, outlet=report.outlet, title=report.title,
                published=report.published, language=report.language, text=report.text,
                content_sha256=report.content_sha256, original=original,
                original_sha256=hashlib.sha256(original).hexdigest(), original_media_type=media_type,
                ingested_at=report.ingested_at or now(), ingest_source=report.ingest_source,
                extracted_at=now(), extractor_version=extractor_version(),
            ))
        else:
            conn.execute(schema.reports.update().where(schema.reports.c.id == report.id)
                         .values(extracted_at=now(), extractor_version=extractor_version()))
        previous = clusters_of_report(conn, report.id) if exists else set()
        inserted = _replace_machine_records(conn, report.id, rows)
        # Corroboration in the same transaction: reprints and clusters never lag behind the records.
        update_report(conn, report.id, text=report.text, previous=previous)
    return SaveResult(report.id, "re-extracted" if exists else "stored", inserted)


def _replace_machine_records(conn: sa.Connection, report_id: str, rows: dict[str, list[dict]]) -> int:
    for name, table in schema.RECORD_TABLES.items():
        conn.execute(table.delete().where(table.c.report_id == report_id, table.c.review_status == schema.PENDING))
        kept = {r[0] for r in conn.execute(sa.select(table.c.id).where(table.c.report_id == report_id))}
        fresh = [row for row in rows[name] if row["id"] not in kept]
        if fresh:
            conn.execute(table.insert(), fresh)
    for name in ("place_mentions", "institution_mentions"):
        table = schema.metadata.tables[name]
        conn.execute(table.delete().where(table.c.report_id == report_id))
        if rows[name]:
            conn.execute(table.insert(), rows[name])
    return len(rows["events"])


def review(store: Store, table_name: str, record_id: str, *, status: str, user: str,
           changes: dict[str, Any] | None = None, kb: KnowledgeBase | None = None) -> dict:
    """Accept, edit or reject a record; the change and its before/after go to the audit log.

    `changes` are checked by store.edits (valid types, modes, statuses, places, institutions) before
    anything is written; a record with changes is `edited` whatever status was asked."""
    if status not in {schema.ACCEPTED, schema.EDITED, schema.REJECTED}:
        raise BadEdit(f"unknown review status {status!r}: use accepted, edited or rejected")
    if table_name not in schema.RECORD_TABLES:
        raise BadEdit(f"unknown record table {table_name!r}")
    table = schema.RECORD_TABLES[table_name]
    with store.engine.begin() as conn:
        before = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
        if before is None:
            raise KeyError(record_id)
        checked = validated_changes(table_name, dict(before), changes, kb or load_kb()) if changes else {}
        if checked:
            status = schema.EDITED if status != schema.REJECTED else status
        values = {**checked, "review_status": status, "reviewed_by": user, "reviewed_at": now()}
        conn.execute(table.update().where(table.c.id == record_id).values(**values))
        after = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
        if table_name == "events":
            update_event(conn, record_id)  # an edited place or type, or a rejection, can move the record
        conn.execute(schema.audit_log.insert().values(
            at=now(), actor=user, action=f"review:{status}", table_name=table_name, record_id=record_id,
            before=_jsonable(before), after=_jsonable(after),
        ))
    return dict(after)


def audit(store: Store, *, actor: str, action: str, detail: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.audit_log.insert().values(at=now(), actor=actor, action=action, detail=detail))


def _jsonable(row) -> dict:
    return {k: v for k, v in dict(row).items() if not isinstance(v, (bytes, bytearray))}
