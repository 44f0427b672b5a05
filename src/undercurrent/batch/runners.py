"""Plan partitions, skip finished ones, run the rest in-process or on Dask."""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from undercurrent.batch.partition import process_partition
from undercurrent.batch.units import PartitionResult
from undercurrent.errors import BatchError
from undercurrent.ingest import reader
from undercurrent.ingest.reader import Unit

DEFAULT_PARTITION_SIZE = 200
MANIFEST = "manifest.json"


@dataclass
class BatchSummary:
    partitions: int = 0
    skipped: int = 0
    reports: int = 0
    failed: int = 0
    results: list[PartitionResult] = field(default_factory=list)


def list_units(paths: Iterable[str]) -> list[Unit]:
    """Every report under paths, as the one reader lists them for `extract` and `ingest` too (files,
    folders recursively, .jsonl lines). A missing input refuses the whole run: a typo in a long job's
    arguments should not cost the job; anything else that fails is a unit its worker fails."""
    paths = list(paths)
    for value in paths:
        if not Path(value).exists():
            raise BatchError("no such file or folder", path=str(value))
    return list(reader.list_units(paths))


def plan(paths: list[str], out_dir: Path, *, partition_size: int = DEFAULT_PARTITION_SIZE) -> list[list[Unit]]:
    """Partitions of the inputs. The plan is saved in out_dir/manifest.json and reused on a re-run,
    so a resumed run cuts the corpus exactly as the first one did."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST
    if manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved["inputs"] != paths:
            raise BatchError(f"{out_dir} holds a run over other inputs ({saved['inputs']}); use another --out",
                             path=str(manifest))
        return [[Unit(u["path"], u.get("line"), u.get("offset")) for u in part] for part in saved["partitions"]]
    units = list_units(paths)
    parts = [units[i : i + partition_size] for i in range(0, len(units), partition_size)]
    payload = {"inputs": paths, "partition_size": partition_size,
               "partitions": [[{"path": u.path, "line": u.line, "offset": u.offset} for u in part] for part in parts]}
    tmp = manifest.with_name(MANIFEST + ".tmp")
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    tmp.replace(manifest)
    return parts


def pending(parts: list[list[Unit]], out_dir: Path) -> list[int]:
    return [i for i in range(len(parts)) if not (out_dir / f"part-{i:05d}.jsonl").exists()]


def run_local(parts: list[list[Unit]], out_dir: Path, *, on_done: Callable[[PartitionResult], None] | None = None) -> BatchSummary:
    todo = pending(parts, out_dir)
    summary = BatchSummary(partitions=len(parts), skipped=len(parts) - len(todo))
    for index in todo:
        _record(summary, process_partition(index, parts[index], str(out_dir)), on_done)
    return summary


def run_dask(parts: list[list[Unit]], out_dir: Path, *, workers: int = 2, scheduler: str | None = None,
             on_done: Callable[[PartitionResult], None] | None = None) -> BatchSummary:
    """Partitions as Dask tasks: a LocalCluster of single-threaded worker processes, or the
    distributed scheduler at `scheduler`. Tasks carry file names only, never the pipeline."""
    from dask.distributed import Client, LocalCluster, as_completed

    todo = pending(parts, out_dir)
    summary = BatchSummary(partitions=len(parts), skipped=len(parts) - len(todo))
    if not todo:
        return summary
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # One BLAS/OpenMP thread per worker process: two processes on two cores, no oversubscription.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               memory_limit="4GiB", silence_logs=40)
        client = Client(cluster)
    try:
        futures = [client.submit(process_partition, index, parts[index], str(out_dir), key=f"partition-{index}-{os.getpid()}",
                                 pure=False) for index in todo]
        for future in as_completed(futures):
            _record(summary, future.result(), on_done)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return summary


def _record(summary: BatchSummary, result: PartitionResult, on_done) -> None:
    summary.reports += result.reports
    summary.failed += result.failed
    summary.results.append(result)
    if on_done:
        on_done(result)


def failed_units(out_dir: Path) -> list[dict]:
    """Every unit that failed in this run or an earlier one, with its reason."""
    failures: list[dict] = []
    for path in sorted(out_dir.glob("part-*.errors.jsonl")):
        failures.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return failures


def read_records(out_dir: Path):
    """(unit name, records dict, original bytes, media type) for every finished partition, in order;
    for a damaged line, (file:line, None, b"", the reason)."""
    import base64

    for part in sorted(out_dir.glob("part-*.jsonl")):
        if part.name.endswith(".errors.jsonl"):
            continue
        with part.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    row = json.loads(line)
                    unit = (row["unit"], row["records"], base64.b64decode(row["original_b64"]), row["media_type"])
                except (ValueError, KeyError, TypeError) as exc:  # a damaged line: that unit only
                    unit = (f"{part}:{number}", None, b"", f"damaged line ({type(exc).__name__}: {exc})")
                yield unit
