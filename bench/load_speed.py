"""Loading speed: seconds per 1,000 reports saved as the store grows (the loader after `batch`).

    python bench/load_speed.py [--reports N] [--step 1000] [--postgres URL] [--bulk]

Records are extracted once from texts this script writes (a few templates with varied places,
numbers and dates), then saved as N distinct reports with `store.records.save`, one transaction per
report as `ingest --records` does (or `--bulk`: `save_many`, the first-load path). Prints each step's
seconds, so a curve that rises shows a statement that grows with the store.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import tempfile
import time
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

PLACES = ["Hyesan", "Chongjin", "Sinuiju", "Hamhung", "Wonsan", "Musan", "Kimchaek", "Nampo"]
TEMPLATES = [
    "Police in {place} arrested {n} traders who sold Chinese phones in {month}, a source in the province said. "
    "Rice cost {price} won per kg at the market.",
    "The Ministry of State Security ordered agents in {place} to inspect homes for foreign videos, a source told "
    "reporters on {month} {day}. {n} residents were detained.",
    "Border guards near {place} shot a man who tried to cross the river in {month}, residents said. The dollar "
    "traded at {price} won.",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def _records(count: int):
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.models import Report

    rng = random.Random(5)
    # About 1,500 characters each, near a real report's length: FTS maintenance grows with text.
    texts = [" ".join(rng.choice(TEMPLATES).format(place=rng.choice(PLACES), n=rng.randint(2, 30),
                                                   month=rng.choice(MONTHS), day=rng.randint(1, 28),
                                                   price=rng.randint(1000, 9000)) for _ in range(7))
             for _ in range(count)]
    reports = [Report.from_fields(text=t, published="2021-06-01", outlet="Bench Wire") for t in texts]
    return list(default_extractor().extract_many(reports))


# Copies are spread over twenty years, a day apart: an archive's events are not all of one year, and
# corroboration (run at save) compares a record with those of its type, province and date window.
SPREAD_DAYS = 7300


def _shift(value: str | None, days: int) -> str | None:
    """An ISO date (day, month or year precision) moved by `days`, kept at its precision."""
    if not value:
        return value
    parts = value.split("-")
    day = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return (day + timedelta(days=days)).isoformat()[: len(value)]


def _copy(records, i: int):
    """The same records under a new report (id, text, dates): a distinct report for the store. The text
    keeps its words (a reprint of its base for the reprint finder, as wire copy is)."""
    days = -((i * 37) % SPREAD_DAYS)
    report = records.report.model_copy(update={
        "id": hashlib.sha256(f"{records.report.id}/{i}".encode()).hexdigest()[:32],
        "text": records.report.text + f" [{i}]", "published": _shift(records.report.published, days),
        "content_sha256": uuid.uuid4().hex + uuid.uuid4().hex})
    events = [e.model_copy(update={"date": e.date.model_copy(update={
        "start": _shift(e.date.start, days), "end": _shift(e.date.end, days)})}) for e in records.events]
    return records.model_copy(update={"report": report, "events": events})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--step", type=int, default=1_000)
    parser.add_argument("--postgres", default=os.environ.get("UNDERCURRENT_BENCH_POSTGRES_URL"))
    parser.add_argument("--bulk", action="store_true", help="save_many in transactions of --step reports")
    args = parser.parse_args()

    from undercurrent.kb import load_kb
    from undercurrent.store import records as saving
    from undercurrent.store.db import open_store

    base = _records(60)
    kb = load_kb()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            name = "load_" + uuid.uuid4().hex[:8]
            admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f"CREATE DATABASE {name}"))
            url, label = args.postgres.rsplit("/", 1)[0] + "/" + name, "PostgreSQL"
        else:
            url, label = f"sqlite:///{tmp}/load.db", "SQLite"
        store = open_store(url=url)
        print(f"{label}: {args.reports:,} reports, seconds per {args.step:,} ({'bulk' if args.bulk else 'one per transaction'})")
        done = 0
        while done < args.reports:
            batch = [_copy(base[(done + k) % len(base)], done + k) for k in range(args.step)]
            start = time.perf_counter()
            if args.bulk:
                saving.save_many(store, [(r, r.report.text.encode(), "text/plain") for r in batch], kb=kb)
            else:
                for records in batch:
                    saving.save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
            done += args.step
            print(f"  {done:>9,} {time.perf_counter() - start:8.2f} s", flush=True)
        store.close()


if __name__ == "__main__":
    main()
