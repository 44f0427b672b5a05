"""The workbench's queries on SQLite and on a real PostgreSQL: the same answers from the same sample."""
from __future__ import annotations

import csv
import io

from workbench_support import sample_client


def test_workbench_answers_the_same_on_both_databases(store, extractor):
    client = sample_client(store, extractor, "ada")

    assert client.get("/api/events").json()["total"] == 27  # the bundled samples (27 since a later mention restating an arrest joins it)
    assert client.get("/api/search", params={"q": "brothels"}).json()["total"] == 8  # the seed report's events
    assert client.get("/api/search", params={"q": "장마당"}).json()["total"] >= 1
    provinces = {p["id"]: p["events"] for p in client.get("/api/provinces").json()["provinces"]}
    assert provinces["KP-09"] == 10 and provinces["KP-10"] >= 3
    stats = client.get("/api/stats").json()
    assert {m["month"] for m in stats["month_type"]} >= {"2025-09", "2026-03"}
    assert any(p["place_id"] == "kp-10-hyesan" for p in stats["places"])
    timeline = client.get("/timeline.json").json()
    assert any(s["item"] == "rice" and s["points"] >= 5 for s in timeline["series"])
    sorted_types = [e["type"] for e in client.get("/api/events", params={"sort": "type", "limit": 500}).json()["events"]]
    assert sorted_types == sorted(sorted_types)

    event = client.get("/api/events", params={"province": "KP-09", "limit": 1}).json()["events"][0]
    edited = client.post(f"/api/events/{event['id']}/review",
                         json={"status": "edited", "changes": {"place_id": "kp-09-chongjin", "status": "ordered"}})
    assert edited.status_code == 200 and edited.json()["reviewed_by"] == "ada"
    audit = client.get("/api/audit", params={"record_id": event["id"]}).json()["entries"]
    assert audit[0]["before"]["status"] == event["status"] and audit[0]["after"]["place_id"] == "kp-09-chongjin"
    assert client.get("/review.json").json()["paging"]["total"] == 26
    rows = list(csv.DictReader(io.StringIO(client.get("/api/exports/csv").text)))
    assert len(rows) == 27 and sum(r["review_status"] == "edited" for r in rows) == 1
