"""Generalisation check: the share of hand-written general-news sentences where extract finds the expected type.

The sentences (tests/fixtures/general_news_en.jsonl, general_news_ko.jsonl) were written for the project
from the PLOVER category definitions, not from the development reports. Each sentence is extracted as a
one-sentence report; a hit is an event of the expected type with status `occurred` (a sentence in the set
always states an act that happened).

    .venv/bin/python bench/general_news.py [--lang en|ko] [--set holdout] [--misses]

The holdout set was written after the first lexicon pass and is never used to tune a rule.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from undercurrent.extract.pipeline import Extractor
from undercurrent.models import Report

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en", choices=["en", "ko"])
    parser.add_argument("--set", default="", help="a suffix: 'holdout' reads general_news_en_holdout.jsonl")
    parser.add_argument("--misses", action="store_true", help="print each sentence that misses")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (FIXTURES / f"general_news_{args.lang}{'_' + args.set if args.set else ''}.jsonl").read_text().splitlines() if line.strip()]
    extractor = Extractor.create()
    hits, typed, none = Counter(), Counter(), 0
    totals = Counter(r["type"] for r in rows)
    reports = [Report.from_fields(text=r["text"], language=args.lang, published="2024-01-15") for r in rows]
    for row, records in zip(rows, extractor.extract_many(reports), strict=True):
        found = [(e.type, e.status) for e in records.events]
        if not found:
            none += 1
        if any(t == row["type"] for t, _ in found):
            typed[row["type"]] += 1
        if (row["type"], "occurred") in found:
            hits[row["type"]] += 1
        elif args.misses:
            print(f"MISS {row['type']:9} {found} {row['text']}")
    n = len(rows)
    print(f"{args.lang}: {n} sentences; expected type found (occurred) {sum(hits.values())}/{n} = {sum(hits.values()) / n:.2f};"
          f" type found (any status) {sum(typed.values()) / n:.2f}; no event {none / n:.2f}")
    print("per type:", " ".join(f"{t}={hits[t]}/{totals[t]}" for t in sorted(totals)))


if __name__ == "__main__":
    main()
