"""The sign-in throttle counts failures by client address AND name, so a stranger cannot lock the real
user out, and the audit log takes a bounded number of rows per address (on SQLite and PostgreSQL)."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.auth import throttle, users
from undercurrent.store import schema

ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


def audit_rows(store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(schema.audit_log).order_by(schema.audit_log.c.id)).all()


def test_guesses_from_one_address_do_not_lock_the_real_user_out(store):
    users.add_user(store, "admin", "the real password", "admin")
    for _ in range(users.MAX_FAILURES + 2):
        assert users.authenticate(store, "admin", "a guess guess", address=ATTACKER) is None
    # The attacker's address is refused for this name even with the right password ...
    assert users.authenticate(store, "admin", "the real password", address=ATTACKER) is None
    # ... while the real admin, from their own address, signs in.
    assert users.authenticate(store, "admin", "the real password", address=OFFICE) is not None
    actions = [r.action for r in audit_rows(store)]
    assert actions.count("login:failed") == users.MAX_FAILURES and actions.count("login:locked") == 1


def test_one_address_guessing_across_names_is_stopped(store):
    users.add_user(store, "ana", "ana's password", "viewer")
    for i in range(throttle.MAX_ADDRESS_FAILURES):
        users.authenticate(store, f"name{i}", "a guess guess", address=ATTACKER)
    assert users.authenticate(store, "ana", "ana's password", address=ATTACKER) is None
    assert users.authenticate(store, "ana", "ana's password", address=OFFICE) is not None


def test_audit_rows_per_address_are_capped_and_chosen_names_not_written(store):
    users.add_user(store, "ana", "ana's password", "viewer")
    names = [f"evil{i}<script>" for i in range(throttle.MAX_ADDRESS_FAILURES + 10)]
    for name in names:
        users.authenticate(store, name, "a guess guess", address=ATTACKER)
    rows = audit_rows(store)
    failed = [r for r in rows if r.action == "login:failed"]
    assert len(failed) == throttle.AUDITED_FAILURES
    assert [r.action for r in rows].count("login:throttled") == 1
    assert all(name not in f"{r.actor} {r.detail}" for r in rows for name in names)
    # Rows kept for the throttle stop growing once the address is refused.
    with store.engine.connect() as conn:
        kept = conn.execute(sa.select(sa.func.count()).select_from(schema.login_failures)).scalar_one()
    assert kept == throttle.MAX_ADDRESS_FAILURES
    # Another address is audited as before.
    users.authenticate(store, "ana", "wrong guess", address=OFFICE)
    assert audit_rows(store)[-1].actor == "ana" and OFFICE in audit_rows(store)[-1].detail


def test_a_success_forgives_that_address_and_name(store):
    users.add_user(store, "ana", "ana's password", "viewer")
    for _ in range(users.MAX_FAILURES - 1):
        users.authenticate(store, "ana", "guess guess", address=OFFICE)
    assert users.authenticate(store, "ana", "ana's password", address=OFFICE) is not None
    assert users.recent_failures(store, "ana", OFFICE) == 0


def test_an_ipv6_client_cannot_dodge_the_throttle_by_changing_its_address(store):
    users.add_user(store, "ana", "ana's password", "viewer")
    for i in range(users.MAX_FAILURES):
        users.authenticate(store, "ana", "a guess guess", address=f"2001:db8:1:2::{i + 1:x}")
    assert users.authenticate(store, "ana", "ana's password", address="2001:db8:1:2::abcd") is None
    assert users.authenticate(store, "ana", "ana's password", address="2001:db8:1:3::1") is not None
