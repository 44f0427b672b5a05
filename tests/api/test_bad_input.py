"""Bad input is a 400/422 with a clear message and nothing stored (issue 11, item 8), and filter values
that cannot be valid say so instead of returning 0 rows (item 9)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from undercurrent.store import schema


def _snapshot(app_store) -> list:
    with app_store.engine.connect() as conn:
        return [sorted(tuple(map(str, r)) for r in conn.execute(sa.select(t)).all())
                for t in (schema.events, schema.observations, schema.sources)]


def _ids(app_store) -> tuple[str, str]:
    with app_store.engine.connect() as conn:
        return (conn.execute(sa.select(schema.events.c.id).order_by(schema.events.c.id)).scalar(),
                conn.execute(sa.select(schema.observations.c.id).order_by(schema.observations.c.id)).scalar())


BAD_EVENT_CHANGES = [
    {"date_start": "2024-13-45"}, {"date_start": "2024-02-30"}, {"date_start": "0000-00-00"},
    {"date_start": "9999-12-31"}, {"date_start": "9999"}, {"date_start": "2024-00"}, {"date_start": ["2024"]},
    {"arrested": 10 ** 23}, {"arrested": -1}, {"arrested": 2.5}, {"arrested": True}, {"dead": "1e400"},
    {"institutions": [1, {}]}, {"institutions": "ministry_of_state_security"}, {"place_id": {}},
    {"place_id": ["kp-09-chongjin"]}, {"type": {}}, {"mode": {"x": 1}}, {"status": ["occurred"]},
]
BAD_OBSERVATION_CHANGES = [
    {"value": -1}, {"value": "1e400"}, {"value": "Infinity"}, {"value": "NaN"}, {"value": "-Infinity"},
    {"value": True}, {"value": {}}, {"value": 1e14}, {"currency": {}}, {"currency": ["KPW"]}, {"unit": "x" * 100},
    {"item": {"a": 1}}, {"kind": ["price"]}, {"place_id": {}},
]


@pytest.mark.parametrize("changes", BAD_EVENT_CHANGES, ids=[str(c)[:40] for c in BAD_EVENT_CHANGES])
def test_bad_event_edits_are_refused_and_nothing_is_stored(client_for, app_store, changes):
    event_id, _ = _ids(app_store)
    before = _snapshot(app_store)
    response = client_for("rey").post(f"/api/events/{event_id}/review", json={"status": "edited", "changes": changes})
    assert response.status_code in (400, 422), response.text
    assert response.json()["detail"]
    assert _snapshot(app_store) == before


@pytest.mark.parametrize("changes", BAD_OBSERVATION_CHANGES, ids=[str(c)[:40] for c in BAD_OBSERVATION_CHANGES])
def test_bad_observation_edits_are_refused_and_nothing_is_stored(client_for, app_store, changes):
    _, observation_id = _ids(app_store)
    before = _snapshot(app_store)
    response = client_for("rey").post(f"/api/observations/{observation_id}/review",
                                      json={"status": "edited", "changes": changes})
    assert response.status_code in (400, 422), response.text
    assert _snapshot(app_store) == before


def test_nan_and_infinity_as_json_numbers_are_refused(client_for, app_store):
    _, observation_id = _ids(app_store)
    before = _snapshot(app_store)
    for literal in ("NaN", "Infinity", "1e400"):
        body = f'{{"status": "edited", "changes": {{"value": {literal}}}}}'
        response = client_for("rey").post(f"/api/observations/{observation_id}/review", content=body,
                                          headers={"Content-Type": "application/json"})
        assert response.status_code in (400, 422), (literal, response.text)
    assert _snapshot(app_store) == before


def test_the_edit_form_refuses_impossible_dates(client_for, app_store):
    event_id, _ = _ids(app_store)
    client = client_for("rey")
    before = _snapshot(app_store)
    for date in ("2024-13-45", "2024-02-30", "0000-00-00", "9999-12-31"):
        response = client.post(f"/events/{event_id}/edit", data={"date_start": date,
                                                                  "csrf_token": client.headers["X-CSRF-Token"]})
        assert response.status_code == 400 and "date" in response.text, date
    assert _snapshot(app_store) == before


def test_good_edits_still_work(client_for, app_store):
    event_id, observation_id = _ids(app_store)
    client = client_for("rey")
    ok = client.post(f"/api/events/{event_id}/review",
                     json={"status": "edited", "changes": {"date_start": "2024-02-29", "arrested": "12"}})
    assert ok.status_code == 200 and ok.json()["date_start"] == "2024-02-29" and ok.json()["arrested"] == 12
    ok = client.post(f"/api/observations/{observation_id}/review", json={"status": "edited", "changes": {"value": "0.5"}})
    assert ok.status_code == 200 and ok.json()["value"] == 0.5


@pytest.mark.parametrize("path", ["/api/events?offset=9223372036854775808", "/api/events?offset=9223372036854775807",
                                  "/api/reports?offset=9223372036854775808", "/api/observations?offset=99999999999",
                                  "/api/audit?offset=9223372036854775808", "/events?page=9223372036854775808",
                                  "/events.json?page=4611686018427387904", "/reports.json?page=9223372036854775808"])
def test_huge_offsets_and_pages_are_422(client_for, path):
    response = client_for("ada").get(path)
    assert response.status_code == 422, (path, response.status_code)


def test_a_thousand_word_query_is_400(client_for):
    query = " ".join(["arrest"] * 1000)
    client = client_for("vic")
    for path in ("/api/search", "/api/events", "/api/reports", "/events.json", "/reports.json", "/api/stats"):
        response = client.get(path, params={"q": query})
        assert response.status_code == 400, (path, response.status_code)
        assert "at most" in response.json()["detail"]


def test_a_form_body_sent_to_a_json_route_is_422(client_for, app_store):
    event_id, _ = _ids(app_store)
    before = _snapshot(app_store)
    client = client_for("rey")
    response = client.post(f"/api/events/{event_id}/review", data={"status": "accepted"})
    assert response.status_code == 422 and response.json()["detail"]
    response = client.post(f"/api/events/{event_id}/review", content=b"\xff\xfe\x00not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422) and response.json()["detail"]
    response = client.post("/api/tokens", content=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert _snapshot(app_store) == before


@pytest.mark.parametrize("params,word", [
    ({"type": "coerce"}, "type"), ({"status": "happened"}, "status"), ({"province": "KP-99"}, "province"),
    ({"province": "kp-09-chongjin"}, "province"), ({"place": "atlantis"}, "place"), ({"mode": "arest"}, "mode"),
    ({"institution": "nobody"}, "institution"), ({"source_kind": "spy"}, "source_kind"),
    ({"language": "klingon"}, "language"), ({"since": "2024-02-30"}, "since"), ({"until": "2024-13"}, "until"),
    ({"review": "maybe"}, "review"),
])
def test_filter_values_that_are_not_valid_say_so(client_for, params, word):
    client = client_for("vic")
    for path in ("/api/events", "/events.json", "/api/stats", "/api/exports/csv"):
        response = client.get(path, params=params)
        assert response.status_code == 400, (path, params, response.status_code)
        assert word in response.json()["detail"], response.json()
    assert client.get("/events", params=params).status_code == 400


def test_valid_filters_still_answer(client_for):
    client = client_for("vic")
    for params in ({"type": "COERCE"}, {"province": "KP-09"}, {"place": "kp-09-chongjin"}, {"since": "2020-02-29"},
                   {"language": "en"}, {"mode": "arrest"}, {"source_kind": "defector"}):
        assert client.get("/api/events", params=params).status_code == 200, params


def test_lone_surrogates_found_by_the_fuzzer_are_refused_not_500(client_for, app_store):
    """bench/fuzz.py found these: a JSON "\\ud800" echoed by the 422 handler, or stored as text."""
    event_id, observation_id = _ids(app_store)
    before = _snapshot(app_store)
    client = client_for("ada")
    bodies = [(f"/api/events/{event_id}/review", '{"status": "\\ud800", "changes": {}}'),
              (f"/api/observations/{observation_id}/review", '{"status": "edited", "changes": {"item": "\\ud800"}}'),
              (f"/api/events/{event_id}/review", '{"status": "edited", "changes": {"mode": "\\udfff"}}'),
              ("/api/users", '{"username": "\\ud800", "password": 5, "role": "\\ud800"}')]
    for path, body in bodies:
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code in (400, 422), (path, body, response.status_code)
    assert _snapshot(app_store) == before
