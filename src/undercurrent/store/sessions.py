"""The SQL of server-side sessions (auth/sessions.py holds the rules: keys, lifetime, the clock).
Times are ISO strings from the caller, so the clock auth uses (and tests move) is the one queries see."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import Store


def insert_session(store: Store, *, user_id: int, key_sha256: str, created_at: str, expires_at: str,
                   address: str | None, forget_before: str) -> None:
    """A new session; in the same transaction, rows of sessions that expired before `forget_before` go
    (sign-ins are in the audit log: old rows are of no use, and the table stays small)."""
    s = schema.sessions
    with store.engine.begin() as conn:
        conn.execute(s.delete().where(s.c.expires_at < forget_before))
        conn.execute(s.insert().values(user_id=user_id, key_sha256=key_sha256, created_at=created_at,
                                       expires_at=expires_at, address=address))


def end_session_row(store: Store, key_sha256: str, *, at: str) -> None:
    s = schema.sessions
    with store.engine.begin() as conn:
        conn.execute(s.update().where(s.c.key_sha256 == key_sha256, s.c.ended_at.is_(None)).values(ended_at=at))


def end_user_session_rows(store: Store, user_id: int, *, at: str, session_id: int | None = None,
                          keep_sha256: str | None = None) -> int:
    """End a user's live sessions (only `session_id` if given; all but the one of `keep_sha256` if given)."""
    s = schema.sessions
    query = s.update().where(s.c.user_id == user_id, s.c.ended_at.is_(None))
    if session_id is not None:
        query = query.where(s.c.id == session_id)
    if keep_sha256 is not None:
        query = query.where(s.c.key_sha256 != keep_sha256)
    with store.engine.begin() as conn:
        return conn.execute(query.values(ended_at=at)).rowcount


def live_session_rows(store: Store, user_id: int, *, at: str) -> list[Any]:
    """A user's sessions not ended and not expired at `at`, newest first (rows with id, key_sha256,
    created_at, expires_at, address)."""
    s = schema.sessions
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(s).where(s.c.user_id == user_id, s.c.ended_at.is_(None),
                                                    s.c.expires_at > at).order_by(s.c.id.desc())).all())
