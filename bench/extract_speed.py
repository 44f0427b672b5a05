"""Extraction speed against the bare spaCy parse of the same texts, measured in one run.

    python bench/extract_speed.py [FOLDER] [--rounds N]

FOLDER defaults to ../shared/eval/dev (real reports; read in place, never copied). Prints
reports/s and words/s of the bare parse (spacy.load of the same model, nlp.pipe) and of
`extract` (parse + every stage), their ratio, and the peak RSS of this process.
"""
from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_reports(folder: Path):
    from undercurrent.ingest.reader import read_paths

    reports = [r.report for r in read_paths([folder]) if r.report is not None]
    if not reports:
        sys.exit(f"no reports in {folder}")
    return reports


def _best_of(rounds: int, run) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import spacy

    from undercurrent.extract.pipeline import DEFAULT_MODEL, Extractor

    reports = _load_reports(Path(args.folder))
    texts = [r.text for r in reports]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(DEFAULT_MODEL)
    extractor = Extractor.create()
    # Warm both up (first-call allocation, lexicon loading) before timing.
    list(bare.pipe(texts[:4]))
    list(extractor.extract_many(reports[:4]))

    # Rounds alternate the two (bare, extract, bare, extract ...) so a slow spell of a shared machine
    # falls on both; the best of each is kept.
    parse_s = extract_s = float("inf")
    paired: list[float] = []
    for _ in range(args.rounds):
        one_parse = _best_of(1, lambda: list(bare.pipe(texts, batch_size=16)))
        one_extract = _best_of(1, lambda: list(extractor.extract_many(reports, batch_size=16)))
        parse_s, extract_s = min(parse_s, one_parse), min(extract_s, one_extract)
        paired.append(one_extract / one_parse)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"spaCy {spacy.__version__}, model {DEFAULT_MODEL}")
    print(f"corpus: {len(texts)} reports, {words} words ({args.folder}); best of {args.rounds} rounds, one process")
    print(f"{'':<12}{'seconds':>10}{'reports/s':>12}{'words/s':>12}")
    for name, seconds in (("bare parse", parse_s), ("extract", extract_s)):
        print(f"{name:<12}{seconds:>10.3f}{len(texts) / seconds:>12.1f}{words / seconds:>12.0f}")
    print(f"ratio extract/parse: {extract_s / parse_s:.2f}x best against best; paired by round: median "
          f"{statistics.median(paired):.2f}x, min {min(paired):.2f}x, max {max(paired):.2f}x (target <= 1.0x, issue 13)")
    korean_folder = Path(args.folder).parent / "ko-dev"
    if korean_folder.is_dir():
        korean = _load_reports(korean_folder)
        chars = sum(len(r.text) for r in korean)
        list(extractor.extract_many(korean[:2]))  # loads Kiwi's model
        ko_s = _best_of(args.rounds, lambda: list(extractor.extract_many(korean)))
        print(f"{'extract ko':<12}{ko_s:>10.3f}{len(korean) / ko_s:>12.1f}{'':>12}  ({len(korean)} Korean reports, "
              f"{chars / ko_s:.0f} characters/s; kiwipiepy)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
