"""Unknown ids are NotFound (E050), answered with a 404 by one handler; a KeyError from a bug is a 500.
Before, six routes turned any KeyError into a 404, so a bug looked like "no such record"."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from workbench_support import csrf_from, sign_in


@pytest.mark.parametrize(("method", "path", "body", "detail"), [
    ("get", "/api/reports/nope", None, "no report nope"),
    ("get", "/api/reports/nope/original", None, "no report nope"),
    ("get", "/api/events/nope", None, "no event nope"),
    ("get", "/api/observations/nope", None, "no observation nope"),
    ("post", "/api/events/nope/review", {"status": "accepted"}, "no event nope"),
    ("get", "/api/clusters/nope", None, "no cluster nope"),
    ("post", "/api/clusters/merge", {"cluster_ids": ["nope", "nope2"]}, "no cluster nope"),
    ("post", "/api/clusters/nope/split", {"event_ids": ["x"]}, "no cluster nope"),
])
def test_unknown_ids_are_404_with_the_code(client_for, method, path, body, detail):
    client = client_for("rey")
    response = client.request(method, path, json=body)
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == f"E050: {detail}"


def test_web_forms_on_unknown_ids_are_404(client_for):
    client = client_for("rey")
    token = client.headers["X-CSRF-Token"]
    assert client.post("/events/nope/review", data={"csrf_token": token, "action": "accept"}).status_code == 404
    assert client.post("/clusters/nope/merge", data={"csrf_token": token, "other": "nope2"}).status_code == 404
    page = client.get("/reports/nope", headers={"accept": "text/html"})
    assert page.status_code == 404 and "no report nope" in page.text


def test_a_key_error_from_a_bug_is_a_500_not_a_404(app, monkeypatch):
    from undercurrent.store import queries

    def broken(store, report_id):
        return {}["a key a bug forgot"]

    monkeypatch.setattr(queries, "get_report", broken)
    client = TestClient(app, raise_server_exceptions=False)
    assert sign_in(client, "vic").status_code == 303
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/account").text)
    assert client.get("/api/reports/anything").status_code == 500
    assert client.get("/reports/anything", headers={"accept": "text/html"}).status_code == 500


def test_bad_filters_are_400_with_their_code(client_for):
    client = client_for("vic")
    detail = client.get("/api/events", params={"type": "NOT_A_TYPE"}).json()["detail"]
    assert detail.startswith("E042: type 'NOT_A_TYPE' is not valid") and "--" not in detail
    assert client.get("/api/events", params={"until": "2019-13"}).json()["detail"] == \
        "E008: until '2019-13': there is no month 13"


def test_an_unknown_user_is_a_404_with_its_code(client_for):
    response = client_for("ada").patch("/api/users/nobody", json={"role": "viewer"})
    assert response.status_code == 404 and response.json()["detail"] == "E022: no user 'nobody'"
