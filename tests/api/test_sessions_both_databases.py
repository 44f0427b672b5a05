"""Sessions that end, on SQLite and on a real PostgreSQL (the sessions table is queried on every request)."""
from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from workbench_support import SECRET, add_role_users, csrf_from, sign_in


def test_sessions_end_on_both_databases(store, monkeypatch):
    from undercurrent.auth import sessions
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    add_role_users(store)
    app = create_app(Settings(database_url=store.url.replace("+psycopg", ""), secret_key=SECRET), store=store)
    client = TestClient(app)
    assert sign_in(client, "vic").status_code == 303
    csrf = csrf_from(client.get("/account").text)
    thief = TestClient(app)
    thief.cookies.set("undercurrent_session", client.cookies.get("undercurrent_session"))
    assert thief.get("/api/me").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert thief.get("/api/me").status_code == 401

    # An admin's password reset ends the sessions of the user.
    victim, admin = TestClient(app), TestClient(app)
    assert sign_in(victim, "vic").status_code == 303 and sign_in(admin, "ada").status_code == 303
    admin.headers["X-CSRF-Token"] = csrf_from(admin.get("/account").text)
    assert victim.get("/api/me").status_code == 200
    assert admin.patch("/api/users/vic", json={"password": "reset by the admin"}).status_code == 200
    assert victim.get("/api/me").status_code == 401

    # Eight hours after sign-in the session is over, however often it was used.
    start = sessions.utcnow()
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(hours=8, minutes=1))
    assert admin.get("/api/me").status_code == 401
