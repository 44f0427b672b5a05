"""Batch throughput, measured in one run on a generated corpus (bench/make_corpus.py).

    python bench/batch_speed.py [--sizes 1000,10000] [--compare-size 1000]

Prints, for the same corpus: reports/s of the bare spaCy parse and of `extract` in one process,
of `batch` with 1 and with 2 Dask workers, the 2-vs-1 speed-up, peak RSS per worker, and the
throughput curve of `batch --workers 2` at each size in --sizes.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]


def _corpus(n: int) -> Path:
    from make_corpus import generate

    path = ROOT / "bench" / "output" / f"corpus-{n}.jsonl"
    if not path.exists():
        generate(n, path)
    return path


def _texts(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _batch(path: Path, workers: int | None, partition_size: int = 200):
    """A whole `batch` run: planning, cluster start, model load in each worker, extraction, writing."""
    from undercurrent.batch.runners import plan, run_dask, run_local

    out = Path(tempfile.mkdtemp(prefix="uc-batch-"))
    try:
        parts = plan([str(path)], out, partition_size=partition_size)
        start = time.perf_counter()
        summary = run_dask(parts, out, workers=workers) if workers else run_local(parts, out)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return summary, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--compare-size", type=int, default=1000)
    args = parser.parse_args()
    import spacy

    from undercurrent.extract.pipeline import DEFAULT_MODEL, Extractor
    from undercurrent.models import Report

    corpus = _corpus(args.compare_size)
    rows = _texts(corpus)
    words = sum(len(r["text"].split()) for r in rows)
    reports = [Report.from_fields(text=r["text"], url=r["url"], outlet=r["outlet"], published=r["published"]) for r in rows]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
          f"spaCy {spacy.__version__}; corpus {len(rows)} reports, {words} words ({corpus.name})")

    bare = spacy.load(DEFAULT_MODEL)
    list(bare.pipe([r.text for r in reports[:20]]))
    start = time.perf_counter()
    list(bare.pipe((r.text for r in reports), batch_size=32))
    parse_s = time.perf_counter() - start

    extractor = Extractor.create()
    list(extractor.extract_many(reports[:20]))
    start = time.perf_counter()
    list(extractor.extract_many(reports, batch_size=32))
    extract_s = time.perf_counter() - start
    main_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Ten partitions of 100 so that two workers get equal shares of the 1,000-report comparison corpus.
    one, one_s = _batch(corpus, 1, partition_size=100)
    two, two_s = _batch(corpus, 2, partition_size=100)
    n = len(reports)
    print(f"{'':<28}{'reports/s':>10}{'words/s':>10}")
    for label, seconds in (("bare spaCy parse (1 proc)", parse_s), ("extract (1 process)", extract_s),
                           ("batch, 1 Dask worker", one_s), ("batch, 2 Dask workers", two_s)):
        print(f"{label:<28}{n / seconds:>10.1f}{words / seconds:>10.0f}")
    print(f"extract / bare parse: {extract_s / parse_s:.2f}x (target <= 1.3x)")
    print(f"2 workers vs 1: {one_s / two_s:.2f}x throughput (target >= 1.7x)")
    peaks = [r.peak_rss_mb for r in one.results + two.results]
    print(f"peak RSS per worker: {max(peaks):.0f} MB (target < 1024 MB); this process {main_rss:.0f} MB")

    print("curve, batch --workers 2:")
    for size in (int(s) for s in args.sizes.split(",") if s):
        summary, seconds = _batch(_corpus(size), 2)
        print(f"  {size:>7} reports  {seconds:8.1f} s  {summary.reports / seconds:7.1f} reports/s  "
              f"peak RSS/worker {max(r.peak_rss_mb for r in summary.results):.0f} MB")


if __name__ == "__main__":
    main()
