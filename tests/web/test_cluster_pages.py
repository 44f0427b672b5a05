"""Clusters through the API and the pages: reading, the event page, merge and split with roles and CSRF."""
from __future__ import annotations

import re

import pytest

from corroboration_support import GOLD


@pytest.fixture()
def gold_ids(app_store, extractor):
    from undercurrent.evaluate.corroboration import ingest_gold_reports, read_gold

    return ingest_gold_reports(app_store, read_gold(GOLD)[0], extractor)


def first_event(client, report_id: str) -> str:
    return client.get(f"/api/reports/{report_id}").json()["events"][0]["id"]


def test_cluster_api_and_event_page(client_for, gold_ids):
    client = client_for("vic")
    listing = client.get("/api/clusters", params={"min_reports": 2}).json()
    assert listing["total"] == 4 and listing["clusters"][0]["n_outlets"] >= listing["clusters"][-1]["n_outlets"]
    disputed = client.get("/api/clusters", params={"min_reports": 2, "disputed": True}).json()["clusters"]
    assert disputed and all(c["disagreements"] for c in disputed)
    event = first_event(client, gold_ids["a1"])
    cluster = client.get(f"/api/events/{event}/cluster").json()
    assert (cluster["n_reports"], cluster["n_outlets"], cluster["n_reprints"]) == (4, 3, 1)
    # the event page: every report of the event side by side, with its quote; the reprint is marked
    page = client.get(f"/events/{event}/cluster")
    assert page.status_code == 200 and page.url.path == f"/clusters/{cluster['id']}"
    assert len(re.findall(r'<article class="card mention', page.text)) == len(cluster["mentions"]) == 4
    assert page.text.count("reprint of") == 1 and "Where the reports disagree" in page.text
    for mention in cluster["mentions"]:
        assert mention["quote"] in page.text
    assert client.get(f"/clusters/{cluster['id']}.json").json()["cluster"]["id"] == cluster["id"]
    assert "split-form" not in page.text  # a viewer sees no reviewer forms
    assert client.get("/clusters").status_code == 200
    assert client.get("/api/clusters/nope").status_code == 404
    # events list rows link to their cluster when several reports tell the event
    assert f'href="/clusters/{cluster["id"]}" class="corroboration">4 reports, 3 outlets' in client.get(
        "/events", params={"place": "kp-10-hyesan"}).text


def test_merge_and_split_need_a_reviewer_and_are_audited(client_for, gold_ids):
    viewer, reviewer, admin = client_for("vic"), client_for("rey"), client_for("ada")
    a = viewer.get(f"/api/events/{first_event(viewer, gold_ids['a1'])}/cluster").json()
    other = viewer.get(f"/api/events/{first_event(viewer, gold_ids['l8'])}/cluster").json()
    assert viewer.post("/api/clusters/merge", json={"cluster_ids": [a["id"], other["id"]]}).status_code == 403
    merged = reviewer.post("/api/clusters/merge", json={"cluster_ids": [a["id"], other["id"]]})
    assert merged.status_code == 200 and merged.json()["n_reports"] == 5
    moved = [m["id"] for m in merged.json()["mentions"] if m["report_id"] == gold_ids["l8"]]
    split = reviewer.post(f"/api/clusters/{a['id']}/split", json={"event_ids": moved}).json()
    assert split["cluster"]["n_reports"] == 4 and split["new"]["n_reports"] == 1
    assert reviewer.post(f"/api/clusters/{a['id']}/split", json={"event_ids": ["x"]}).status_code == 400
    entries = admin.get("/api/audit").json()
    actions = [e["action"] for e in entries.get("entries", entries.get("audit", []))]
    assert "cluster:merge" in actions and "cluster:split" in actions


def test_split_form_needs_csrf(client_for, gold_ids):
    reviewer = client_for("rey")
    cluster = reviewer.get(f"/api/events/{first_event(reviewer, gold_ids['b1'])}/cluster").json()
    one = cluster["mentions"][-1]["id"]
    del reviewer.headers["X-CSRF-Token"]
    refused = reviewer.post(f"/clusters/{cluster['id']}/split", data={"event_ids": [one]}, follow_redirects=False)
    assert refused.status_code == 403
    page = reviewer.get(f"/clusters/{cluster['id']}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = reviewer.post(f"/clusters/{cluster['id']}/split", data={"event_ids": [one], "csrf_token": token},
                         follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/clusters/r")


def test_map_and_timeline_count_events_or_reports(client_for, gold_ids):
    client = client_for("vic")
    params = {"type": "COERCE", "mode": "deport", "province": "KP-03"}
    by_events = client.get("/timeline.json", params=params).json()["months"]
    by_reports = client.get("/timeline.json", params={**params, "count": "reports"}).json()["months"]
    assert [m["events"] for m in by_events] == [1] and [m["events"] for m in by_reports] == [2]
    provinces = {p["id"]: p["events"] for p in client.get("/map.json", params=params).json()["provinces"]}
    assert provinces["KP-03"] == 1
    assert client.get("/api/stats", params={**params, "count": "reports"}).json()["type"][0]["events"] == 2
    assert client.get("/api/stats", params={"count": "articles"}).status_code == 400
