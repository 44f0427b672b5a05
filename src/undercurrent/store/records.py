"""Storing reports and their records: one transaction per report, reviews never overwritten."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from undercurrent.errors import BadEdit, ChangedText, NotFound
from undercurrent.kb import KnowledgeBase, load_kb
from undercurrent.models import Records
from undercurrent.store import schema
from undercurrent.store.arrival import keyed, next_arrivals, of_report
from undercurrent.store.clusters import clusters_of_report, update_event, update_report, window_of
from undercurrent.store.db import Store
from undercurrent.store.edits import validated_changes
from undercurrent.store.rows import record_rows


@lru_cache(maxsize=1)
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
    return datetime.now(UTC).isoformat(timespec="seconds")


def report_exists(store: Store, report_id: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(schema.reports.c.id).where(schema.reports.c.id == report_id)).first() is not None


def save(store: Store, records: Records, *, original: bytes, media_type: str | None,
         kb: KnowledgeBase | None = None, replace: bool = False) -> SaveResult:
    """Store a report, its original bytes and its records, all or nothing.

    A report already stored is left alone ("unchanged") unless `replace`, which re-extracts:
    machine records still pending review are replaced; reviewed, edited or rejected ones stay."""
    kb = kb or load_kb()
    rows = record_rows(records, kb)
    try:
        return _save(store, records, rows, original=original, media_type=media_type, replace=replace)
    except sa.exc.IntegrityError:
        # Another process stored the same report between our check and our insert (overlapping
        # ingests): the report is there, so this is "unchanged" (or, re-extracting, done over it).
        if not report_exists(store, records.report.id):
            raise
        if not replace:
            return SaveResult(records.report.id, "unchanged")
        return _save(store, records, rows, original=original, media_type=media_type, replace=True)


def _save(store: Store, records: Records, rows: dict[str, list[dict]], *, original: bytes,
          media_type: str | None, replace: bool) -> SaveResult:
    report = records.report
    with store.writing() as conn:
        exists = conn.execute(sa.select(schema.reports.c.content_sha256, schema.reports.c.arrival)
                              .where(schema.reports.c.id == report.id)).first()
        if exists and not replace:
            return SaveResult(report.id, "unchanged")
        if exists and exists[0] != report.content_sha256:
            # Records must match the stored text: a changed text under the same outlet and URL is
            # refused, never extracted over the old text and bytes (docs/decisions.md).
            raise ChangedText(
                f"report {report.id} is stored with another text (sha256 {exists[0][:12]}…, now "
                f"{report.content_sha256[:12]}…); it was not re-extracted: the stored text and its records stay",
                path=report.ingest_source or report.id)
        if not exists:
            arrival = next_arrivals(conn, 1)[0]
            row = _report_row(records, original, media_type, arrival)
            conn.execute(schema.reports.insert().values(**row))
            at: int | None = window_of(row)  # from the row just written, not read back
        else:
            arrival = exists.arrival  # None for a report stored before the numbering: hashed keys, as before
            at = None
            conn.execute(schema.reports.update().where(schema.reports.c.id == report.id)
                         .values(extracted_at=now(), extractor_version=extractor_version()))
        previous = clusters_of_report(conn, report.id, arrival) if exists else set()
        inserted = _replace_machine_records(conn, report.id, arrival, keyed(rows, arrival), new=not exists)
        # Corroboration in the same transaction: reprints and clusters never lag behind the records.
        update_report(conn, report.id, text=report.text, previous=previous, new=not exists, at=at, arrival=arrival)
    return SaveResult(report.id, "re-extracted" if exists else "stored", inserted)


def save_many(store: Store, items: list[tuple[Records, bytes, str | None]], *,
              kb: KnowledgeBase | None = None, corroborate: bool = True) -> list[SaveResult]:
    """The bulk path of a first load: new reports and their records in one transaction, each table
    written with one multi-row insert; reports already stored are left alone ("unchanged"), as `save`
    does. All or nothing: a failure stores none of `items`. `corroborate` False leaves reprints and
    clusters to one `clusters.rebuild` after the load (the caller's promise: `load_batch_records` keeps it)."""
    kb = kb or load_kb()
    ids = [records.report.id for records, _, _ in items]
    with store.writing() as conn:
        stored = {row[0] for row in conn.execute(sa.select(schema.reports.c.id).where(schema.reports.c.id.in_(ids)))}
        tables: dict[str, list[dict[str, Any]]]
        reports, tables, results = [], {name: [] for name in _ROW_TABLES}, []
        arrivals = iter(next_arrivals(conn, len(set(ids) - stored)))  # numbered in the order of `items`
        for records, original, media_type in items:
            report = records.report
            if report.id in stored:
                results.append(SaveResult(report.id, "unchanged"))
                continue
            stored.add(report.id)  # the same report twice in one call: stored once
            arrival = next(arrivals)
            reports.append(_report_row(records, original, media_type, arrival))
            rows = keyed(record_rows(records, kb), arrival)
            for name in _ROW_TABLES:
                tables[name].extend(rows[name])
            results.append(SaveResult(report.id, "stored", len(rows["events"])))
        if reports:
            conn.execute(schema.reports.insert(), reports)
        for name, table_rows in tables.items():
            if table_rows:
                conn.execute(schema.metadata.tables[name].insert(), table_rows)
        for row in reports if corroborate else []:  # corroboration, in the same transaction as the records
            update_report(conn, row["id"], text=row["text"], previous=set(), new=True, at=window_of(row),
                          arrival=row["arrival"])
    return results


_ROW_TABLES = ("events", "observations", "sources", "place_mentions", "institution_mentions")


def _report_row(records: Records, original: bytes, media_type: str | None, arrival: int | None = None) -> dict:
    """The reports row; `arrival` None leaves the column out (a report stored before the numbering)."""
    report = records.report
    row: dict[str, Any] = dict(id=report.id, url=report.url, outlet=report.outlet, title=report.title,
                              published=report.published, language=report.language, text=report.text,
                              content_sha256=report.content_sha256, original=original,
                              original_sha256=hashlib.sha256(original).hexdigest(), original_media_type=media_type,
                              ingested_at=report.ingested_at or now(), ingest_source=report.ingest_source,
                              extracted_at=now(), extractor_version=extractor_version())
    if arrival is not None:
        row["arrival"] = arrival
    return row


def _replace_machine_records(conn: sa.Connection, report_id: str, arrival: int | None, rows: dict[str, list[dict]],
                             *, new: bool = False) -> int:
    """Insert a report's records; for a stored report (`new` false) first drop its pending ones and keep
    the reviewed. A new report has nothing to drop: its save runs no DELETE and no SELECT."""
    for name, table in schema.RECORD_TABLES.items():
        kept: set[str] = set()
        if not new:
            mine = of_report(table, report_id, arrival)
            conn.execute(table.delete().where(mine, table.c.review_status == schema.PENDING))
            kept = {r[0] for r in conn.execute(sa.select(table.c.id).where(mine))}
        fresh = [row for row in rows[name] if row["id"] not in kept]
        if fresh:
            conn.execute(table.insert(), fresh)
    for table in schema.MENTION_TABLES.values():
        name = table.name
        if not new:
            conn.execute(table.delete().where(of_report(table, report_id, arrival)))
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
        before = conn.execute(sa.select(*schema.shown_columns(table)).where(table.c.id == record_id)).mappings().first()
        if before is None:
            raise NotFound(f"no {table_name[:-1]} {record_id}")
        checked = validated_changes(table_name, dict(before), changes, kb or load_kb()) if changes else {}
        if checked:
            status = schema.EDITED if status != schema.REJECTED else status
        values = {**checked, "review_status": status, "reviewed_by": user, "reviewed_at": now()}
        conn.execute(table.update().where(table.c.id == record_id).values(**values))
        after = conn.execute(sa.select(*schema.shown_columns(table)).where(table.c.id == record_id)).mappings().one()
        if table_name == "events":
            update_event(conn, record_id)  # an edited place or type, or a rejection, can move the record
        conn.execute(schema.audit_log.insert().values(
            at=now(), actor=user, action=f"review:{status}", table_name=table_name, record_id=record_id,
            before=_jsonable(before), after=_jsonable(after),
        ))
    return dict(after)


def audit(store: Store, *, actor: str, action: str, detail: str) -> None:
    with store.engine.begin() as conn:
        write_audit(conn, actor=actor, action=action, detail=detail)


def write_audit(conn: sa.Connection, *, actor: str, action: str, detail: str) -> None:
    """An audit row in the caller's transaction: the change and its audit row commit together or not at all."""
    conn.execute(schema.audit_log.insert().values(at=now(), actor=actor, action=action, detail=detail))


def _jsonable(row) -> dict:
    return {k: v for k, v in dict(row).items() if not isinstance(v, (bytes, bytearray))}
