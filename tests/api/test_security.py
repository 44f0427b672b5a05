"""Sign-in, sessions, CSRF, the secret key and response headers."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from undercurrent.store import schema
from workbench_support import csrf_from, sign_in


def event_id(app_store) -> str:
    with app_store.engine.connect() as conn:
        return conn.execute(sa.select(schema.events.c.id).order_by(schema.events.c.id)).scalar()


def test_server_refuses_to_start_without_a_good_secret_key(template_db, tmp_path):
    from undercurrent.errors import MissingSecretKey
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(MissingSecretKey, match="E021.*UNDERCURRENT_SECRET_KEY is not set"):
        create_app(Settings(database_url=url))
    with pytest.raises(MissingSecretKey, match="too short"):
        create_app(Settings(database_url=url, secret_key="short"))


def test_wrong_password_is_refused_and_audited(app, app_store):
    client = TestClient(app)
    response = sign_in(client, "vic", "not the password")
    assert response.status_code == 401 and "Wrong username or password" in response.text
    assert sign_in(client, "nobody", "whatever pw").status_code == 401
    assert client.get("/api/me").status_code == 401
    with app_store.engine.connect() as conn:
        actions = [r.action for r in conn.execute(sa.select(schema.audit_log.c.action))]
    assert actions.count("login:failed") == 2
    with app_store.engine.connect() as conn:
        logged = " ".join(str(v) for row in conn.execute(sa.select(schema.audit_log)) for v in row)
    assert "not the password" not in logged


def test_login_gives_a_new_session_and_csrf_token(app):
    client = TestClient(app)
    before = csrf_from(client.get("/login").text)
    old_cookie = client.cookies.get("undercurrent_session")
    assert sign_in(client, "vic").status_code == 303
    assert client.cookies.get("undercurrent_session") != old_cookie
    assert csrf_from(client.get("/account").text) != before


def test_login_needs_its_csrf_token(app):
    client = TestClient(app)
    client.get("/login")
    response = client.post("/login", data={"username": "vic", "password": "viewer password 1", "csrf_token": "forged"})
    assert response.status_code == 403
    assert client.get("/api/me").status_code == 401


def test_session_writes_need_the_csrf_token(client_for, app_store):
    client = client_for("rey")
    token = client.headers.pop("X-CSRF-Token")
    url = f"/api/events/{event_id(app_store)}/review"
    assert client.post(url, json={"status": "accepted"}).status_code == 403
    assert client.post(url, json={"status": "accepted"}, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    form = client.post(f"/events/{event_id(app_store)}/review", data={"action": "accept"}, follow_redirects=False)
    assert form.status_code == 403
    with app_store.engine.connect() as conn:
        assert conn.execute(sa.select(schema.events.c.review_status).where(schema.events.c.id == event_id(app_store))).scalar() == "pending"
    assert client.post(url, json={"status": "accepted"}, headers={"X-CSRF-Token": token}).status_code == 200


def test_disabling_a_user_ends_their_session(client_for):
    viewer = client_for("vic")
    assert viewer.get("/api/me").status_code == 200
    assert client_for("ada").patch("/api/users/vic", json={"active": False}).status_code == 200
    assert viewer.get("/api/me").status_code == 401
    assert sign_in(TestClient(viewer.app), "vic").status_code == 401


def test_logout_ends_the_session(client_for):
    client = client_for("vic")
    response = client.post("/logout", data={"csrf_token": client.headers["X-CSRF-Token"]}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_login_redirects_only_within_the_site(app):
    client = TestClient(app)
    page = client.get("/login")
    for target, expected in (("/map?province=KP-09", "/map?province=KP-09"), ("https://evil.example/", "/events"),
                             ("//evil.example/", "/events"), ("/\t/evil.example/", "/events"),
                             ("/\\evil.example", "/events")):
        client.cookies.clear()
        page = client.get("/login")
        response = client.post("/login", data={"username": "vic", "password": "viewer password 1",
                                                "csrf_token": csrf_from(page.text), "next": target},
                               follow_redirects=False)
        assert response.headers["location"] == expected


def test_cookie_and_security_headers(app):
    client = TestClient(app)
    response = client.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_secure_cookie_setting(template_db, tmp_path):
    from undercurrent.server import create_app
    from undercurrent.settings import Settings
    from workbench_support import SECRET, copy_database

    app = create_app(Settings(database_url=copy_database(template_db, tmp_path), secret_key=SECRET, cookie_secure=True))
    assert "secure" in TestClient(app).get("/login").headers["set-cookie"].lower()
    app.state.store.close()


def test_pages_redirect_anonymous_users_to_login(app):
    response = TestClient(app).get("/map?province=KP-09", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmap%3Fprovince%3DKP-09"
