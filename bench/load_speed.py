"""Loading speed: seconds per 1,000 reports saved as the store grows (the loader after `batch`).

    python bench/load_speed.py [--reports N] [--step 1000] [--postgres URL] [--bulk [--deferred]] [--reprinted]
    python bench/load_speed.py --probe 1000,10000,100000,1000000 [--step 1000] [--postgres URL] [--keep DIR]
    python bench/load_speed.py --compare STORE,STORE,... [--step 1000] [--rounds 5] --per-day 50

Records are extracted once from 60 texts this script writes (a few templates with varied places,
numbers and dates), then saved as N distinct reports with `store.records.save`, one transaction per
report as ingest of files does; `--bulk`: `save_many` in transactions of --step reports, as
`ingest --records` does into a store that has reports; `--bulk --deferred`: its first-load path into an
empty store, corroboration once at the end. Prints each step's seconds, so a curve that rises shows a
statement that grows with the store.

`--probe`: the curve at sizes no one loads one report at a time in a bench run. The store grows to each
size by the first-load path (`save_many` without corroboration, then `cluster --rebuild`), then --step
reports are saved one per transaction, as above, and timed (after the system has written the rebuild
to disk): seconds per 1,000 reports at 1,000, 10,000, ... reports already stored.

`--compare`: stores kept by --probe (SQLite files or database URLs), the first the reference, each saving
the same --step reports in --rounds blocks taken in turn, so a machine that is busier or slower at one moment
weighs on every store alike: seconds per 1,000 in each and the ratio to the reference, measured in one run.

Each copy is a distinct story, as in an archive: its words are replaced one for one by made-up words
of the same length (so offsets stay right and no two copies share wording), its events moved to a
place drawn from the gazetteer and to a day within twenty years (`--per-day N`: in the order published,
N stories a day, so a larger store is a longer archive, not a denser one); 5% of copies are reprints of the
copy before (same words, place and dates). Corroboration, which runs at every save, then meets the
density of a real store rather than one story told N times. `--reprinted` keeps every copy's words
(every copy a reprint of its base: the worst case, a story printed thousands of times).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
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


# Copies are spread over twenty years: an archive's events are not all of one year, and corroboration
# (run at save) compares a record with those of its type, province and date window.
SPREAD_DAYS = 7300
REPRINT_SHARE = 0.05
_WORD = re.compile(r"[A-Za-z]{3,}")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _shift(value: str | None, days: int) -> str | None:
    """An ISO date (day, month or year precision) moved by `days`, kept at its precision."""
    if not value:
        return value
    parts = value.split("-")
    day = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return (day + timedelta(days=days)).isoformat()[: len(value)]


def _made_up(word: str, key: int) -> str:
    digest = hashlib.blake2b(f"{key}/{word.lower()}".encode(), digest_size=16).digest()
    letters = "".join(_LETTERS[b % 26] for b in digest) * (len(word) // 16 + 1)
    return letters[: len(word)].capitalize() if word[0].isupper() else letters[: len(word)]


def _reword(text: str, key: int) -> str:
    """Every word of three letters or more replaced by a made-up word of its length (the same word
    gives the same made-up word within one story, so quotes still match the text)."""
    return _WORD.sub(lambda m: _made_up(m.group(), key), text)


class Copier:
    """Distinct stories (or reprints) made from the extracted base records."""

    def __init__(self, base, *, reprinted: bool, per_day: int | None = None) -> None:
        from undercurrent.kb import load_kb

        self.base, self.reprinted, self.per_day = base, reprinted, per_day
        self.places = sorted((p for p in load_kb().gazetteer.places.values() if not p.is_province and p.lat is not None),
                             key=lambda p: p.id)

    def copy(self, i: int):
        """Report i: a new story, or a reprint of report i - 1 (same words, place and dates)."""
        story = i - 1 if i and random.Random(i).random() < REPRINT_SHARE else i
        records = self.base[story % len(self.base)]
        rng = random.Random(story * 7919)
        # An archive loaded in the order it was published: `per_day` stories a day, from twenty years back.
        days = -rng.randrange(SPREAD_DAYS) if self.per_day is None else story // self.per_day - SPREAD_DAYS
        place = rng.choice(self.places)
        reword = (lambda t: t) if self.reprinted else (lambda t: _reword(t, story))
        text = reword(records.report.text) + f" [{i}]"
        report = records.report.model_copy(update={
            "id": hashlib.sha256(f"{records.report.id}/{i}".encode()).hexdigest()[:32], "text": text,
            "published": _shift(records.report.published, days), "outlet": f"Bench Wire {i % 7}",
            "content_sha256": hashlib.sha256(text.encode()).hexdigest()})
        events = [self._event(ev, days, place, reword) for ev in records.events]
        rest = {name: [x.model_copy(update={"evidence": x.evidence.model_copy(update={"quote": reword(x.evidence.quote)})})
                       for x in getattr(records, name)] for name in ("observations", "sources")}
        return records.model_copy(update={"report": report, "events": events, **rest})

    def _event(self, ev, days: int, place, reword):
        where = ev.place
        if where.id and not self.reprinted:
            broad = (where.precision or 0) <= 2
            where = where.model_copy(update={"id": place.admin1 if broad else place.id, "admin1": place.admin1,
                                             "precision": where.precision if broad else place.precision,
                                             "text": reword(where.text or "")})
        return ev.model_copy(update={
            "place": where, "date": ev.date.model_copy(update={"start": _shift(ev.date.start, days), "end": _shift(ev.date.end, days)}),
            "evidence": [x.model_copy(update={"quote": reword(x.quote)}) for x in ev.evidence]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--step", type=int, default=1_000)
    parser.add_argument("--postgres", default=os.environ.get("UNDERCURRENT_BENCH_POSTGRES_URL"))
    parser.add_argument("--bulk", action="store_true", help="save_many in transactions of --step reports")
    parser.add_argument("--reprinted", action="store_true", help="every copy keeps its base's words (reprints)")
    parser.add_argument("--per-day", type=int, help="stories published in order, this many a day (the density "
                                                    "stays the same as the store grows), not spread over twenty years")
    parser.add_argument("--deferred", action="store_true",
                        help="with --bulk: the first-load path, corroboration once at the end (cluster --rebuild)")
    parser.add_argument("--probe", help="sizes (comma-separated): grow by the first-load path, time --step saves at each")
    parser.add_argument("--keep", help="with --probe on SQLite: build the store in this folder and keep it, with a copy "
                                       "at each size but the last (load-SIZE.db, for --compare); on PostgreSQL (any "
                                       "value): keep the database (its URL is printed), else it is dropped")
    parser.add_argument("--compare", help="kept stores (SQLite files or URLs), the first the reference: the same saves "
                                          "into each, in blocks taken in turn")
    parser.add_argument("--rounds", type=int, default=5, help="with --compare: blocks per store")
    parser.add_argument("--statements", action="store_true",
                        help="with --compare: milliseconds a save spends in each kind of statement, per store "
                             "(which statement grows with the store)")
    parser.add_argument("--first", type=int, default=5_000_000,
                        help="with --compare: the number of the first copy saved (a second comparison of the same "
                             "stores needs new ones: a copy already stored is not saved again)")
    args = parser.parse_args()

    from undercurrent.kb import load_kb
    from undercurrent.store import records as saving
    from undercurrent.store.db import open_store

    copier = Copier(_records(60), reprinted=args.reprinted, per_day=args.per_day)
    kb = load_kb()
    if args.compare:
        _compare(args.compare.split(","), copier, kb, args.step, args.rounds, args.first,
                 statements=args.statements)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            name = "load_" + uuid.uuid4().hex[:8]
            admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f"CREATE DATABASE {name}"))
            url, label = args.postgres.rsplit("/", 1)[0] + "/" + name, "PostgreSQL"
        else:
            url, label = f"sqlite:///{tmp}/load.db", "SQLite"
        if args.keep and not args.postgres:
            os.makedirs(args.keep, exist_ok=True)
            url = f"sqlite:///{args.keep}/load.db"
        store = open_store(url=url, loading=True)
        try:
            if args.probe:
                snapshots = args.keep if args.keep and not args.postgres else None
                _probe(store, copier, kb, [int(x) for x in args.probe.split(",")], args.step, label, snapshots)
                return
            print(f"{label}: {args.reports:,} reports, seconds per {args.step:,} ({'bulk' if args.bulk else 'one per transaction'})")
            done = 0
            while done < args.reports:
                batch = [copier.copy(done + k) for k in range(args.step)]
                start = time.perf_counter()
                if args.bulk:
                    saving.save_many(store, [(r, r.report.text.encode(), "text/plain") for r in batch], kb=kb,
                                     corroborate=not args.deferred)
                else:
                    for records in batch:
                        saving.save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
                done += args.step
                print(f"  {done:>9,} {time.perf_counter() - start:8.2f} s", flush=True)
            if args.deferred:
                from undercurrent.store.clusters import rebuild

                start = time.perf_counter()
                figures = rebuild(store)
                print(f"  corroboration once at the end (cluster --rebuild): {time.perf_counter() - start:.1f} s {figures}")
        finally:
            store.close()
            if args.postgres and args.keep:
                print(f"kept: {url}")
            elif args.postgres:  # a bench database left behind is gigabytes on the server
                with admin.connect() as conn:
                    conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def _probe(store, copier, kb, sizes: list[int], step: int, label: str, snapshots: str | None = None) -> None:
    """`snapshots`: a folder; the store is copied there at each size but the last, as grown and rebuilt,
    before the timed saves (so one growth to a million also gives the smaller stores --compare needs)."""
    from undercurrent.store import records as saving
    from undercurrent.store.clusters import rebuild

    print(f"{label}: seconds per {step:,} reports saved one per transaction, at each size (grown by the first-load path)")
    done = 0
    for size in sizes:
        start = time.perf_counter()
        while done < size:
            count = min(10_000, size - done)
            batch = [copier.copy(done + k) for k in range(count)]
            saving.save_many(store, [(r, r.report.text.encode(), "text/plain") for r in batch], kb=kb, corroborate=False)
            done += count
            if done // 100_000 > (done - count) // 100_000:  # growing a million takes over an hour
                print(f"    grown to {done:,} in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        figures = rebuild(store, progress=lambda line: print(f"    rebuild: {line}", file=sys.stderr, flush=True))
        rebuilt = time.perf_counter() - start
        if snapshots and size != sizes[-1]:
            _snapshot(store, os.path.join(snapshots, f"load-{size}.db"))
        batch = [copier.copy(done + k) for k in range(step)]
        # The rebuild leaves gigabytes for the system to write back; timed while it does, the first saves
        # would measure the rebuild's writes, not their own.
        os.sync()
        start = time.perf_counter()
        for records in batch:
            saving.save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
        saved = time.perf_counter() - start
        done += step
        print(f"  at {size:>9,}: {saved:8.2f} s per {step:,} saved   (grown in {loaded:.1f} s, rebuild {rebuilt:.1f} s: "
              f"{figures['events']:,} events, {figures['clusters']:,} clusters)", flush=True)


def _snapshot(store, path: str) -> None:
    """A file copy, not VACUUM INTO: a compacted copy would save faster than the store it stands for."""
    import shutil

    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        source = conn.exec_driver_sql("PRAGMA database_list").fetchone()[2]
        shutil.copyfile(source, path)
    print(f"    kept a copy at this size: {path}", file=sys.stderr, flush=True)


_KIND = re.compile(r"^\s*(INSERT(?: OR \w+)? INTO|UPDATE|DELETE FROM|SELECT\b.*?\bFROM)\s+\(?\s*(\w+)", re.S | re.I)


def _kind(statement: str) -> str:
    """A statement's verb and first table ("SELECT events", "INSERT report_bands")."""
    found = _KIND.match(statement)
    if found is None:
        return statement.split(None, 1)[0].upper() if statement.strip() else "?"
    table = found.group(2)
    return f"{found.group(1).split()[0].upper()} {'(subquery)' if table.upper() == 'SELECT' else table}"


def _read_bytes() -> int:
    """Bytes this thread has had read from the disk (not from the page cache): the store's checkpoints run
    on a thread of their own, and their reads are not a save's."""
    try:
        with open("/proc/thread-self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("read_bytes:"))
    except (OSError, StopIteration):  # not Linux, or no task accounting: no figure
        return 0


class StatementClock:
    """Seconds spent in each kind of statement on one engine (cursor time: the database's work and the
    driver's, not SQLAlchemy's), and the bytes each read from the disk."""

    def __init__(self, engine: sa.Engine) -> None:
        self.spent: dict[str, float] = {}
        self.read: dict[str, int] = {}
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)
        # A commit is no cursor statement and has no "after" event: the dialect's own call is timed.
        commit = engine.dialect.do_commit

        def timed_commit(dbapi_connection) -> None:
            started, read = time.perf_counter(), _read_bytes()
            commit(dbapi_connection)
            self.spent["COMMIT"] = self.spent.get("COMMIT", 0.0) + time.perf_counter() - started
            self.read["COMMIT"] = self.read.get("COMMIT", 0) + _read_bytes() - read

        engine.dialect.do_commit = timed_commit  # type: ignore[method-assign]

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["statement_started"] = time.perf_counter(), _read_bytes()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        kind = _kind(statement)
        started, read = conn.info.pop("statement_started")
        self.spent[kind] = self.spent.get(kind, 0.0) + time.perf_counter() - started
        self.read[kind] = self.read.get(kind, 0) + _read_bytes() - read


def _print_statements(names: list[str], clocks: list[StatementClock], spent: list[float], read: list[int],
                      saves: int) -> None:
    """Milliseconds and KB read from the disk per save, each kind of statement (rows a SELECT yields after
    its first are stepped outside the cursor's time: that reading counts in "the whole save")."""
    kinds = sorted({k for c in clocks for k in c.spent}, key=lambda k: -max(c.spent.get(k, 0.0) for c in clocks))
    print("a save's milliseconds per kind of statement (cursor time) and in commits, each store; the rest is Python;")
    print("then KB it read from the disk")
    print("  " + " " * 28 + "".join(f"{n[-14:]:>15}{'KB':>7}" for n in names))
    for kind in kinds[:25]:
        print(f"  {kind[:28]:<28}" + "".join(f"{c.spent.get(kind, 0.0) * 1000 / saves:15.2f}"
                                           f"{c.read.get(kind, 0) / 1024 / saves:7.0f}" for c in clocks))
    print(f"  {'statements and commits':<28}" + "".join(f"{sum(c.spent.values()) * 1000 / saves:15.2f}"
                                                         f"{sum(c.read.values()) / 1024 / saves:7.0f}" for c in clocks))
    print(f"  {'the whole save':<28}" + "".join(f"{s * 1000 / saves:15.2f}{r / 1024 / saves:7.0f}"
                                                 for s, r in zip(spent, read, strict=True)))


def _compare(stores: list[str], copier, kb, step: int, rounds: int, first: int, *, statements: bool = False) -> None:
    """`first`: numbered past any store --probe builds, so each copy is a new report in every store."""
    from undercurrent.store import records as saving
    from undercurrent.store.db import open_store

    # As `ingest` opens them: a large SQLite file is read unmapped (store/db.py mapped_size).
    opened = [open_store(url=s if "://" in s else f"sqlite:///{s}", loading=True) for s in stores]
    counts = []
    for store in opened:
        with store.engine.connect() as conn:
            counts.append(conn.execute(sa.text("SELECT count(*) FROM reports")).scalar())
    block = step // rounds
    spent, read = [0.0] * len(opened), [0] * len(opened)
    clocks = [StatementClock(store.engine) for store in opened] if statements else []
    for r in range(rounds):
        batch = [copier.copy(first + r * block + k) for k in range(block)]
        for i, store in enumerate(opened):
            os.sync()
            start, before = time.perf_counter(), _read_bytes()
            for records in batch:
                saving.save(store, records, original=records.report.text.encode(), media_type="text/plain", kb=kb)
            spent[i] += time.perf_counter() - start
            read[i] += _read_bytes() - before
    print(f"seconds per 1,000 reports saved one per transaction, the same {block * rounds:,} into each store in {rounds} "
          f"blocks taken in turn (first: the reference)")
    for name, count, seconds in zip(stores, counts, spent, strict=True):
        per_thousand = seconds * 1000 / (block * rounds)
        print(f"  {count:>9,} reports ({name}): {per_thousand:6.2f} s   {seconds / spent[0]:.2f}x the reference", flush=True)
    if clocks:
        _print_statements([f"{c:,}" for c in counts], clocks, spent, read, block * rounds)
    for store in opened:
        store.close()


if __name__ == "__main__":
    main()
