"""Where the invented corroboration gold lives (reports written for the tests, see its gold.json), and rows of
one generated report and event for the tests of corroboration at save."""
from __future__ import annotations

import random
from datetime import date, timedelta

from fixture_paths import ROOT
from undercurrent.store import clusters, schema

GOLD = ROOT / "tests" / "fixtures" / "corroboration"
HELDOUT = ROOT / "tests" / "fixtures" / "corroboration_heldout"
DEV2 = ROOT / "tests" / "fixtures" / "corroboration_dev2"

TEXT = ("Border guards in the northern county arrested a group of traders who carried phones across the river "
        "at night, and the security office questioned their families about the money they had been paid, "
        "a source in the province said this week.")


def event_rows(n: int, *, day: date, place: str = "KP-09", precision: int = 2, published: str | None = None,
               text: str | None = None, quote: str | None = None) -> tuple[dict, dict]:
    """One report and its one event (COERCE arrest by border guards in KP-09), written directly, without
    extraction, as bench/cluster_speed.py does."""
    rid = f"r{n:05d}"
    report = {"id": rid, "url": f"https://example.test/{rid}", "outlet": f"Outlet {n % 5}", "title": rid,
              "published": published or (day + timedelta(days=3)).isoformat(), "language": "en",
              "text": text or f"{TEXT} Report number {n} of a distinct story {n * 7919 % 10007}.",
              "content_sha256": rid, "original": b"", "original_sha256": rid,
              "ingested_at": f"2026-12-06T00:00:{n % 60:02d}+00:00"}
    quote = quote or f"story {n} arrested"
    event = {"id": f"{rid}e0", "report_id": rid, "type": "COERCE", "mode": "arrest", "status": "occurred",
             "contexts": "|", "topics": "|", "actor_institutions": "|border_guards|", "actors": [], "recipients": [],
             "place_id": place, "place_text": place, "admin1": "KP-09", "precision": precision, "basis": "stated",
             "latitude": None, "longitude": None, "date_start": day.isoformat(), "date_end": None,
             "date_granularity": "day", "date_kind": "exact", "date_text": None, "sort_date": day.isoformat(),
             "arrested": None, "dead": None, "injured": None, "quote": quote, "start": 0, "end": len(quote),
             "evidence": [], "confidence": 0.8}
    return report, event


def save_rows(store, report: dict, event: dict) -> None:
    """Store the rows and corroborate the report in one transaction, as a save does."""
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), [report])
        conn.execute(schema.events.insert(), [event])
        clusters.update_report(conn, report["id"], text=report["text"])


PLACES = [("KP-09", "KP-09", 2), ("KP-09-hyesan", "KP-09", 4), ("KP-09-x1", "KP-09", 5), ("KP-09-x2", "KP-09", 4),
          ("KP-04", "KP-04", 2), ("KP-04-y", "KP-04", 4), (None, None, None)]


def dense_rows(n: int, seed: int = 3) -> list[tuple[dict, dict]]:
    """Records of two types, mixed statuses, modes, places and date granularities, many on one day (ties
    of date broken by id), a few rejected."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2020, 5, 1) + timedelta(days=rng.randrange(40))
        place, admin1, precision = rng.choice(PLACES)
        report, event = event_rows(i, day=day)
        granularity = rng.choice(["day", "day", "month", "unknown"])
        start = day.isoformat() if granularity == "day" else day.isoformat()[:7] if granularity == "month" else None
        event.update(type=rng.choice(["COERCE", "COERCE", "ASSAULT"]), mode=rng.choice(["arrest", "seize", None, ""]),
                     status=rng.choice(["occurred", "occurred", "ordered", "negated"]), place_id=place, admin1=admin1,
                     precision=precision, date_start=start, date_granularity=granularity,
                     sort_date=start or report["published"],
                     review_status=schema.REJECTED if rng.random() < 0.05 else schema.PENDING)
        rows.append((report, event))
    return rows
