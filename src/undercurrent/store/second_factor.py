"""The SQL of two-factor sign-in: the TOTP columns of users and the recovery codes (auth/twofactor.py
holds the rules: secrets, codes, time steps)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import Store


@dataclass(frozen=True)
class TotpState:
    secret: str | None
    pending: str | None
    last_step: int | None


def totp_state(store: Store, user_id: int) -> TotpState | None:
    u = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u.c.totp_secret, u.c.totp_pending, u.c.totp_last_step)
                           .where(u.c.id == user_id)).first()
    return TotpState(row.totp_secret, row.totp_pending, row.totp_last_step) if row else None


def set_pending_secret(store: Store, user_id: int, secret: str) -> None:
    u = schema.users
    with store.engine.begin() as conn:
        conn.execute(u.update().where(u.c.id == user_id).values(totp_pending=secret))


def switch_on(store: Store, user_id: int, *, secret: str, step: int, code_digests: list[str]) -> None:
    """The confirmed secret in force and a fresh set of recovery codes, in one transaction."""
    u, r = schema.users, schema.recovery_codes
    with store.engine.begin() as conn:
        conn.execute(u.update().where(u.c.id == user_id).values(totp_secret=secret, totp_pending=None,
                                                                totp_last_step=step))
        conn.execute(r.delete().where(r.c.user_id == user_id))
        conn.execute(r.insert(), [{"user_id": user_id, "code_sha256": d} for d in code_digests])


def advance_step(store: Store, user_id: int, step: int) -> bool:
    """Record `step` as the last accepted one, only if it is newer: guarded by the old step, so two
    requests racing with one code cannot both pass. True when this call recorded it."""
    u = schema.users
    with store.engine.begin() as conn:
        done = conn.execute(u.update().where(u.c.id == user_id, sa.or_(u.c.totp_last_step.is_(None),
                                                                        u.c.totp_last_step < step))
                            .values(totp_last_step=step)).rowcount
    return bool(done)


def use_recovery_code(store: Store, user_id: int, code_sha256: str, *, at: str) -> bool:
    """Mark an unused recovery code used; True when there was one."""
    r = schema.recovery_codes
    with store.engine.begin() as conn:
        done = conn.execute(r.update().where(r.c.user_id == user_id, r.c.code_sha256 == code_sha256,
                                             r.c.used_at.is_(None)).values(used_at=at)).rowcount
    return bool(done)


def unused_recovery_codes(store: Store, user_id: int) -> int:
    r = schema.recovery_codes
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(r.c.user_id == user_id, r.c.used_at.is_(None)))
                   .scalar_one())


def switch_off(store: Store, user_id: int) -> None:
    """Remove the secret and the recovery codes, in one transaction."""
    u, r = schema.users, schema.recovery_codes
    with store.engine.begin() as conn:
        conn.execute(u.update().where(u.c.id == user_id).values(totp_secret=None, totp_pending=None,
                                                                totp_last_step=None))
        conn.execute(r.delete().where(r.c.user_id == user_id))
