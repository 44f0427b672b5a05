"""Users and tokens in the library, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from undercurrent.auth import users
from undercurrent.store import schema


def test_passwords_are_hashed_and_checked(store):
    users.add_user(store, "ana", "a long password", "reviewer")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    assert users.authenticate(store, "ana", "a long password").role == "reviewer"
    assert users.authenticate(store, "ana", "wrong password") is None
    assert users.authenticate(store, "nobody", "a long password") is None


def test_roles_include_the_ones_below():
    admin, viewer = users.User(1, "a", "admin"), users.User(2, "v", "viewer")
    assert admin.can("reviewer") and admin.can("viewer") and not viewer.can("reviewer")
    assert not users.User(3, "x", "admin", active=False).can("viewer")


def test_repeated_failures_lock_the_name_for_a_while(store):
    users.add_user(store, "ana", "a long password", "viewer")
    for _ in range(users.MAX_FAILURES):
        assert users.authenticate(store, "ana", "guess guess") is None
    # Locked: even the right password is refused until the window passes.
    assert users.authenticate(store, "ana", "a long password") is None
    with store.engine.connect() as conn:
        actions = [r[0] for r in conn.execute(sa.select(schema.audit_log.c.action).order_by(schema.audit_log.c.id))]
    assert actions[-1] == "login:locked"
    # Another name is not affected.
    users.add_user(store, "bo", "another long pw", "viewer")
    assert users.authenticate(store, "bo", "another long pw") is not None


def test_a_success_resets_the_failure_count(store):
    users.add_user(store, "ana", "a long password", "viewer")
    for _ in range(users.MAX_FAILURES - 1):
        users.authenticate(store, "ana", "guess guess")
    assert users.authenticate(store, "ana", "a long password") is not None
    assert users.recent_failures(store, "ana") == 0


def test_tokens_are_stored_as_digests_and_can_be_revoked(store):
    users.add_user(store, "ana", "a long password", "viewer")
    token = users.create_token(store, "ana", "nb")
    with store.engine.connect() as conn:
        digest = conn.execute(sa.select(schema.api_tokens.c.token_sha256)).scalar_one()
    assert token not in digest and len(digest) == 64
    assert users.user_for_token(store, token).username == "ana"
    assert users.revoke_tokens(store, "ana", by="test") == 1
    assert users.user_for_token(store, token) is None


def test_bad_users_are_refused(store):
    with pytest.raises(users.BadUser, match="unknown role"):
        users.add_user(store, "ana", "a long password", "king")
    with pytest.raises(users.BadUser, match="too short"):
        users.add_user(store, "ana", "short", "viewer")
    with pytest.raises(users.BadUser, match="bad username"):
        users.add_user(store, "two words", "a long password", "viewer")
    with pytest.raises(users.BadUser, match="no user"):
        users.update_user(store, "ghost", role="admin", by="test")


def test_a_user_is_never_added_without_its_audit_row(store, monkeypatch):
    """The user and its audit row are one transaction: when the audit insert fails, no user is left."""
    from undercurrent.store import users as user_store

    def broken_audit(conn, **_):
        raise RuntimeError("audit insert failed")

    monkeypatch.setattr(user_store, "write_audit", broken_audit)
    with pytest.raises(RuntimeError):
        users.add_user(store, "ana", "a long password", "reviewer")
    with pytest.raises(users.NoSuchUser):
        users.get_user(store, "ana")
    monkeypatch.undo()
    users.add_user(store, "ana", "a long password", "reviewer")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.audit_log.c.action, schema.audit_log.c.detail)).all()
    assert [tuple(r) for r in rows] == [("user:add", "ana as reviewer")]
