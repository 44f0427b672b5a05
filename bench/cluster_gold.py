"""Score corroboration on the invented gold (tests/fixtures/corroboration): pairwise precision and
recall of "same event" decisions, and reprints found. Prints every pair that is, or is predicted, the same.

    python bench/cluster_gold.py [FOLDER] [--rebuild]

The reports are ingested one by one into a fresh SQLite file (incremental clustering); --rebuild
then re-clusters the whole store and scores that too (the two must agree)."""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "tests" / "fixtures" / "corroboration")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    from undercurrent.evaluate.corroboration import ingest_gold_reports, read_gold, score_store
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.store.clusters import rebuild
    from undercurrent.store.db import open_store

    reports, gold = read_gold(args.folder)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(url=f"sqlite:///{tmp}/gold.db")
        ids = ingest_gold_reports(store, reports, default_extractor())
        scores = score_store(store, gold, ids)
        for d in scores.decisions:
            mark = "ok " if d["gold_same"] == d["predicted_same"] else ("FP " if d["predicted_same"] else "FN ")
            print(mark, d["a"], d["b"])
        print("incremental", json.dumps(scores.as_dict()))
        if args.rebuild:
            rebuild(store)
            print("rebuild    ", json.dumps(score_store(store, gold, ids).as_dict()))
        store.close()


if __name__ == "__main__":
    main()
