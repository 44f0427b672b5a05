"""process_partition(units) -> records files: the whole job of one worker on one partition."""
from __future__ import annotations

import base64
import json
import os
import resource
import time
from dataclasses import asdict
from pathlib import Path

from undercurrent.batch.helper import shared_helper
from undercurrent.batch.units import PartitionResult
from undercurrent.errors import UndercurrentError
from undercurrent.ingest.reader import Unit, read_unit


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
    # Imported here, not at the top: loading spaCy costs seconds, and the client of a Dask run imports this
    # module only to ship process_partition to the workers.
    from undercurrent.extract.pipeline import default_extractor

    started = time.perf_counter()
    extractor = default_extractor()
    loaded, errors = [], []
    for unit in units:
        item = read_unit(unit)  # never raises: a bad unit goes to the errors file; the partition completes
        if item.error is not None:
            errors.append(_error_line(unit, item.error))
            continue
        assert item.report is not None
        # Batch output must be repeatable: the time of loading into a database is set at load.
        loaded.append((unit, item.report.model_copy(update={"ingested_at": None}), item.original, item.media_type))
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
