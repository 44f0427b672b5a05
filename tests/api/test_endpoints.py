"""What each API endpoint returns, on the sample ingested with the real pipeline."""
from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import sqlalchemy as sa

from undercurrent.store import schema


def first_event(client, **params):
    return client.get("/api/events", params={"limit": 1, **params}).json()["events"][0]


def test_reports_list_detail_and_original(client_for):
    client = client_for("vic")
    listing = client.get("/api/reports").json()
    assert listing["total"] == 7 and len(listing["reports"]) == 7
    seed = next(r for r in listing["reports"] if r["outlet"] == "Daily NK")
    report = client.get(f"/api/reports/{seed['id']}").json()
    assert "Ministry of People" in report["text"]
    assert {e["type"] for e in report["events"]} >= {"COERCE"}
    assert all(report["text"][e["start"]:e["end"]] == e["quote"] for e in report["events"])
    assert isinstance(report["events"][0]["topics"], list)  # "|a|b|" columns come out as lists
    original = client.get(f"/api/reports/{seed['id']}/original")
    assert original.status_code == 200 and original.content.decode("utf-8").strip() == report["text"].strip()
    assert client.get("/api/reports/nope").status_code == 404
    assert [r["id"] for r in client.get("/api/reports", params={"q": "brothels"}).json()["reports"]] == [seed["id"]]
    assert client.get("/api/reports", params={"q": "장마당"}).json()["total"] == 1


def test_events_filters_sort_and_paging(client_for):
    client = client_for("vic")
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] == len(everything["events"]) > 20
    hamgyong = client.get("/api/events", params={"province": "KP-09", "limit": 500}).json()
    assert 0 < hamgyong["total"] < everything["total"]
    assert {e["admin1"] for e in hamgyong["events"]} == {"KP-09"}
    arrests = client.get("/api/events", params={"type": "COERCE", "mode": "arrest"}).json()["events"]
    assert arrests and all(e["mode"] == "arrest" for e in arrests)
    dates = [e["sort_date"] for e in client.get("/api/events", params={"sort": "date", "since": "2025"}).json()["events"]]
    assert dates == sorted(dates)
    page2 = client.get("/api/events", params={"limit": 5, "offset": 5}).json()["events"]
    assert [e["id"] for e in page2] == [e["id"] for e in everything["events"][5:10]]
    ko = client.get("/api/events", params={"language": "ko"}).json()
    assert ko["total"] >= 1
    assert client.get("/api/events", params={"since": "last year"}).status_code == 400
    assert client.get("/api/events", params={"sort": "colour"}).status_code == 400
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


def test_search_is_full_text_in_english_and_korean(client_for):
    client = client_for("vic")
    hits = client.get("/api/search", params={"q": "brothels"}).json()
    assert hits["total"] > 0 and all(e["outlet"] == "Daily NK" for e in hits["events"])
    assert client.get("/api/search", params={"q": "장마당"}).json()["total"] > 0
    assert client.get("/api/search", params={"q": "zzzxq"}).json()["total"] == 0


def test_observations_and_sources(client_for):
    viewer, admin = client_for("vic"), client_for("ada")
    rice = viewer.get("/api/observations", params={"kind": "price", "item": "rice"}).json()
    assert rice["total"] >= 5 and all(o["currency"] == "KPW" for o in rice["observations"])
    one = viewer.get(f"/api/observations/{rice['observations'][0]['id']}").json()
    assert one["value"] == rice["observations"][0]["value"]
    sources = admin.get("/api/sources", params={"kind": "in_country_anonymous"}).json()
    assert sources["total"] > 0 and all(s["kind"] == "in_country_anonymous" for s in sources["sources"])


def test_places_provinces_boundaries_institutions(client_for):
    client = client_for("vic")
    places = client.get("/api/places", params={"province": "KP-09"}).json()["places"]
    assert any(p["id"] == "kp-09-chongjin" for p in places) and all(p["admin1"] == "KP-09" for p in places)
    assert client.get("/api/places", params={"q": "혜산"}).json()["total"] >= 1
    hyesan = client.get("/api/places/kp-10-hyesan").json()
    assert hyesan["name"] == "Hyesan" and hyesan["events"] >= 1
    provinces = {p["id"]: p["events"] for p in client.get("/api/provinces").json()["provinces"]}
    assert provinces["KP-09"] > 0 and provinces["KP-01"] == 0
    shapes = client.get("/api/boundaries").json()
    assert shapes["type"] == "FeatureCollection" and len(shapes["features"]) == 13
    mss = client.get("/api/institutions/ministry_of_state_security").json()
    assert mss["sector"] == "SPY" and mss["events"] >= 1
    assert client.get("/api/institutions").json()["total"] > 10
    assert client.get("/api/places/kp-99-nowhere").status_code == 404


def test_stats_follow_filters(client_for):
    client = client_for("vic")
    everything = client.get("/api/stats").json()
    assert everything["reports"] == 7
    assert sum(row["events"] for row in everything["type"]) == client.get("/api/events").json()["total"]
    coerce = client.get("/api/stats", params={"type": "COERCE"}).json()
    assert [row["key"] for row in coerce["type"]] == ["COERCE"]
    assert any(p["place_id"] == "kp-10-hyesan" for p in everything["places"])


def test_exports_in_every_format(client_for, app_store):
    client = client_for("vic")
    csv_text = client.get("/api/exports/csv", params={"province": "KP-09"}).text
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("event_id,event_date") and rows
    plover = client.get("/api/exports/plover").text.strip().splitlines()
    assert all(json.loads(line)["event"] for line in plover)
    geo = client.get("/api/exports/geojson").json()
    assert geo["type"] == "FeatureCollection"
    table = pq.read_table(io.BytesIO(client.get("/api/exports/parquet").content))
    assert table.num_rows == len(plover)
    assert "source" not in csv_text.split("\n")[0].split(",")[-3:]  # no descriptors without include_sources
    with app_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log)
                            .where(schema.audit_log.c.action == "export:sources")).scalar_one() == 0


def test_export_with_sources_is_admin_only_and_audited(client_for, app_store):
    response = client_for("ada").get("/api/exports/plover", params={"include_sources": "true"})
    assert response.status_code == 200
    assert any(json.loads(line).get("sources") for line in response.text.splitlines())
    with app_store.engine.connect() as conn:
        entry = conn.execute(sa.select(schema.audit_log).where(schema.audit_log.c.action == "export:sources")).mappings().one()
    assert entry["actor"] == "ada"


def test_review_through_the_api_records_who_when_and_the_audit(client_for, app_store):
    client = client_for("rey")
    event = first_event(client, province="KP-09")
    response = client.post(f"/api/events/{event['id']}/review",
                           json={"status": "edited", "changes": {"status": "ordered", "place_id": "kp-09-chongjin"}})
    assert response.status_code == 200
    after = response.json()
    assert after["review_status"] == "edited" and after["reviewed_by"] == "rey" and after["reviewed_at"]
    assert after["place_id"] == "kp-09-chongjin" and after["status"] == "ordered"
    log = client_for("ada").get("/api/audit", params={"record_id": event["id"]}).json()["entries"]
    assert log[0]["actor"] == "rey" and log[0]["before"]["status"] == event["status"] and log[0]["after"]["status"] == "ordered"


def test_invalid_review_is_refused_and_changes_nothing(client_for):
    client = client_for("rey")
    event = first_event(client)
    for changes in ({"type": "COERCE", "mode": "hunger"}, {"place_id": "atlantis"}, {"quote": "x"}):
        response = client.post(f"/api/events/{event['id']}/review", json={"status": "edited", "changes": changes})
        assert response.status_code == 400, changes
    assert client.post(f"/api/events/{event['id']}/review", json={"status": "maybe"}).status_code == 422
    assert client.post("/api/events/nope/review", json={"status": "accepted"}).status_code == 404
    assert client.get(f"/api/events/{event['id']}").json()["review_status"] == "pending"


def test_users_tokens_and_me(client_for, app):
    from fastapi.testclient import TestClient

    admin = client_for("ada")
    assert admin.post("/api/users", json={"username": "zed", "password": "short", "role": "viewer"}).status_code == 422
    assert admin.post("/api/users", json={"username": "zed", "password": "long enough pw", "role": "viewer"}).status_code == 201
    assert admin.post("/api/users", json={"username": "zed", "password": "long enough pw", "role": "viewer"}).status_code == 400
    assert admin.patch("/api/users/zed", json={"role": "reviewer"}).json()["role"] == "reviewer"
    assert admin.patch("/api/users/ada", json={"role": "viewer"}).status_code == 400  # no self-demotion
    assert admin.patch("/api/users/nobody", json={"role": "viewer"}).status_code == 404
    assert {u["username"] for u in admin.get("/api/users").json()["users"]} >= {"ada", "rey", "vic", "zed"}

    token = client_for("vic").post("/api/tokens", json={"name": "notebook"}).json()["token"]
    script = TestClient(app)
    script.headers["Authorization"] = f"Bearer {token}"
    assert script.get("/api/me").json()["username"] == "vic"
    assert script.post(f"/api/events/{first_event(script)['id']}/review", json={"status": "accepted"}).status_code == 403
    script.headers["Authorization"] = "Bearer uc_not-a-token"
    assert script.get("/api/me").status_code == 401
