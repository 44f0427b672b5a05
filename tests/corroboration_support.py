"""Where the invented corroboration gold lives (reports written for the tests, see its gold.json), and rows of
one generated report and event for the tests of corroboration at save."""
from __future__ import annotations

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
