"""Server-side sessions. The signed cookie carries only a random key; the sessions table keeps its SHA-256,
who it belongs to and when it ends. So a session can be ended for good (sign-out, a password or role change,
disabling), it ends 8 hours after sign-in however often the cookie is sent, and a copied cookie is worth
nothing once its session has ended."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from undercurrent.store import sessions as session_store
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
    session_store.insert_session(
        store, user_id=user_id, key_sha256=_digest(key), created_at=_stamp(moment),
        expires_at=_stamp(moment + timedelta(seconds=SESSION_SECONDS)), address=(address or "")[:64] or None,
        forget_before=_stamp(moment - timedelta(days=30)))
    return key


def end_session(store: Store, key: str) -> None:
    session_store.end_session_row(store, _digest(key), at=_stamp(utcnow()))


def end_user_sessions(store: Store, user_id: int, *, session_id: int | None = None, keep: str | None = None) -> int:
    """End a user's live sessions (only `session_id` if given; all but the one of key `keep` if given)."""
    return session_store.end_user_session_rows(store, user_id, at=_stamp(utcnow()), session_id=session_id,
                                               keep_sha256=_digest(keep) if keep is not None else None)


def list_sessions(store: Store, user_id: int, *, current: str | None = None) -> list[dict]:
    """A user's live sessions, newest first; `current` marks the one of this key."""
    mine = _digest(current) if current else None
    rows = session_store.live_session_rows(store, user_id, at=_stamp(utcnow()))
    return [{"id": r.id, "created_at": r.created_at, "expires_at": r.expires_at, "address": r.address,
             "current": r.key_sha256 == mine} for r in rows]
