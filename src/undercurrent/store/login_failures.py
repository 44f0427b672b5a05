"""The SQL of failed sign-ins (auth/throttle.py holds the rules: the window, the limits, the address key)."""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import Store


def count_failures(store: Store, address: str, *, since: str, username: str | None = None) -> int:
    """Failures from this address (and for this name, if given) at or after `since`."""
    f = schema.login_failures
    query = sa.select(sa.func.count()).where(f.c.address == address, f.c.at >= since)
    if username is not None:
        query = query.where(f.c.username == username)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def insert_failure(store: Store, address: str, username: str, *, at: str, forget_before: str) -> None:
    """Count one failure; rows older than `forget_before` go in the same transaction (the window is all
    the throttle needs)."""
    f = schema.login_failures
    with store.engine.begin() as conn:
        conn.execute(f.delete().where(f.c.at < forget_before))
        conn.execute(f.insert().values(at=at, address=address, username=username))


def delete_failures(store: Store, address: str, username: str) -> None:
    f = schema.login_failures
    with store.engine.begin() as conn:
        conn.execute(f.delete().where(f.c.address == address, f.c.username == username))
