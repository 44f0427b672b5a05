"""Server-side sessions. The signed cookie carries only a random key; the sessions table keeps its SHA-256,
who it belongs to and when it ends. So a session can be ended for good (sign-out, a password or role change,
disabling), it ends 8 hours after sign-in however often the cookie is sent, and a copied cookie is worth
nothing once its session has ended."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import Store

# Absolute lifetime of a session, from sign-in. The cookie is not re-issued to slide it.
SESSION_HOURS = 8
SESSION_SECONDS = SESSION_HOURS * 3600


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


_digest = key_digest


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def utcnow() -> datetime:
    return datetime.now(UTC)


def start_session(store: Store, user_id: int, *, address: str | None = None) -> str:
    """A new session for a user; returns the key for the cookie (only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    moment = utcnow()
    with store.engine.begin() as conn:
        # Rows of sessions long over are of no use (sign-ins are in the audit log): keep the table small.
        conn.execute(schema.sessions.delete().where(schema.sessions.c.expires_at < _stamp(moment - timedelta(days=30))))
        conn.execute(schema.sessions.insert().values(
            user_id=user_id, key_sha256=_digest(key), created_at=_stamp(moment),
            expires_at=_stamp(moment + timedelta(seconds=SESSION_SECONDS)), address=(address or "")[:64] or None))
    return key


def end_session(store: Store, key: str) -> None:
    s = schema.sessions
    with store.engine.begin() as conn:
        conn.execute(s.update().where(s.c.key_sha256 == _digest(key), s.c.ended_at.is_(None))
                     .values(ended_at=_stamp(utcnow())))


def end_user_sessions(store: Store, user_id: int, *, session_id: int | None = None, keep: str | None = None) -> int:
    """End a user's live sessions (only `session_id` if given; all but the one of key `keep` if given)."""
    s = schema.sessions
    query = s.update().where(s.c.user_id == user_id, s.c.ended_at.is_(None))
    if session_id is not None:
        query = query.where(s.c.id == session_id)
    if keep is not None:
        query = query.where(s.c.key_sha256 != _digest(keep))
    with store.engine.begin() as conn:
        return conn.execute(query.values(ended_at=_stamp(utcnow()))).rowcount


def list_sessions(store: Store, user_id: int, *, current: str | None = None) -> list[dict]:
    """A user's live sessions, newest first; `current` marks the one of this key."""
    s = schema.sessions
    mine = _digest(current) if current else None
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(s).where(s.c.user_id == user_id, s.c.ended_at.is_(None),
                                               s.c.expires_at > _stamp(utcnow())).order_by(s.c.id.desc())).all()
    return [{"id": r.id, "created_at": r.created_at, "expires_at": r.expires_at, "address": r.address,
             "current": r.key_sha256 == mine} for r in rows]
