"""serve, demo and users from the command line: real processes, a real server on loopback."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx2
import pytest


def cli(*args, env=None, input_text=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "undercurrent.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input_text, timeout=timeout)


@pytest.fixture()
def db_env(tmp_path):
    return {"UNDERCURRENT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_refuses_to_start_without_a_secret_key(db_env):
    env = {**db_env, "UNDERCURRENT_SECRET_KEY": ""}
    result = cli("serve", "--port", free_port(), env=env, timeout=60)
    assert result.returncode == 2
    assert "E021" in result.stderr and "UNDERCURRENT_SECRET_KEY" in result.stderr


def test_users_add_list_set_token_and_revoke(db_env):
    added = cli("users", "add", "ana", "--role", "reviewer", "--password-stdin", env=db_env, input_text="a long password\n")
    assert added.returncode == 0 and "added ana (reviewer)" in added.stdout
    again = cli("users", "add", "ana", "--role", "viewer", "--password-stdin", env=db_env, input_text="a long password\n")
    assert again.returncode == 2 and "E022" in again.stderr and "exists already" in again.stderr
    short = cli("users", "add", "bo", "--role", "viewer", "--password-stdin", env=db_env, input_text="short\n")
    assert short.returncode == 2 and "too short" in short.stderr
    bad_role = cli("users", "add", "bo", "--role", "king", "--password-stdin", env=db_env, input_text="a long password\n")
    assert bad_role.returncode == 2 and "king" in bad_role.stderr
    assert cli("users", "set", "ana", "--role", "admin", "--disabled", env=db_env).stdout.strip() == "ana: admin, disabled"
    assert re.search(r"^ana\s+admin\s+disabled$", cli("users", "list", env=db_env).stdout, re.M)
    token = cli("users", "token", "ana", "--name", "notebook", env=db_env).stdout.strip()
    assert token.startswith("uc_") and len(token) > 40
    assert cli("users", "revoke-tokens", "ana", env=db_env).stdout.strip() == "1 tokens revoked"
    assert "no user 'zed'" in cli("users", "token", "zed", env=db_env).stderr


def test_serve_answers_on_loopback_with_a_token(db_env):
    cli("users", "add", "ana", "--role", "viewer", "--password-stdin", env=db_env, input_text="a long password\n")
    token = cli("users", "token", "ana", env=db_env).stdout.strip()
    port = free_port()
    env = {**os.environ, **db_env, "UNDERCURRENT_SECRET_KEY": "k" * 40}
    server = subprocess.Popen([sys.executable, "-m", "undercurrent.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                if httpx2.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert httpx2.get(f"{base}/api/me").status_code == 401
        me = httpx2.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me == {"id": 1, "username": "ana", "role": "viewer", "active": True, "two_factor": False}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_sets_up_sample_and_user_and_is_repeatable(tmp_path):
    from fastapi.testclient import TestClient

    from undercurrent.server import create_app
    from undercurrent.settings import Settings
    from workbench_support import csrf_from

    first = cli("demo", "--dir", tmp_path / "demo", "--no-serve", timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("stored: ") == 7
    password = re.search(r"sign in as 'demo' with password: (\S+)", first.stdout).group(1)
    second = cli("demo", "--dir", tmp_path / "demo", "--no-serve", timeout=300)
    assert second.stderr.count("unchanged: ") == 7
    new_password = re.search(r"password: (\S+)", second.stdout).group(1)
    assert new_password != password

    url = re.search(r"database: (\S+)", second.stdout).group(1)
    app = create_app(Settings(database_url=url, secret_key="k" * 40))
    client = TestClient(app)
    page = client.get("/login")
    client.post("/login", data={"username": "demo", "password": new_password, "csrf_token": csrf_from(page.text)})
    assert client.get("/api/me").json()["role"] == "admin"
    assert client.get("/api/reports").json()["total"] == 7
    app.state.store.close()


def test_users_token_expiry_end_sessions_and_safe_input(db_env):
    import sqlalchemy as sa

    from undercurrent.auth import sessions, users
    from undercurrent.store import schema
    from undercurrent.store.db import open_store

    spaces = cli("users", "add", "ana", "--role", "viewer", "--password-stdin", env=db_env, input_text=" " * 12 + "\n")
    assert spaces.returncode == 2 and "only spaces" in spaces.stderr
    odd = cli("users", "add", "ana;id", "--role", "viewer", "--password-stdin", env=db_env, input_text="a long password\n")
    assert odd.returncode == 2 and "bad username" in odd.stderr
    assert cli("users", "add", "ana", "--role", "viewer", "--password-stdin", env=db_env,
               input_text="a long password\n").returncode == 0
    assert cli("users", "token", "ana", "--expires-days", "0", env=db_env).returncode == 2
    assert cli("users", "token", "ana", "--expires-days", "30", env=db_env).returncode == 0
    store = open_store(url=db_env["UNDERCURRENT_DATABASE_URL"])
    try:
        with store.engine.connect() as conn:
            expires = conn.execute(sa.select(schema.api_tokens.c.expires_at)).scalar_one()
        assert expires[:10] > sessions.utcnow().isoformat()[:10]
        key = sessions.start_session(store, users.get_user(store, "ana").id)
        assert users.user_for_session(store, key) is not None
        ended = cli("users", "set", "ana", "--end-sessions", env=db_env)
        assert ended.returncode == 0 and "1 sessions ended" in ended.stdout
        assert users.user_for_session(store, key) is None
    finally:
        store.close()
