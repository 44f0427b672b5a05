"""Corroboration speed: a full rebuild over N generated events, and incremental attach per new report
as the store grows.

    python bench/cluster_speed.py [--sizes 10000,30000,100000] [--attach 40] [--postgres URL]

Events are generated as stories: each real-world event (a type and mode, a place from the gazetteer, a
day between 2005 and 2025) is told by 1 to 4 reports of different outlets, each with its own wording,
date precision (day, month or none) and sometimes another number; 5% of reports are reprints (the same
text under another outlet). Like bench/store_speed.py, rows are bulk-loaded without extraction, so
only corroboration is timed. At each size the whole store is rebuilt (`cluster --rebuild`), then
--attach new reports are stored one by one the way ingest stores them (rows, then `update_report` in
the same transaction) and timed. Run on a shared machine: compare ratios within one run.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
TYPES = [("COERCE", "arrest", 5), ("COERCE", "seize", 3), ("COERCE", "ban", 1), ("COERCE", "deport", 1),
         ("ASSAULT", "execute", 1), ("ASSAULT", "beat", 1), ("SANCTION", "convict", 2), ("MOBILIZE", None, 1),
         ("REQUEST", "assist", 1), ("ACCUSE", "investigate", 2), ("PROTEST", None, 1)]
WORDS = ("phones smugglers border guards market rice corn traders agents police residents crackdown inspection "
         "drama video defectors river patrol brokers fuel prices dollar yuan labour camp trial sentence women "
         "students workers soldiers officials bribes cloth medicine copper films memory cards families").split()
OUTLETS = ["Northern Wire", "Border Voice", "Peninsula Monitor", "Tumen Post", "Korea Desk Weekly", "Hamgyong Letters"]
INSTITUTIONS = ["ministry_of_state_security", "ministry_of_social_security", "border_guards", None]


class Generator:
    def __init__(self, seed: int = 11) -> None:
        from undercurrent.kb import load_kb

        self.rng = random.Random(seed)
        self.places = [p for p in load_kb().gazetteer.places.values() if p.lat is not None and not p.is_province]
        self.weighted = [t for t in TYPES for _ in range(t[2])]
        self.n_reports = 0
        self.n_stories = 0
        self.story_of: dict[str, int] = {}  # event id -> the story it tells: the truth of the pairwise scores

    def story(self) -> dict:
        rng = self.rng
        etype, mode, _ = rng.choice(self.weighted)
        self.n_stories += 1
        return {"id": self.n_stories, "type": etype, "mode": mode, "place": rng.choice(self.places),
                "day": date(2005, 1, 1) + timedelta(days=rng.randint(0, 7300)),
                "size": rng.choice([None, None, rng.randint(2, 40)]), "actor": rng.choice(INSTITUTIONS),
                "words": rng.sample(WORDS, 8)}

    def reports(self, story: dict) -> list[tuple[dict, list[dict]]]:
        """The reports telling one story: 1-4 independent tellings, sometimes a reprint."""
        rng = self.rng
        out = []
        for outlet in rng.sample(OUTLETS, rng.choice([1, 1, 1, 2, 2, 3, 4])):
            out.append(self._report(story, outlet))
            if rng.random() < 0.05:
                out.append(self._report(story, "Asia Digest", copy_of=out[-1]))
        return out

    def _report(self, story: dict, outlet: str, copy_of: tuple | None = None) -> tuple[dict, list[dict]]:
        rng = self.rng
        self.n_reports += 1
        rid = f"cb{self.n_reports:08d}"
        published = story["day"] + timedelta(days=rng.randint(2, 20))
        if copy_of is not None:
            text = "Reprinted. " + copy_of[0]["text"]
            event = dict(copy_of[1][0])
        else:
            words = story["words"][:5] + rng.sample(WORDS, 4)
            place = story["place"]
            quote = f"{' '.join(words[:4])} {story['mode'] or story['type'].lower()} in {place.name} {' '.join(words[4:])}"
            filler = " ".join(rng.choice(WORDS) for _ in range(50))
            text = f"{quote}, a source said. {filler}."
            granularity = rng.choice(["day", "day", "month", "unknown"])
            start = {"day": story["day"].isoformat(), "month": story["day"].isoformat()[:8] + "01",
                     "unknown": None}[granularity]
            size = story["size"]
            if size is not None and rng.random() < 0.3:
                size += rng.randint(1, 5)  # an outlet with another number: a disagreement
            event = {"type": story["type"], "mode": story["mode"], "status": "occurred", "contexts": "|repression|",
                     "topics": "|", "actor_institutions": f"|{story['actor']}|" if story["actor"] else "|",
                     "actors": [], "recipients": [], "place_id": place.id, "place_text": place.name,
                     "admin1": place.admin1, "precision": place.precision, "basis": "stated",
                     "latitude": place.lat, "longitude": place.lon, "date_start": start, "date_end": None,
                     "date_granularity": granularity, "date_kind": "exact" if start else "unresolved",
                     "date_text": None, "sort_date": start or published.isoformat(), "arrested": size,
                     "dead": None, "injured": None, "quote": quote, "start": 0, "end": len(quote),
                     "evidence": [], "confidence": 0.8}
        event = {**event, "id": f"{rid}e0", "report_id": rid}
        self.story_of[event["id"]] = story["id"]
        report = {"id": rid, "url": f"https://bench.example/{rid}", "outlet": outlet, "title": rid,
                  "published": published.isoformat(), "language": "en", "text": text, "content_sha256": rid,
                  "original": b"", "original_sha256": rid, "ingested_at": "2026-12-05T00:00:00+00:00"}
        return report, [event]

    def batch(self, n_events: int) -> tuple[list[dict], list[dict]]:
        reports, events = [], []
        while len(events) < n_events:
            for report, evs in self.reports(self.story()):
                reports.append(report)
                events.extend(evs)
        return reports, events


def load(store, reports: list[dict], events: list[dict]) -> None:
    from undercurrent.store import schema

    with store.engine.begin() as conn:
        for start in range(0, len(reports), 5000):
            conn.execute(schema.reports.insert(), reports[start:start + 5000])
        for start in range(0, len(events), 5000):
            conn.execute(schema.events.insert(), events[start:start + 5000])


def attach(store, report: dict, events: list[dict]) -> float:
    """Store one report as ingest does (its rows, then corroboration, one transaction); milliseconds."""
    from undercurrent.store import schema
    from undercurrent.store.clusters import update_report

    started = time.perf_counter()
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [report])
        conn.execute(schema.events.insert(), events)
        update_report(conn, report["id"], text=report["text"])
    return (time.perf_counter() - started) * 1000


def pairwise(store, story_of: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of the clusters against the generated stories (pair counts
    from the contingency table, so 100,000 events need no pair enumeration)."""
    from collections import Counter

    from undercurrent.store import schema

    m = schema.cluster_members
    with store.engine.connect() as conn:
        cluster_of = dict(conn.execute(sa.select(m.c.event_id, m.c.cluster_id)).all())
    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    same_both = pairs(Counter((cluster_of.get(e, e), s) for e, s in story_of.items()))
    predicted = pairs(Counter(cluster_of.get(e, e) for e in story_of))
    gold = pairs(Counter(story_of.values()))
    return same_both / predicted if predicted else 1.0, same_both / gold if gold else 1.0


def run(url: str, sizes: list[int], n_attach: int) -> list[dict]:
    from undercurrent.store.clusters import rebuild
    from undercurrent.store.db import open_store

    store = open_store(url=url)
    gen = Generator()
    loaded, rows = 0, []
    for size in sizes:
        reports, events = gen.batch(size - loaded)
        load(store, reports, events)
        loaded += len(events)
        started = time.perf_counter()
        figures = rebuild(store)
        rebuild_s = time.perf_counter() - started
        timings = []
        for _ in range(n_attach):
            for report, evs in gen.reports(gen.story()):
                timings.append(attach(store, report, evs))
                loaded += len(evs)
        timings.sort()
        precision, recall = pairwise(store, gen.story_of)
        row = {"pairwise_precision": round(precision, 3), "pairwise_recall": round(recall, 3),"events": figures["events"], "clusters": figures["clusters"], "reprints": figures["reprints"],
               "rebuild_s": round(rebuild_s, 1), "attach_ms_p50": round(statistics.median(timings), 1),
               "attach_ms_p95": round(timings[int(0.95 * (len(timings) - 1))], 1), "attached_reports": len(timings)}
        print(row, flush=True)
        rows.append(row)
    started = time.perf_counter()
    rebuild(store)
    print({"rebuild_again_s (signatures stored, as after ingest)": round(time.perf_counter() - started, 1)})
    store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--attach", type=int, default=40, help="Stories attached after each rebuild.")
    parser.add_argument("--postgres", default=os.environ.get("UNDERCURRENT_BENCH_POSTGRES_URL"),
                        help="Also run on this (fresh) PostgreSQL database URL.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite")
        run(f"sqlite:///{tmp}/clusters.db", sizes, args.attach)
    if args.postgres:
        print("PostgreSQL")
        run(args.postgres, sizes, args.attach)


if __name__ == "__main__":
    main()
