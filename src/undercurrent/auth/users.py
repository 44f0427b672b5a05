"""Users and API tokens: argon2 password hashes, roles viewer < reviewer < admin, audited changes."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from undercurrent.auth import sessions, throttle
from undercurrent.auth.sessions import end_user_sessions, key_digest, start_session, utcnow
from undercurrent.errors import BadUser, NoSuchUser
from undercurrent.store import schema
from undercurrent.store import users as user_store
from undercurrent.store.db import Store
from undercurrent.store.records import audit

ROLES = schema.ROLES
MIN_PASSWORD_LENGTH = 10
# Failed sign-ins allowed per client address and name in LOCKOUT_MINUTES (see auth/throttle.py).
MAX_FAILURES = throttle.MAX_FAILURES
LOCKOUT_MINUTES = throttle.WINDOW_MINUTES
TOKEN_PREFIX = "uc_"
MAX_TOKEN_DAYS = 3650
# Names appear in URLs, audit rows, file names and shells: letters, digits and . _ - only.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool = True
    two_factor: bool = False

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or a more powerful one."""
        return self.active and ROLES.index(self.role) >= ROLES.index(role)

    def as_dict(self) -> dict:
        return {"id": self.id, "username": self.username, "role": self.role, "active": self.active,
                "two_factor": self.two_factor}


def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _user(row: user_store.UserRow) -> User:
    return User(id=row.id, username=row.username, role=row.role, active=bool(row.active),
                two_factor=bool(row.totp_secret))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise BadUser(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadUser(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise BadUser("a password of only spaces is refused")


def add_user(store: Store, username: str, password: str, role: str, *, by: str = "cli") -> User:
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise BadUser(f"bad username {username[:80]!r}: 1-80 letters, digits, '.', '_' or '-', "
                      "starting with a letter or digit")
    _check_role(role)
    _check_password(password)
    try:
        user_store.insert_user(store, username=username, password_hash=_hasher().hash(password), role=role,
                         audit_actor=by, audit_detail=f"{username} as {role}")
    except user_store.UserExists:
        raise BadUser(f"user {username!r} exists already") from None
    return get_user(store, username)


def get_user(store: Store, username: str) -> User:
    row = user_store.user_named(store, username)
    if row is None:
        raise NoSuchUser(f"no user {username!r}")
    return _user(row)


def user_for_session(store: Store, key: str) -> User | None:
    """The user of a live session (not ended, not expired), in one query: it runs on every request."""
    row = user_store.user_of_session(store, key_digest(key), at=sessions.utcnow().isoformat(timespec="seconds"))
    return _user(row) if row else None


def user_by_id(store: Store, user_id: int) -> User | None:
    row = user_store.user_with_id(store, user_id)
    return _user(row) if row else None


def list_users(store: Store) -> list[User]:
    return [_user(row) for row in user_store.all_users(store)]


def recent_failures(store: Store, username: str, address: str | None = None) -> int:
    """Failed sign-ins for this name from this address in the last LOCKOUT_MINUTES."""
    return throttle.failures(store, address, username)


def authenticate(store: Store, username: str, password: str, *, address: str | None = None) -> User | None:
    """The active user with this password, else None. Failures are counted per address and name and audited
    within limits (auth/throttle.py); a throttled address is refused for that name without checking.
    A success is not yet a sign-in: `open_session` is (after the second factor, if the user has one)."""
    username = username[:80]
    if throttle.refused(store, address, username):
        return None
    row = user_store.user_named(store, username)
    ok = False
    if row is not None:
        try:
            ok = _hasher().verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher().hash(password)  # same work for unknown names: timing does not reveal which names exist
    if not ok or row is None or not row.active:
        throttle.record_failure(store, address, username, known=row is not None, why="bad credentials or inactive user")
        return None
    throttle.clear_failures(store, address, username)
    return _user(row)


def second_factor_failed(store: Store, user: User, *, address: str | None = None) -> None:
    """A wrong second factor counts against the address and name like a wrong password."""
    throttle.record_failure(store, address, user.username, known=True, why="wrong second factor")


def open_session(store: Store, user: User, *, address: str | None = None, how: str = "password") -> str:
    """Sign a user in: a new server-side session; returns the key its cookie carries."""
    audit(store, actor=user.username, action="login", detail=f"{how} from {(address or '-')[:64]}")
    return start_session(store, user.id, address=address)


def change_password(store: Store, username: str, current: str, new: str, *, address: str | None = None) -> User:
    """A user's own change: the current password is required (and guessing it is throttled like sign-in, so
    a stolen session cannot find it). Ends every session of the user (the caller opens a fresh one for the
    browser that asked)."""
    if authenticate(store, username, current, address=address) is None:
        raise BadUser("the current password is not right (or too many wrong tries: wait 15 minutes)")
    return update_user(store, username, password=new, by=username)


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
        user_store.update_user_row(store, user.id, values)
        if password is not None or active is False or (role is not None and role != user.role):
            # Whoever held a session under the old password or role must sign in again.
            end_user_sessions(store, user.id)
        changed = ", ".join(f"{k}={v}" for k, v in values.items() if k != "password_hash")
        audit(store, actor=by, action="user:update",
              detail=f"{username}: {changed}{' password changed' if password else ''}".strip())
    return get_user(store, username)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, username: str, name: str = "script", *, by: str = "cli",
                 expires_days: int | None = None) -> str:
    """A new API token for a user, valid for `expires_days` days or until revoked; it is shown once and
    only its hash is stored."""
    user = get_user(store, username)
    if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
        raise BadUser(f"token expiry must be 1 to {MAX_TOKEN_DAYS} days, not {expires_days}")
    expires = (utcnow() + timedelta(days=expires_days)).isoformat(timespec="seconds") if expires_days else None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user_store.insert_token(store, user_id=user.id, name=name[:80], token_sha256=_digest(token), expires_at=expires)
    audit(store, actor=by, action="token:add", detail=f"{username}: {name}" + (f", expires {expires}" if expires else ""))
    return token


def user_for_token(store: Store, token: str) -> User | None:
    row = user_store.user_of_token(store, _digest(token))
    return _user(row) if row else None


def list_tokens(store: Store, username: str) -> list[dict]:
    """A user's tokens that still work (never the token itself: only its hash is kept)."""
    return user_store.live_tokens(store, get_user(store, username).id)


def revoke_token(store: Store, username: str, token_id: int, *, by: str) -> bool:
    """Revoke one of a user's tokens; False when the user has no such live token."""
    done = user_store.revoke_token_row(store, get_user(store, username).id, token_id)
    if done:
        audit(store, actor=by, action="token:revoke", detail=f"{username}: token {token_id}")
    return done


def revoke_tokens(store: Store, username: str, *, by: str) -> int:
    count = user_store.revoke_user_tokens(store, get_user(store, username).id)
    audit(store, actor=by, action="token:revoke", detail=f"{username}: {count}")
    return count
