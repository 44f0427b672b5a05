"""process_partition(units) -> records files: the whole job of one worker on one partition."""
from __future__ import annotations

import base64
import json
import os
import resource
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from undercurrent.errors import EmptyInput, ExtractionFailed, UndercurrentError, Unreadable
from undercurrent.ingest.files import (
    MAX_BYTES,
    decode_text,
    read_capped,
    report_from_bytes,
    report_from_json_text,
    too_large,
)
from undercurrent.ingest.html import report_from_html
from undercurrent.models import Report


@dataclass(frozen=True)
class Unit:
    """One report to extract: a file, or one line of a .jsonl file."""

    path: str
    line: int | None = None
    offset: int | None = None  # byte offset of the line, so a worker seeks instead of rereading

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class PartitionResult:
    partition: int
    reports: int
    failed: int
    seconds: float
    peak_rss_mb: float
    pid: int


def _read_unit(unit: Unit) -> tuple[Report, bytes, str]:
    path = Path(unit.path)
    suffix = path.suffix.lower()
    if unit.line is not None:
        with path.open("rb") as handle:
            handle.seek(unit.offset or 0)
            raw = handle.readline(MAX_BYTES + 1)
        if not raw.strip():
            raise EmptyInput(f"line {unit.line} is gone or empty", path=unit.name)
        if len(raw) > MAX_BYTES:
            raise too_large(len(raw), name=unit.name, what="line")
        return report_from_json_text(decode_text(raw, name=unit.name), name=unit.name), raw, "application/json"
    if path.is_dir():  # listed by list_units because it could not be listed itself
        raise Unreadable("cannot list folder", path=unit.name)
    raw = read_capped(path)
    if suffix in {".html", ".htm"}:
        return report_from_html(raw, name=unit.name), raw, "text/html"
    kind = "json" if suffix == ".json" else "txt"
    return report_from_bytes(raw, name=unit.name, kind=kind), raw, "application/json" if kind == "json" else "text/plain"


def _write_atomically(path: Path, lines: list[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def process_partition(index: int, units: list[Unit], out_dir: str, *, isolate: bool | None = None) -> PartitionResult:
    """Extract every unit; write part-NNNNN.jsonl (records) and part-NNNNN.errors.jsonl.

    The spaCy pipeline is loaded where the work runs, once per process, never shipped from the
    client. Inside a Dask worker the work runs in a helper process of that worker (started once):
    a worker's event loop competes for the GIL with a task thread that holds it, which halved
    extraction speed (dask/distributed#6325); the task thread then only waits on a pipe.
    A unit that fails is written to the errors file with its reason."""
    if isolate is None:
        isolate = _in_dask_worker()
    if isolate:
        from undercurrent.batch.helper import shared_helper

        return shared_helper().run(index, units, out_dir)
    return process_inline(index, units, out_dir)


def _in_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
        return True
    except (ImportError, ValueError):
        return False


def process_inline(index: int, units: list[Unit], out_dir: str) -> PartitionResult:
    from undercurrent.extract.pipeline import default_extractor

    started = time.perf_counter()
    extractor = default_extractor()
    loaded, errors = [], []
    for unit in units:
        try:
            report, raw, media_type = _read_unit(unit)
            # Batch output must be repeatable: the time of loading into a database is set at load.
            loaded.append((unit, report.model_copy(update={"ingested_at": None}), raw, media_type))
        except UndercurrentError as exc:
            errors.append(_error_line(unit, exc))
        except Exception as exc:  # noqa: BLE001 - a bad unit goes to the errors file; the partition completes
            errors.append(_error_line(unit, ExtractionFailed.of(exc, unit.name)))
    lines = []
    results = extractor.extract_each([r for _, r, _, _ in loaded])
    for (unit, _, raw, media_type), records in zip(loaded, results, strict=True):
        if isinstance(records, UndercurrentError):
            errors.append(_error_line(unit, records))
            continue
        lines.append(json.dumps({"unit": unit.name, "records": records.model_dump(mode="json"),
                                 "original_b64": base64.b64encode(raw).decode("ascii"), "media_type": media_type},
                                ensure_ascii=False) + "\n")
    out = Path(out_dir)
    _write_atomically(out / f"part-{index:05d}.errors.jsonl", errors)
    _write_atomically(out / f"part-{index:05d}.jsonl", lines)  # written last: its presence means "done"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return PartitionResult(index, len(lines), len(errors), time.perf_counter() - started, peak, os.getpid())


def _error_line(unit: Unit, exc: UndercurrentError) -> str:
    return json.dumps({"unit": unit.name, "error": str(exc)}, ensure_ascii=False) + "\n"


def result_dict(result: PartitionResult) -> dict:
    return asdict(result)
