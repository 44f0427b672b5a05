"""The collection's library API: ingest inputs into the store, re-extract stored reports."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import sqlalchemy as sa

from undercurrent.ingest.items import Item
from undercurrent.models import Report
from undercurrent.store import schema
from undercurrent.store.db import Store
from undercurrent.store.records import report_exists, save, save_many


@dataclass
class IngestSummary:
    stored: int = 0
    unchanged: int = 0
    reextracted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def count(self, status: str) -> None:
        if status == "stored":
            self.stored += 1
        elif status == "re-extracted":
            self.reextracted += 1
        else:
            self.unchanged += 1


def ingest_items(items: Iterable[Item], store: Store, extractor, *, reextract: bool = False,
                 progress: Callable[[Item, str], None] | None = None, batch_size: int = 16) -> IngestSummary:
    """Extract and store each item in its own transaction; a failed item never stops the others."""
    summary = IngestSummary()
    batch: list[Item] = []

    def flush() -> None:
        if not batch:
            return
        for item, records in zip(batch, extractor.extract_many([i.report for i in batch])):
            result = save(store, records, original=item.original, media_type=item.media_type, replace=reextract)
            summary.count(result.status)
            if progress:
                progress(item, result.status)
        batch.clear()

    for item in items:
        if item.error is not None:
            summary.failed.append((item.name, str(item.error)))
            if progress:
                progress(item, "failed")
            continue
        if not reextract and report_exists(store, item.report.id):
            summary.unchanged += 1  # idempotent: the same report again changes nothing
            if progress:
                progress(item, "unchanged")
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    return summary


def stored_reports(store: Store) -> Iterable[Item]:
    """Every stored report, as items to re-extract (their original bytes kept as they are)."""
    r = schema.reports
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(r).order_by(r.c.id)).mappings().all()
    for row in rows:
        report = Report(id=row["id"], url=row["url"], outlet=row["outlet"], title=row["title"],
                        published=row["published"], language=row["language"], text=row["text"],
                        content_sha256=row["content_sha256"], ingested_at=row["ingested_at"],
                        ingest_source=row["ingest_source"])
        yield Item(row["ingest_source"] or row["id"], report=report, original=row["original"],
                   media_type=row["original_media_type"])


def load_batch_records(out_dir, store: Store, *, progress: Callable[[str, str], None] | None = None) -> IngestSummary:
    """Put the records of a `batch` run into the store: one loader, reports already stored left alone,
    LOAD_CHUNK reports per transaction (a crash never leaves half a report)."""
    from pathlib import Path

    from undercurrent.batch.runners import read_records
    from undercurrent.models import Records
    from undercurrent.store.records import now

    summary = IngestSummary()
    chunk: list[tuple[str, Records, bytes, str | None]] = []

    def flush() -> None:
        # One transaction per chunk, one multi-row insert per table: the cost of a commit and of
        # statement set-up is shared by LOAD_CHUNK reports (bench/load_speed.py --bulk).
        results = save_many(store, [(records, original, media) for _, records, original, media in chunk])
        for (name, *_), result in zip(chunk, results):
            summary.count(result.status)
            if progress:
                progress(name, result.status)
        chunk.clear()

    for name, data, original, media_type in read_records(Path(out_dir)):
        records = Records.model_validate(data)
        records.report.ingested_at = records.report.ingested_at or now()
        chunk.append((name, records, original, media_type))
        if len(chunk) >= LOAD_CHUNK:
            flush()
    if chunk:
        flush()
    return summary


LOAD_CHUNK = 200  # reports per transaction when loading a batch run (a batch partition's size)
