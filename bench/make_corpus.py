"""Scale the dev texts to N reports for benchmarks, varying places, numbers and months.

    python bench/make_corpus.py N [--out bench/output/corpus-N.jsonl] [--seed 1]

Each report is a dev text (read in place from ../shared/eval/dev; the output goes to the ignored
bench/output/ folder, never into the repository) with every gazetteer place name swapped for another
place of the same level, every digit changed and every month name changed, so that no two reports
are the same text and nothing is served from a cache.
"""
from __future__ import annotations

import argparse
import calendar
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTHS = [m for m in calendar.month_name if m]
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")


def generate(n: int, out: Path, *, seed: int = 1, dev: Path | None = None) -> Path:
    from undercurrent.ingest.reader import read_paths
    from undercurrent.kb import load_kb

    dev = dev or ROOT.parent / "shared" / "eval" / "dev"
    reports = [r.report for r in read_paths([dev]) if r.report is not None]
    gazetteer = load_kb().gazetteer
    provinces = [p.name for p in gazetteer.places.values() if p.is_province]
    towns = [p.name for p in gazetteer.places.values() if not p.is_province and p.admin_level == 2]
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            base = reports[i % len(reports)]
            text = base.text
            pieces, last = [], 0
            for hit in gazetteer.matcher.find(text):
                place = gazetteer.get(hit.values[0])
                pool = provinces if place is not None and place.is_province else towns
                pieces += [text[last:hit.start], rng.choice(pool)]
                last = hit.end
            text = "".join(pieces) + text[last:]
            text = re.sub(r"\d", lambda m: str(rng.randint(1, 9)), text)
            text = _MONTH_RE.sub(lambda m: rng.choice(MONTHS), text)
            year = rng.randint(2005, 2025)
            handle.write(json.dumps({"url": f"https://bench.example/{i}", "outlet": base.outlet,
                                     "title": base.title, "published": f"{year}-{rng.randint(1, 12):02d}",
                                     "text": text}, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "output" / f"corpus-{args.n}.jsonl"
    print(generate(args.n, out, seed=args.seed))


if __name__ == "__main__":
    main()
