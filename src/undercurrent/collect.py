"""The collection's library API: ingest inputs into the store, re-extract stored reports."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from undercurrent.errors import ExtractionFailed, UndercurrentError
from undercurrent.ingest.reader import Item
from undercurrent.store.db import Store
from undercurrent.store.records import report_exists, save, save_many
from undercurrent.store.reports import all_reports, store_is_empty


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

    def fail(item: Item) -> None:
        summary.failed.append((item.name, str(item.error)))
        if progress:
            progress(item, "failed")

    def flush() -> None:
        if not batch:
            return
        for item, records in zip(batch, extractor.extract_each([i.report for i in batch]), strict=True):
            if isinstance(records, UndercurrentError):
                fail(replace(item, error=records))
                continue
            try:
                result = save(store, records, original=item.original, media_type=item.media_type, replace=reextract)
            except UndercurrentError as exc:
                fail(replace(item, error=exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a value the database refuses (NUL on PostgreSQL): this item only
                fail(replace(item, error=ExtractionFailed.of(getattr(exc, "orig", None) or exc, item.name,
                                                             doing="could not be stored")))
                continue
            summary.count(result.status)
            if progress:
                progress(item, result.status)
        batch.clear()

    for item in items:
        if item.error is not None:
            fail(item)
            continue
        assert item.report is not None  # an item has a report or an error
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


def stored_reports(store: Store) -> Iterator[Item]:
    """Every stored report, as items to re-extract (their original bytes kept as they are)."""
    for stored in all_reports(store):
        yield Item(stored.report.ingest_source or stored.report.id, report=stored.report, original=stored.original,
                   media_type=stored.media_type)


def load_batch_records(out_dir, store: Store, *, progress: Callable[[str, str], None] | None = None,
                       defer_corroboration: bool | None = None,
                       corroboration_progress: Callable[[str], None] | None = None) -> IngestSummary:
    """Put the records of a `batch` run into the store: one loader, reports already stored left alone,
    LOAD_CHUNK reports per transaction (a crash never leaves half a report).

    Into an empty store (or with `defer_corroboration`), reprints and clusters are computed once after the
    load (`clusters.rebuild`, the same result) instead of at every save: the first-load path. Should the
    load stop before that, the records are stored and `cluster --rebuild` completes it;
    `corroboration_progress` hears how that goes (`clusters.rebuild`)."""
    from pathlib import Path

    from undercurrent.batch.runners import read_records
    from undercurrent.models import Records
    from undercurrent.store.clusters import rebuild
    from undercurrent.store.records import now

    if defer_corroboration is None:
        defer_corroboration = store_is_empty(store)
    summary = IngestSummary()
    chunk: list[tuple[str, Records, bytes, str | None]] = []

    def flush() -> None:
        # One transaction per chunk, one multi-row insert per table: the cost of a commit and of
        # statement set-up is shared by LOAD_CHUNK reports (bench/load_speed.py --bulk).
        try:
            results = save_many(store, [(records, original, media) for _, records, original, media in chunk],
                                corroborate=not defer_corroboration)
        except Exception:  # noqa: BLE001 - the chunk rolled back: each report alone, so one bad unit is only itself
            results = None
        for index, (name, records, original, media) in enumerate(chunk):
            try:
                result = results[index] if results is not None else save(
                    store, records, original=original, media_type=media)
            except UndercurrentError as exc:
                summary.failed.append((name, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001
                summary.failed.append((name, str(ExtractionFailed.of(exc, name, doing="could not be loaded"))))
                continue
            summary.count(result.status)
            if progress:
                progress(name, result.status)
        chunk.clear()

    for name, data, original, media_type in read_records(Path(out_dir)):
        if data is None:
            summary.failed.append((name, str(ExtractionFailed(f"could not be loaded: {media_type}", path=name))))
            continue
        try:
            records = Records.model_validate(data)
        except Exception as exc:  # noqa: BLE001 - a damaged line of a run is that unit only
            summary.failed.append((name, str(ExtractionFailed.of(exc, name, doing="could not be loaded"))))
            continue
        records.report.ingested_at = records.report.ingested_at or now()
        chunk.append((name, records, original, media_type))
        if len(chunk) >= LOAD_CHUNK:
            flush()
    if chunk:
        flush()
    if defer_corroboration and summary.stored:
        rebuild(store, progress=corroboration_progress)
    return summary


LOAD_CHUNK = 200  # reports per transaction when loading a batch run (a batch partition's size)
