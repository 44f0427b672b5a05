"""Shared helpers of the workbench tests: a seeded database, users of each role, signed-in clients."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

PASSWORDS = {"ada": "admin password 1", "rey": "reviewer password 1", "vic": "viewer password 1"}
ROLES = {"ada": "admin", "rey": "reviewer", "vic": "viewer"}
SECRET = "test-secret-key-" + "x" * 32


def add_role_users(store) -> None:
    from undercurrent.auth.users import add_user

    for name, role in ROLES.items():
        add_user(store, name, PASSWORDS[name], role, by="test")


def build_database(folder: Path, extractor) -> Path:
    """The bundled sample ingested with the real pipeline, and one user per role."""
    from undercurrent.demo import ingest_sample
    from undercurrent.store.db import open_store

    path = folder / "template.db"
    store = open_store(url=f"sqlite:///{path}")
    ingest_sample(store, extractor)
    add_role_users(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def copy_database(template: Path, folder: Path) -> str:
    target = folder / "workbench.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def sign_in(client, username: str, password: str | None = None):
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": password or PASSWORDS[username],
                                           "csrf_token": csrf_from(page.text), "next": "/events"},
                           follow_redirects=False)
    return response


def sample_client(store, extractor, username: str) -> TestClient:
    """The bundled sample and the role users in `store` (either database), and a client of the workbench
    on that store signed in as `username`, with its CSRF header."""
    from undercurrent.demo import ingest_sample
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    ingest_sample(store, extractor)
    add_role_users(store)
    app = create_app(Settings(database_url=store.url.replace("+psycopg", ""), secret_key=SECRET), store=store)
    client = TestClient(app)
    assert sign_in(client, username).status_code == 303
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/account").text)
    return client


# Fixtures: imported by the conftest.py of tests/api and tests/web.

@pytest.fixture(scope="session")
def template_db(tmp_path_factory, extractor):
    return build_database(tmp_path_factory.mktemp("workbench"), extractor)


@pytest.fixture()
def app(template_db, tmp_path):
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    settings = Settings(database_url=copy_database(template_db, tmp_path), secret_key=SECRET)
    application = create_app(settings)
    yield application
    application.state.store.close()


@pytest.fixture()
def app_store(app):
    return app.state.store


@pytest.fixture()
def client_for(app):
    """A signed-in client for a user name (ada admin, rey reviewer, vic viewer), or anonymous for None."""
    def make(username: str | None):
        client = TestClient(app)
        if username:
            assert sign_in(client, username).status_code == 303
            client.headers["X-CSRF-Token"] = csrf_from(client.get("/account").text)
        return client

    return make
