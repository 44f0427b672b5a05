"""Sessions that end: sign-out, password and role changes and disabling end them for good (a copied cookie
is refused afterwards); an absolute lifetime; users list and end their own sessions and tokens."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from undercurrent.store import schema
from workbench_support import PASSWORDS, sign_in

COOKIE = "undercurrent_session"


def copied_cookie(client) -> TestClient:
    """A second client holding a copy of the first one's session cookie (what a thief would hold)."""
    other = TestClient(client.app)
    other.cookies.set(COOKIE, client.cookies.get(COOKIE))
    return other


def test_sign_out_ends_the_session_and_a_copied_cookie_is_refused(client_for):
    client = client_for("vic")
    thief = copied_cookie(client)
    assert thief.get("/api/me").status_code == 200
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert thief.get("/api/me").status_code == 401
    assert thief.get("/events", follow_redirects=False).headers["location"].startswith("/login")


@pytest.mark.parametrize("change", [{"password": "a brand new password"}, {"role": "reviewer"}, {"active": False}])
def test_admin_changes_end_the_users_sessions(client_for, change):
    victim = client_for("vic")
    assert victim.get("/api/me").status_code == 200
    admin = client_for("ada")
    assert admin.patch("/api/users/vic", json=change).status_code == 200
    assert victim.get("/api/me").status_code == 401


def test_a_change_that_changes_nothing_keeps_the_session(client_for):
    victim = client_for("vic")
    assert client_for("ada").patch("/api/users/vic", json={"role": "viewer"}).status_code == 200
    assert victim.get("/api/me").status_code == 200


def test_own_password_change_needs_the_current_one_and_ends_the_other_sessions(client_for):
    here, elsewhere = client_for("vic"), client_for("vic")
    wrong = here.post("/account/password", data={"current": "not it at all", "new": "a new password 2",
                                                 "again": "a new password 2", "csrf_token": here.headers["X-CSRF-Token"]})
    assert wrong.status_code == 400 and "current password" in wrong.text
    assert elsewhere.get("/api/me").status_code == 200
    right = here.post("/account/password", data={"current": PASSWORDS["vic"], "new": "a new password 2",
                                                  "again": "a new password 2", "csrf_token": here.headers["X-CSRF-Token"]},
                      follow_redirects=False)
    assert right.status_code == 303
    assert elsewhere.get("/api/me").status_code == 401
    assert here.get("/api/me").status_code == 200  # the browser that changed it got a fresh session
    assert sign_in(TestClient(here.app), "vic").status_code == 401
    assert sign_in(TestClient(here.app), "vic", "a new password 2").status_code == 303


def test_password_change_through_the_api(client_for):
    client = client_for("rey")
    assert client.post("/api/me/password", json={"current": "wrong wrong", "new": "another password"}).status_code == 400
    assert client.post("/api/me/password", json={"current": PASSWORDS["rey"], "new": "another password"}).status_code == 200
    assert client.get("/api/me").status_code == 401  # every session ends with an API change


def test_sessions_end_8_hours_after_sign_in_however_active(client_for, monkeypatch):
    from undercurrent.auth import sessions

    client = client_for("vic")
    start = sessions.utcnow()
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(hours=7, minutes=59))
    assert client.get("/api/me").status_code == 200
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(hours=8, minutes=1))
    assert client.get("/api/me").status_code == 401


def test_the_cookie_is_not_reissued_on_ordinary_responses(client_for):
    client = client_for("vic")
    for path in ("/events", "/api/me", "/account"):
        assert "set-cookie" not in client.get(path).headers, path


def test_users_list_and_end_their_own_sessions(client_for, app_store):
    laptop, phone = client_for("vic"), client_for("vic")
    listed = laptop.get("/api/me/sessions").json()["sessions"]
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    other = next(s["id"] for s in listed if not s["current"])
    # Nobody ends someone else's session: rey's call with vic's session id is a 404.
    assert client_for("rey").delete(f"/api/me/sessions/{other}").status_code == 404
    assert phone.get("/api/me").status_code == 200
    assert laptop.delete(f"/api/me/sessions/{other}").status_code == 200
    assert phone.get("/api/me").status_code == 401
    assert laptop.get("/api/me").status_code == 200
    page = laptop.get("/account")
    assert "this browser" in page.text and f"session-{other}" not in page.text


def test_users_list_and_revoke_their_own_tokens(client_for):
    client = client_for("vic")
    token = client.post("/api/tokens", json={"name": "nb"}).json()["token"]
    listed = client.get("/api/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["nb"] and token not in str(listed)
    token_id = listed[0]["id"]
    bearer = TestClient(client.app, headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/me").status_code == 200
    assert client_for("rey").delete(f"/api/tokens/{token_id}").status_code == 404
    assert client.delete(f"/api/tokens/{token_id}").status_code == 200
    assert bearer.get("/api/me").status_code == 401
    assert client.get("/api/tokens").json()["tokens"] == []


def test_tokens_with_an_expiry_stop_working(client_for, app_store):
    client = client_for("vic")
    answer = client.post("/api/tokens", json={"name": "short", "expires_days": 1})
    assert answer.status_code == 201
    bearer = TestClient(client.app, headers={"Authorization": f"Bearer {answer.json()['token']}"})
    assert bearer.get("/api/me").status_code == 200
    with app_store.engine.begin() as conn:
        conn.execute(schema.api_tokens.update().values(expires_at="2000-01-01T00:00:00+00:00"))
    assert bearer.get("/api/me").status_code == 401
    assert client.post("/api/tokens", json={"name": "x", "expires_days": 0}).status_code == 422


def test_the_token_form_posts_redirects_and_shows_the_token_once(client_for, app_store):
    client = client_for("vic")
    made = client.post("/account/token", data={"name": "nb", "expires_days": "30",
                                               "csrf_token": client.headers["X-CSRF-Token"]}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/account"
    first = client.get("/account")
    assert 'id="new-token"' in first.text and first.headers["cache-control"] == "no-store"
    again = client.get("/account")  # a reload shows no token and mints none
    assert 'id="new-token"' not in again.text
    with app_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.api_tokens)).scalar_one() == 1
        assert conn.execute(sa.select(schema.api_tokens.c.expires_at)).scalar_one() is not None


def test_signed_in_answers_are_not_stored_by_caches(client_for):
    client = client_for("vic")
    for path in ("/events", "/account", "/api/me", "/reports.json", "/login"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/favicon.svg").headers.get("cache-control", "")


def test_browsers_get_an_html_404_and_scripts_json(client_for):
    client = client_for("vic")
    page = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "no such page" in page.text and "<html" in page.text.lower()
    record = client.get("/reports/nonexistent", headers={"Accept": "text/html"})
    assert record.status_code == 404 and record.headers["content-type"].startswith("text/html")
    api = client.get("/api/reports/nonexistent", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["detail"]
    assert client.get("/no/such/page").headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("name", ["<script>", "ana;rm", "../admin", "ana\u200b", "-dash", "가나"])
def test_user_names_outside_the_safe_alphabet_are_refused(client_for, name):
    answer = client_for("ada").post("/api/users", json={"username": name, "password": "long enough pw", "role": "viewer"})
    assert answer.status_code == 400 and "bad username" in answer.json()["detail"]


def test_passwords_of_only_spaces_are_refused(client_for):
    admin = client_for("ada")
    answer = admin.post("/api/users", json={"username": "spacey", "password": " " * 12, "role": "viewer"})
    assert answer.status_code == 400 and "only spaces" in answer.json()["detail"]
    assert admin.patch("/api/users/vic", json={"password": " " * 12}).status_code == 400
    form = admin.post("/users", data={"username": "spacey", "password": " " * 12, "role": "viewer",
                                      "csrf_token": admin.headers["X-CSRF-Token"]})
    assert form.status_code == 400



def test_a_throttled_address_is_told_so_and_others_sign_in(app):
    stranger = TestClient(app)
    for _ in range(5):
        assert sign_in(stranger, "ada", "a guess guess").status_code == 401
    refused = sign_in(stranger, "ada")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    # The real admin from another address (the test client's peer is rewritten) signs in.
    office = TestClient(app, client=("198.51.100.7", 50000))
    assert sign_in(office, "ada").status_code == 303
