"""Users and API tokens: argon2 password hashes, roles viewer < reviewer < admin, audited changes."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from undercurrent.errors import UndercurrentError
from undercurrent.store import schema
from undercurrent.store.db import Store
from undercurrent.store.records import audit, now

ROLES = schema.ROLES
MIN_PASSWORD_LENGTH = 10
# Failed sign-ins allowed per user name in LOCKOUT_MINUTES before further attempts are refused unchecked.
MAX_FAILURES = 5
LOCKOUT_MINUTES = 15
TOKEN_PREFIX = "uc_"


class BadUser(UndercurrentError):
    code = "E022"


class NoSuchUser(BadUser):
    """A user name that is not in the database (the API answers 404)."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool = True

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or a more powerful one."""
        return self.active and ROLES.index(self.role) >= ROLES.index(role)

    def as_dict(self) -> dict:
        return {"id": self.id, "username": self.username, "role": self.role, "active": self.active}


def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _user(row) -> User:
    return User(id=row.id, username=row.username, role=row.role, active=bool(row.active))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise BadUser(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadUser(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")


def add_user(store: Store, username: str, password: str, role: str, *, by: str = "cli") -> User:
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise BadUser(f"bad username {username!r}: 1-80 characters, no spaces")
    _check_role(role)
    _check_password(password)
    u = schema.users
    with store.engine.begin() as conn:
        if conn.execute(sa.select(u.c.id).where(u.c.username == username)).first():
            raise BadUser(f"user {username!r} exists already")
        conn.execute(u.insert().values(username=username, password_hash=_hasher().hash(password), role=role,
                                       active=True, created_at=now()))
    audit(store, actor=by, action="user:add", detail=f"{username} as {role}")
    return get_user(store, username)


def get_user(store: Store, username: str) -> User:
    u = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).where(u.c.username == username)).first()
    if row is None:
        raise NoSuchUser(f"no user {username!r}")
    return _user(row)


def user_by_id(store: Store, user_id: int) -> User | None:
    u = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).where(u.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(store: Store) -> list[User]:
    u = schema.users
    with store.engine.connect() as conn:
        return [_user(row) for row in conn.execute(sa.select(u).order_by(u.c.username))]


def recent_failures(store: Store, username: str) -> int:
    """Failed sign-ins for this name in the last LOCKOUT_MINUTES, since its last successful one."""
    from datetime import datetime, timedelta, timezone

    a = schema.audit_log
    since = (datetime.now(timezone.utc) - timedelta(minutes=LOCKOUT_MINUTES)).isoformat(timespec="seconds")
    with store.engine.connect() as conn:
        # Ids, not times, order the log: several sign-ins can share one second.
        last_ok = conn.execute(sa.select(sa.func.max(a.c.id)).where(a.c.actor == username, a.c.action == "login")).scalar()
        query = sa.select(sa.func.count()).where(a.c.actor == username, a.c.action == "login:failed",
                                                 a.c.at >= since, a.c.id > (last_ok or 0))
        return int(conn.execute(query).scalar_one())


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The active user with this password, else None. Failures are audited (without the password); after
    MAX_FAILURES in LOCKOUT_MINUTES a name is refused without checking, which stops guessing."""
    u = schema.users
    username = username[:80]
    if recent_failures(store, username) >= MAX_FAILURES:
        audit(store, actor=username or "-", action="login:locked", detail=f"{MAX_FAILURES} failures in {LOCKOUT_MINUTES} min")
        return None
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).where(u.c.username == username)).first()
    ok = False
    if row is not None:
        try:
            ok = _hasher().verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher().hash(password)  # same work for unknown names: timing does not reveal which names exist
    if not ok or not row.active:
        audit(store, actor=username or "-", action="login:failed", detail="bad credentials or inactive user")
        return None
    audit(store, actor=row.username, action="login", detail="")
    return _user(row)


def update_user(store: Store, username: str, *, role: str | None = None, active: bool | None = None,
                password: str | None = None, by: str) -> User:
    if username == by and (role not in (None, "admin") or active is False):
        raise BadUser("an admin cannot demote or disable themselves")
    user = get_user(store, username)
    values: dict = {}
    if role is not None:
        _check_role(role)
        values["role"] = role
    if active is not None:
        values["active"] = active
    if password is not None:
        _check_password(password)
        values["password_hash"] = _hasher().hash(password)
    if values:
        with store.engine.begin() as conn:
            conn.execute(schema.users.update().where(schema.users.c.id == user.id).values(**values))
        changed = ", ".join(f"{k}={v}" for k, v in values.items() if k != "password_hash")
        audit(store, actor=by, action="user:update",
              detail=f"{username}: {changed}{' password changed' if password else ''}".strip())
    return get_user(store, username)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, username: str, name: str = "script", *, by: str = "cli") -> str:
    """A new API token for a user; it is shown once and only its hash is stored."""
    user = get_user(store, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(schema.api_tokens.insert().values(user_id=user.id, name=name[:80], token_sha256=_digest(token),
                                                       created_at=now(), revoked=False))
    audit(store, actor=by, action="token:add", detail=f"{username}: {name}")
    return token


def user_for_token(store: Store, token: str) -> User | None:
    t, u = schema.api_tokens, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u).join(t, t.c.user_id == u.c.id)
                           .where(t.c.token_sha256 == _digest(token), t.c.revoked.is_(False))).first()
    return _user(row) if row else None


def revoke_tokens(store: Store, username: str, *, by: str) -> int:
    user = get_user(store, username)
    with store.engine.begin() as conn:
        result = conn.execute(schema.api_tokens.update().where(schema.api_tokens.c.user_id == user.id)
                              .values(revoked=True))
    audit(store, actor=by, action="token:revoke", detail=f"{username}: {result.rowcount}")
    return result.rowcount
