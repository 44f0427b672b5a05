"""Store speed: ingest (extraction included) and search latency over 100k generated events.

    python bench/store_speed.py [--events N] [--postgres URL] [--no-ingest] [--pages] [--keep DIR]

Ingest is timed on the dev reports (../shared/eval/dev, read in place) into a fresh SQLite file.
Search latency: N generated events (default 100,000; 5 per generated report) bulk-loaded into SQLite
and, when a PostgreSQL URL is given (or UNDERCURRENT_BENCH_POSTGRES_URL is set), into PostgreSQL;
then a fixed, seeded mix of text and filter queries, p50/p95 in milliseconds. `--pages` times deep
pages instead: page 1, the page at offset 2,000 and 20,000, and the same deep pages by cursor (`after`).
`--keep DIR` keeps the generated databases (DIR/search-N.db, PostgreSQL database bench_keep_N) and reuses
them when they exist: a million events take minutes to generate on SQLite, an hour on PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
TYPES = [("COERCE", "arrest"), ("COERCE", "seize"), ("COERCE", "ban"), ("ASSAULT", "execute"), ("SANCTION", "convict"),
         ("MOBILIZE", None), ("REQUEST", "assist"), ("ACCUSE", "investigate"), ("THREATEN", None), ("AID", None)]
WORDS = ("phones smugglers border guards market rice corn traders agents police residents crackdown inspection "
         "drama video defectors river patrol brokers fuel prices dollar yuan labour camp trial sentence").split()
OUTLETS = ["Daily NK", "Radio Free Asia", "ASIAPRESS", "Yonhap", "NK News"]


def _generate(store, n_events: int, seed: int = 7) -> None:
    from undercurrent.kb import load_kb
    from undercurrent.store import schema

    rng = random.Random(seed)
    gazetteer = load_kb().gazetteer
    places = [p for p in gazetteer.places.values() if p.lat is not None]
    reports, events = [], []
    per_report = 5
    for r in range(n_events // per_report):
        report_id = f"bench{r:07d}"
        year, month = rng.randint(2010, 2025), rng.randint(1, 12)
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        text = f"Report {r}: {words}."
        reports.append({"id": report_id, "url": f"https://bench.example/{r}", "outlet": rng.choice(OUTLETS),
                        "title": f"Bench {r}", "published": f"{year}-{month:02d}", "language": "en", "text": text,
                        "content_sha256": uuid.uuid4().hex, "original": text.encode(), "original_sha256": uuid.uuid4().hex,
                        "ingested_at": "2026-11-27T00:00:00+00:00"})
        for e in range(per_report):
            etype, mode = rng.choice(TYPES)
            place = rng.choice(places)
            start = rng.randint(0, len(text) - 40)
            events.append({"id": f"{report_id}e{e}", "report_id": report_id, "type": etype, "mode": mode,
                           "status": rng.choice(["occurred", "occurred", "ordered"]), "contexts": "|repression|",
                           "topics": "|" + rng.choice(["smuggling", "markets", "foreign_media", "defection"]) + "|",
                           "actor_institutions": "|" + rng.choice(["ministry_of_state_security", "ministry_of_social_security", "border_guards"]) + "|",
                           "actors": [], "recipients": [], "place_id": place.id, "place_text": place.name,
                           "admin1": place.admin1, "precision": place.precision, "basis": "stated",
                           "latitude": place.lat, "longitude": place.lon, "date_start": f"{year}-{month:02d}-01",
                           "date_end": None, "date_granularity": "month", "date_kind": "exact", "date_text": None,
                           "sort_date": f"{year}-{month:02d}-01", "quote": text[start:start + 40], "start": start,
                           "end": start + 40, "evidence": [], "confidence": 0.6})
    with store.engine.begin() as conn:
        rebuild = _drop_secondary_indexes(conn) if store.dialect == "postgresql" else []
        for i in range(0, len(reports), 2000):
            conn.execute(schema.reports.insert(), reports[i:i + 2000])
        for i in range(0, len(events), 5000):
            conn.execute(schema.events.insert(), events[i:i + 5000])
        for definition in rebuild:
            conn.execute(sa.text(definition))
    if store.dialect == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))


def _drop_secondary_indexes(conn) -> list[str]:
    """PostgreSQL: drop the indexes of reports and events other than their keys and return their
    definitions. Building a trigram GIN index once over the loaded rows takes minutes where keeping it
    up to date row by row took an hour at 1,000,000 events; the database searched is the same."""
    rows = conn.execute(sa.text("SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
                                "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename IN ('reports', 'events') "
                                "AND NOT x.indisprimary AND NOT x.indisunique")).all()
    for name, _definition in rows:
        conn.execute(sa.text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in rows]


def _queries(seed: int = 11):
    from undercurrent.store.search import EventFilter

    rng = random.Random(seed)
    queries = []
    for i in range(120):
        kind = i % 4
        if kind == 0:
            queries.append(EventFilter(text=rng.choice(WORDS)))
        elif kind == 1:
            queries.append(EventFilter(text=rng.choice(WORDS), type="COERCE", province=rng.choice(["KP-09", "KP-10", "KP-03"])))
        elif kind == 2:
            queries.append(EventFilter(type=rng.choice(TYPES)[0], since=f"{rng.randint(2010, 2024)}-01"))
        else:
            queries.append(EventFilter(institution="ministry_of_state_security", topic="smuggling", until="2018"))
    return queries


def _p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _latency(store) -> tuple[float, float, int, float, float]:
    """p50 and p95 ms of the mix's first pages, the rows returned, and p50 and p95 of their totals (exact
    when cheap, "about N" when not: what the API answers with each page)."""
    from undercurrent.store.search import count_total, search_events

    timings, totals, rows = [], [], 0
    for f in _queries():
        start = time.perf_counter()
        rows += len(search_events(store, f, limit=50))
        timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        count_total(store, f)
        totals.append((time.perf_counter() - start) * 1000)
    return (*_p50_p95(timings), rows, *_p50_p95(totals))


def _floor(store) -> tuple[float, float]:
    """The text queries' own index lookup, nothing else: the 50 best reports by bm25 straight from FTS5
    (SQLite) or the 50 first by pg_trgm ILIKE (PostgreSQL), p50/p95 ms: the floor of a text search."""
    timings = []
    with store.engine.connect() as conn:
        for f in _queries():
            if not f.text:
                continue
            if store.dialect == "sqlite":
                sql = sa.text("SELECT rowid FROM report_fts WHERE report_fts MATCH :q ORDER BY bm25(report_fts) LIMIT 50")
                params = {"q": f'"{f.text}"'}
            else:
                sql = sa.text("SELECT id FROM reports WHERE text ILIKE :q LIMIT 50")
                params = {"q": f"%{f.text}%"}
            start = time.perf_counter()
            conn.execute(sql, params).all()
            timings.append((time.perf_counter() - start) * 1000)
    return _p50_p95(timings)


# Searches whose deep pages are timed: the default list, a text query, a filter, another sort.
PAGE_SEARCHES = [("all, -date", {}, "-date"), ("text 'phones', -date", {"text": "phones"}, "-date"),
                 ("type=COERCE, date", {"type": "COERCE"}, "date"), ("all, province", {}, "province")]


def _pages(store, label: str, depths: tuple[int, ...] = (2_000, 20_000), rounds: int = 9) -> None:
    """p50 ms of page 1, of the page at each depth by offset, and of the same page by cursor (50 rows)."""
    from undercurrent.store.search import EventFilter, search_events, search_page

    def p50(f: EventFilter, sort: str, **paging) -> float:
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            search_events(store, f, limit=50, sort=sort, **paging)
            timings.append((time.perf_counter() - start) * 1000)
        return statistics.median(timings)

    for name, fields, sort in PAGE_SEARCHES:
        f = EventFilter(**fields)
        figures = [f"page 1 {p50(f, sort):7.1f}"]
        for depth in depths:
            # The cursor of the row before the deep page, as the page before it would have given it.
            cursor = search_page(store, f, limit=50, offset=depth - 50, sort=sort).next
            if cursor is None:
                continue  # the search ends before this depth
            assert [r["id"] for r in search_events(store, f, limit=50, offset=depth, sort=sort)] == \
                [r["id"] for r in search_events(store, f, limit=50, after=cursor, sort=sort)]
            figures.append(f"offset {depth:,} {p50(f, sort, offset=depth):7.1f}  after {p50(f, sort, after=cursor):6.1f}")
        print(f"  {label:<11} {name:<22} " + "   ".join(figures))


def _ingest_rate(store) -> tuple[int, float]:
    from undercurrent.collect import ingest_items
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.ingest.items import iter_items

    dev = ROOT.parent / "shared" / "eval" / "dev"
    extractor = default_extractor()
    list(extractor.extract_many([]))
    start = time.perf_counter()
    summary = ingest_items(iter_items([str(dev)]), store, extractor)
    return summary.stored, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("UNDERCURRENT_BENCH_POSTGRES_URL"))
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest rate (search only)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep the generated databases and reuse them when they exist")
    parser.add_argument("--pages", action="store_true",
                        help="time deep pages by offset and by cursor (p50 ms) instead of the query mix")
    args = parser.parse_args()
    from undercurrent.store.db import open_store

    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_ingest:
            store = open_store(url=f"sqlite:///{tmp}/ingest.db")
            stored, seconds = _ingest_rate(store)
            print(f"ingest (extract + store, SQLite): {stored} dev reports in {seconds:.2f} s = {stored / seconds:.1f} reports/s")
            store.close()

        sqlite_path = (args.keep / f"search-{args.events}.db") if args.keep else Path(tmp) / "search.db"
        targets = [("SQLite", f"sqlite:///{sqlite_path}", sqlite_path.exists())]
        if args.postgres:
            name = f"bench_keep_{args.events}" if args.keep else "bench_" + uuid.uuid4().hex[:8]
            admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
                if not exists:
                    conn.execute(sa.text(f"CREATE DATABASE {name}"))
            targets.append(("PostgreSQL", args.postgres.rsplit("/", 1)[0] + "/" + name, bool(exists)))
        else:
            print("PostgreSQL: skipped (give --postgres URL or set UNDERCURRENT_BENCH_POSTGRES_URL)", file=sys.stderr)
        print(f"search over {args.events:,} generated events, 120 queries (text, text+filters, filters), limit 50:")
        for label, url, reuse in targets:
            store = open_store(url=url)
            start = time.perf_counter()
            if not reuse:
                _generate(store, args.events)
            load = time.perf_counter() - start
            if args.pages:
                print(f"  {label:<11} load {load:6.1f} s; p50 ms of 50 rows:")
                _pages(store, label)
                store.close()
                continue
            p50, p95, rows, total50, total95 = _latency(store)
            print(f"  {label:<11} load {load:6.1f} s{' (kept)' if reuse else ''}   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
                  f"({rows} rows returned); totals p50 {total50:7.1f} ms   p95 {total95:7.1f} ms")
            floor50, floor95 = _floor(store)
            print(f"  {label:<11} floor (the text queries' index lookup alone): p50 {floor50:7.1f} ms   p95 {floor95:7.1f} ms")
            store.close()
        if args.postgres and not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE {name}"))


if __name__ == "__main__":
    main()
