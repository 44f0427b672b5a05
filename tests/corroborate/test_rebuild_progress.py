"""`cluster --rebuild` takes about an hour at a million reports: it tells how it goes (store/clusters.py)."""
from __future__ import annotations

from datetime import date

from corroboration_support import TEXT, event_rows
from undercurrent.store import clusters, schema


def test_the_rebuild_tells_what_it_signed_marked_and_clustered(store):
    rows = [event_rows(k, day=date(2020, 5, 1), text=TEXT if k < 2 else " ".join(f"w{k}n{j}" for j in range(40)))
            for k in range(5)]
    with store.engine.begin() as conn:  # stored without corroboration, as a first load does
        conn.execute(schema.reports.insert(), [report for report, _ in rows])
        conn.execute(schema.events.insert(), [event for _, event in rows])
    heard: list[str] = []
    figures = clusters.rebuild(store, progress=heard.append)
    assert heard[0] == "signed 5 of 5 reports"
    assert heard[1] == "reports marked as reprints: 1"
    assert heard[2].startswith("COERCE: 5 records, ") and heard[2].endswith(f"{figures['clusters']:,} clusters")
    assert len(heard) == 3
