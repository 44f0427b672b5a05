"""Every page renders for its role and its JSON twin carries the same data."""
from __future__ import annotations

import re

import pytest


def test_events_page_and_twin_agree(client_for):
    client = client_for("vic")
    html = client.get("/events", params={"province": "KP-09"}).text
    data = client.get("/events.json", params={"province": "KP-09"}).json()
    assert data["paging"]["total"] == len(data["events"]) > 0
    assert f"{data['paging']['total']} events" in html
    assert len(re.findall(r'<tr id="row-', html)) == len(data["events"])
    assert all(e["admin1"] == "KP-09" for e in data["events"])


def test_events_sort_links_toggle(client_for):
    html = client_for("vic").get("/events", params={"sort": "type"}).text
    assert 'href="?sort=-type&amp;page=1"' in html and 'aria-sort="ascending"' in html


def test_report_page_highlights_every_kind(client_for):
    client = client_for("vic")
    report_id = next(r["id"] for r in client.get("/api/reports").json()["reports"] if r["outlet"] == "Daily NK")
    html = client.get(f"/reports/{report_id}").text
    for kind in ("event", "observation", "source", "place", "institution"):
        assert f"hl-{kind}" in html
    twin = client.get(f"/reports/{report_id}.json").json()["report"]
    assert len(re.findall(r'class="card record" id="event-', html)) == len(twin["events"])
    assert client.get("/reports/unknown").status_code == 404


@pytest.mark.parametrize("path", ["/reports", "/map", "/timeline", "/account"])
def test_viewer_pages_and_twins(client_for, path):
    client = client_for("vic")
    assert client.get(path).status_code == 200
    assert client.get(path + ".json").headers["content-type"] == "application/json"


def test_map_twin_counts_provinces_and_points(client_for):
    data = client_for("vic").get("/map.json").json()
    counts = {p["id"]: p["events"] for p in data["provinces"]}
    assert counts["KP-09"] > 0 and counts["KP-10"] > 0
    assert {p["place_id"] for p in data["points"]} >= {"kp-10-hyesan", "kp-03-sinuiju"}


def test_timeline_links_each_observation_to_its_report(client_for):
    client = client_for("vic")
    data = client.get("/timeline.json").json()
    rice = next(s for s in data["series"] if s["item"] == "rice")
    assert rice["points"] >= 5
    html = client.get("/timeline").text
    for line in rice["lines"]:
        for point in line["points"]:
            assert f'href="/reports/{point["report_id"]}#observation-{point["id"]}"' in html
    assert sum(b["total"] for b in data["bars"]["bars"]) == sum(m["events"] for m in data["months"])


def test_edit_form_offers_only_valid_choices(client_for, app_store):
    client = client_for("rey")
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    html = client.get(f"/events/{event['id']}/edit").text
    modes = re.search(r'<select name="mode".*?</select>', html, re.S).group(0)
    assert '<optgroup label="COERCE" data-type="COERCE">' in modes and 'value="arrest"' in modes
    assert 'value="kp-09-chongjin"' in html and 'value="ministry_of_state_security"' in html
    statuses = re.findall(r"<option\s*(?:selected)?>(\w+)</option>", re.search(r'<select name="status">.*?</select>', html, re.S).group(0))
    assert statuses == ["occurred", "ordered", "planned", "negated", "hypothetical"]


def test_edit_form_post_changes_the_event_and_logs_it(client_for):
    client = client_for("rey")
    event = client.get("/api/events", params={"limit": 1, "province": "KP-09"}).json()["events"][0]
    response = client.post(f"/events/{event['id']}/edit", follow_redirects=False, data={
        "csrf_token": client.headers["X-CSRF-Token"], "type": "COERCE", "mode": "arrest", "status": "ordered",
        "place_id": "kp-09-musan", "institutions": ["ministry_of_state_security"], "date_start": "2026-01"})
    assert response.status_code == 303 and response.headers["location"].endswith(f"#event-{event['id']}")
    after = client.get(f"/api/events/{event['id']}").json()
    assert (after["mode"], after["status"], after["place_id"], after["date_start"]) == ("arrest", "ordered", "kp-09-musan", "2026-01")
    assert after["reviewed_by"] == "rey"
    bad = client.post(f"/events/{event['id']}/edit", data={"csrf_token": client.headers["X-CSRF-Token"],
                                                            "type": "COERCE", "mode": "hunger", "status": "ordered"})
    assert bad.status_code == 400 and "not a mode of COERCE" in bad.text
    audit = client_for("ada").get("/audit", params={"record_id": event["id"]}).text
    assert "review:edited" in audit and "kp-09-musan" in audit
    assert f'href="/reports/{event["report_id"]}#event-{event["id"]}">in its report' in audit


def test_review_queue_accept_moves_the_record_out(client_for):
    client = client_for("rey")
    queue = client.get("/review.json").json()
    first = queue["events"][0]
    client.post(f"/events/{first['id']}/review", data={"csrf_token": client.headers["X-CSRF-Token"], "action": "accept"})
    after = client.get("/review.json").json()
    assert after["paging"]["total"] == queue["paging"]["total"] - 1
    assert client.get("/review.json", params={"review": "accepted"}).json()["events"][0]["id"] == first["id"]


def test_users_page_adds_and_changes_users(client_for):
    admin = client_for("ada")
    csrf = admin.headers["X-CSRF-Token"]
    admin.post("/users", data={"csrf_token": csrf, "username": "newbie", "password": "a long password", "role": "viewer"})
    admin.post("/users/newbie", data={"csrf_token": csrf, "role": "reviewer", "active": "1"})
    users = {u["username"]: u for u in admin.get("/users.json").json()["users"]}
    assert users["newbie"]["role"] == "reviewer"
    short = admin.post("/users", data={"csrf_token": csrf, "username": "x", "password": "short", "role": "viewer"})
    assert short.status_code == 400 and "too short" in short.text


def test_account_page_makes_a_token_shown_once(client_for):
    client = client_for("vic")
    html = client.post("/account/token", data={"csrf_token": client.headers["X-CSRF-Token"], "name": "nb"}).text
    token = re.search(r'<pre id="new-token">(uc_[^<]+)</pre>', html).group(1)
    assert token not in client.get("/account").text
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["username"] == "vic"


def test_api_docs_load_from_the_package(client_for):
    client = client_for(None)
    html = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "\"validatorUrl\": null" in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert "/api/events" in client.get("/api/openapi.json").json()["paths"]


def test_observation_and_source_edit_forms(client_for):
    client = client_for("rey")
    csrf = client.headers["X-CSRF-Token"]
    rate = client.get("/api/observations", params={"kind": "exchange_rate"}).json()["observations"][0]
    html = client.get(f"/observations/{rate['id']}/edit").text
    assert '<option selected>KPW</option>' in html and 'value="kp-10-hyesan"' in html
    response = client.post(f"/observations/{rate['id']}/edit", follow_redirects=False, data={
        "csrf_token": csrf, "kind": "exchange_rate", "item": "US dollar", "value": "33500", "currency": "KPW",
        "unit": "per USD", "place_id": "kp-10-hyesan"})
    assert response.headers["location"].endswith(f"#observation-{rate['id']}")
    after = client.get(f"/api/observations/{rate['id']}").json()
    assert after["value"] == 33500 and after["review_status"] == "edited" and after["admin1"] == "KP-10"
    bad = client.post(f"/observations/{rate['id']}/edit", data={"csrf_token": csrf, "currency": "XYZ"})
    assert bad.status_code == 400 and "unknown currency" in bad.text

    report = client.get("/api/reports/506359de0e8f66f6").json()
    source = report["sources"][0]
    client.post(f"/sources/{source['id']}/edit", data={"csrf_token": csrf, "kind": "defector", "place_id": ""})
    assert client.get("/api/reports/506359de0e8f66f6").json()["sources"][0]["kind"] == "defector"
    client.post(f"/sources/{source['id']}/edit", data={"csrf_token": csrf, "kind": "defector", "descriptor": "x"})
    assert client.get("/api/reports/506359de0e8f66f6").json()["sources"][0]["descriptor"] == source["descriptor"]


def test_observation_review_queue(client_for):
    client = client_for("rey")
    queue = client.get("/review.json", params={"records": "observations"}).json()
    assert queue["paging"]["total"] == len(queue["observations"]) > 10
    first = queue["observations"][0]
    html = client.get("/review", params={"records": "observations"}).text
    assert f'action="/observations/{first["id"]}/review"' in html
    client.post(f"/observations/{first['id']}/review", data={"csrf_token": client.headers["X-CSRF-Token"], "action": "reject"})
    assert client.get("/review.json", params={"records": "observations"}).json()["paging"]["total"] == queue["paging"]["total"] - 1
    rejected = client.get("/review.json", params={"records": "observations", "review": "rejected"}).json()
    assert [o["id"] for o in rejected["observations"]] == [first["id"]]
    assert first["id"] not in {o["id"] for o in client.get("/api/observations", params={"limit": 500}).json()["observations"]}


def test_paging_links_keep_filters_and_sort(client_for, monkeypatch):
    from undercurrent.web import pages

    monkeypatch.setattr(pages, "PER_PAGE", 3)
    client = client_for("ada")
    html = client.get("/events", params={"province": "KP-09", "sort": "type"}).text
    assert 'href="?province=KP-09&amp;sort=type&amp;page=2&amp;after=' in html  # next by cursor (store/keyset.py)
    second = client.get("/events", params={"province": "KP-09", "sort": "type", "page": 2}).text
    assert 'href="?province=KP-09&amp;sort=type&amp;page=1">← previous' in second
    assert 'href="?q=&amp;page=2">next' not in client.get("/reports").text  # no empty q
    assert 'href="?page=2">next' in client.get("/reports").text
    assert 'href="?record_id=&amp;actor=&amp;page=2">older' in client.get("/audit").text
