"""TOTP enrolment and checks, recovery codes, on SQLite and PostgreSQL."""
from __future__ import annotations

import time

import pyotp
import pytest
import sqlalchemy as sa

from undercurrent.auth import twofactor, users
from undercurrent.store import schema


def enrolled(store, name="ana"):
    user = users.add_user(store, name, "a long password", "admin")
    secret, uri = twofactor.begin_enrolment(store, user.id, user.username)
    assert uri.startswith("otpauth://totp/") and secret in uri
    # The code of the previous step: the current one stays unused for the tests below.
    codes = twofactor.confirm_enrolment(store, user.id, user.username, pyotp.TOTP(secret).at(time.time() - 30))
    return users.get_user(store, name), secret, codes


def test_enrolment_needs_a_right_code_and_gives_single_use_recovery_codes(store):
    user = users.add_user(store, "bo", "a long password", "viewer")
    secret, _ = twofactor.begin_enrolment(store, user.id, user.username)
    with pytest.raises(twofactor.BadCode, match="not right"):
        twofactor.confirm_enrolment(store, user.id, user.username, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert not users.get_user(store, "bo").two_factor
    user, secret, codes = enrolled(store)
    assert user.two_factor and len(codes) == twofactor.RECOVERY_CODES
    with pytest.raises(twofactor.BadCode, match="on already"):
        twofactor.begin_enrolment(store, user.id, user.username)  # a session alone cannot swap the secret
    with store.engine.connect() as conn:
        stored = [r.code_sha256 for r in conn.execute(sa.select(schema.recovery_codes))]
    assert all(code not in " ".join(stored) for code in codes)
    assert twofactor.verify(store, user.id, codes[0]) == "recovery"
    assert twofactor.verify(store, user.id, codes[0]) is None  # used up
    assert twofactor.recovery_codes_left(store, user.id) == twofactor.RECOVERY_CODES - 1


def test_a_totp_code_works_once(store):
    user, secret, _ = enrolled(store)
    code = pyotp.TOTP(secret).now()
    assert twofactor.verify(store, user.id, code) == "totp"
    assert twofactor.verify(store, user.id, code) is None  # replayed
    assert twofactor.verify(store, user.id, "12345") is None and twofactor.verify(store, user.id, "abcdef") is None


def test_turning_off_removes_secret_and_codes(store):
    user, secret, codes = enrolled(store)
    twofactor.turn_off(store, user.id, user.username, by="test")
    assert not users.get_user(store, "ana").two_factor
    assert twofactor.verify(store, user.id, codes[1]) is None
    assert twofactor.verify(store, user.id, pyotp.TOTP(secret).now()) is None
