from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from workbench_support import SECRET, build_database, copy_database, csrf_from, sign_in


@pytest.fixture(scope="session")
def template_db(tmp_path_factory, extractor):
    return build_database(tmp_path_factory.mktemp("workbench"), extractor)


@pytest.fixture()
def app(template_db, tmp_path):
    from undercurrent.api.app import create_app
    from undercurrent.settings import Settings

    settings = Settings(database_url=copy_database(template_db, tmp_path), secret_key=SECRET)
    application = create_app(settings)
    yield application
    application.state.store.close()


@pytest.fixture()
def store(app):
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
