"""Two-factor sign-in through the pages: enrolment on the account page, the code step at sign-in,
recovery codes, UNDERCURRENT_REQUIRE_2FA for admins, an admin's reset."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from fastapi.testclient import TestClient

from workbench_support import SECRET, copy_database, csrf_from, sign_in


def enrol(client) -> tuple[str, list[str]]:
    csrf = client.headers["X-CSRF-Token"]
    page = client.post("/account/2fa/start", data={"csrf_token": csrf})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    done = client.post("/account/2fa/confirm", data={"csrf_token": csrf,
                                                      "code": pyotp.TOTP(secret).at(time.time() - 30)})
    assert done.status_code == 200
    codes = re.search(r'id="recovery-codes">([^<]+)<', done.text).group(1).split()
    return secret, codes


def code_step(client, code: str, *, csrf: str | None = None):
    csrf = csrf or csrf_from(client.get("/login/code").text)
    return client.post("/login/code", data={"code": code, "csrf_token": csrf}, follow_redirects=False)


def test_sign_in_with_a_second_factor(client_for, app):
    secret, codes = enrol(client_for("vic"))
    browser = TestClient(app)
    first = sign_in(browser, "vic")
    assert first.status_code == 303 and first.headers["location"] == "/login/code"
    assert browser.get("/api/me").status_code == 401  # the password alone is not a sign-in
    assert code_step(browser, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111").status_code == 401
    assert code_step(browser, pyotp.TOTP(secret).now()).status_code == 303
    assert browser.get("/api/me").json()["two_factor"] is True
    # A recovery code works once.
    other = TestClient(app)
    sign_in(other, "vic")
    assert code_step(other, codes[0]).status_code == 303
    again = TestClient(app)
    sign_in(again, "vic")
    assert code_step(again, codes[0]).status_code == 401


def test_the_code_step_needs_the_password_first(app):
    browser = TestClient(app)
    assert browser.get("/login/code", follow_redirects=False).headers["location"] == "/login"
    csrf = csrf_from(browser.get("/login").text)
    assert code_step(browser, "123456", csrf=csrf).headers["location"] == "/login"


def test_enrolment_ends_the_other_sessions(client_for):
    here, elsewhere = client_for("rey"), client_for("rey")
    enrol(here)
    assert elsewhere.get("/api/me").status_code == 401
    assert here.get("/api/me").status_code == 200


@pytest.fixture()
def strict_app(template_db, tmp_path):
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    application = create_app(Settings(database_url=copy_database(template_db, tmp_path), secret_key=SECRET,
                                      require_2fa=True))
    yield application
    application.state.store.close()


def test_admins_need_two_factor_when_required(strict_app):
    admin = TestClient(strict_app)
    assert sign_in(admin, "ada").status_code == 303
    admin.headers["X-CSRF-Token"] = csrf_from(admin.get("/account").text)
    refused = admin.get("/api/users")
    assert refused.status_code == 403 and "two-factor" in refused.json()["detail"]
    assert admin.get("/users", follow_redirects=False).status_code == 403
    assert admin.get("/events").status_code == 200  # reading as any viewer still works, so does enrolling
    secret, _ = enrol(admin)
    assert admin.get("/api/users").status_code == 200
    # Viewers are not asked for it.
    viewer = TestClient(strict_app)
    assert sign_in(viewer, "vic").status_code == 303 and viewer.get("/api/me").status_code == 200


def test_an_admin_resets_a_lost_second_factor(client_for, app):
    enrol(client_for("vic"))
    admin = client_for("ada")
    assert admin.post("/users/vic", data={"reset_2fa": "1", "csrf_token": admin.headers["X-CSRF-Token"]},
                      follow_redirects=False).status_code == 303
    assert admin.get("/api/users").json()["users"][-1]["two_factor"] is False
    assert sign_in(TestClient(app), "vic").headers["location"] == "/events"


def test_admin_password_reset_on_the_users_page_ends_sessions(client_for, app):
    victim = client_for("vic")
    admin = client_for("ada")
    assert admin.post("/users/vic", data={"password": "reset by the admin", "csrf_token": admin.headers["X-CSRF-Token"]},
                      follow_redirects=False).status_code == 303
    assert victim.get("/api/me").status_code == 401
    assert sign_in(TestClient(app), "vic", "reset by the admin").status_code == 303
