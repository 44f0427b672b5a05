"""The SQL of users and API tokens. The rules (names, roles, passwords, hashing, who may do what) are in
auth/users.py; this module only reads and writes rows, and takes the time from its caller so that the
clock the auth layer uses (and tests move) is the one every query sees."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import Store
from undercurrent.store.records import now, write_audit


class UserExists(Exception):
    """A user of that name is in the table already (auth turns it into its coded error)."""


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: str
    active: bool
    password_hash: str
    totp_secret: str | None


def _user_row(row: Any) -> UserRow:
    return UserRow(id=row.id, username=row.username, role=row.role, active=bool(row.active),
                   password_hash=row.password_hash, totp_secret=row.totp_secret)


def insert_user(store: Store, *, username: str, password_hash: str, role: str, audit_actor: str,
                audit_detail: str) -> None:
    """A new user and its audit row in one transaction: a user is never added unaudited."""
    u = schema.users
    with store.engine.begin() as conn:
        if conn.execute(sa.select(u.c.id).where(u.c.username == username)).first():
            raise UserExists(username)
        conn.execute(u.insert().values(username=username, password_hash=password_hash, role=role,
                                       active=True, created_at=now()))
        write_audit(conn, actor=audit_actor, action="user:add", detail=audit_detail)


def user_named(store: Store, username: str) -> UserRow | None:
    u = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).where(u.c.username == username)).first()
    return _user_row(row) if row else None


def user_with_id(store: Store, user_id: int) -> UserRow | None:
    u = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).where(u.c.id == user_id)).first()
    return _user_row(row) if row else None


def user_of_session(store: Store, key_sha256: str, *, at: str) -> UserRow | None:
    """The user of a live session (not ended, not expired at `at`), in one query: it runs on every request."""
    s, u = schema.sessions, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).join(s, s.c.user_id == u.c.id)
                           .where(s.c.key_sha256 == key_sha256, s.c.ended_at.is_(None), s.c.expires_at > at)).first()
    return _user_row(row) if row else None


def all_users(store: Store) -> list[UserRow]:
    u = schema.users
    with store.engine.connect() as conn:
        return [_user_row(row) for row in conn.execute(sa.select(u).order_by(u.c.username))]


def update_user_row(store: Store, user_id: int, values: dict[str, Any]) -> None:
    """Set role, active and/or password_hash of one user."""
    with store.engine.begin() as conn:
        conn.execute(schema.users.update().where(schema.users.c.id == user_id).values(**values))


def insert_token(store: Store, *, user_id: int, name: str, token_sha256: str, expires_at: str | None) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.api_tokens.insert().values(user_id=user_id, name=name, token_sha256=token_sha256,
                                                       created_at=now(), revoked=False, expires_at=expires_at))


def _live(t: sa.Table) -> Any:
    return sa.and_(t.c.revoked.is_(False), sa.or_(t.c.expires_at.is_(None), t.c.expires_at > now()))


def user_of_token(store: Store, token_sha256: str) -> UserRow | None:
    t, u = schema.api_tokens, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).join(t, t.c.user_id == u.c.id)
                           .where(t.c.token_sha256 == token_sha256, _live(t))).first()
    return _user_row(row) if row else None


def live_tokens(store: Store, user_id: int) -> list[dict[str, Any]]:
    """id, name, created_at and expires_at of a user's tokens that still work."""
    t = schema.api_tokens
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.id, t.c.name, t.c.created_at, t.c.expires_at)
                            .where(t.c.user_id == user_id, _live(t)).order_by(t.c.id)).all()
    return [dict(r._mapping) for r in rows]


def revoke_token_row(store: Store, user_id: int, token_id: int) -> bool:
    """Revoke one live token of a user; False when there is no such token."""
    t = schema.api_tokens
    with store.engine.begin() as conn:
        done = conn.execute(t.update().where(t.c.id == token_id, t.c.user_id == user_id, t.c.revoked.is_(False))
                            .values(revoked=True)).rowcount
    return bool(done)


def revoke_user_tokens(store: Store, user_id: int) -> int:
    """Revoke every token of a user; the number of rows changed."""
    t = schema.api_tokens
    with store.engine.begin() as conn:
        return conn.execute(t.update().where(t.c.user_id == user_id).values(revoked=True)).rowcount
