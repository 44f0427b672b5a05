"""Two-factor sign-in: TOTP (RFC 6238, 30-second steps, the authenticator apps' default) and single-use
recovery codes kept as SHA-256. A code is good once: the last accepted time step is stored, so a code seen
over a shoulder cannot be replayed within its 90-second window."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp

from undercurrent.auth.sessions import utcnow
from undercurrent.errors import BadCode
from undercurrent.store import second_factor
from undercurrent.store.db import Store
from undercurrent.store.records import audit

ISSUER = "Undercurrent"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("utf-8")).hexdigest()


def _normalise(code: str) -> str:
    return "".join(c for c in code if c.isalnum()).lower()


def begin_enrolment(store: Store, user_id: int, username: str) -> tuple[str, str]:
    """A new secret awaiting confirmation (a second start replaces it). Returns the secret and its
    otpauth:// URI for an authenticator app; neither is shown again."""
    state = second_factor.totp_state(store, user_id)
    if state is not None and state.secret:
        # Else whoever holds a session could swap in their own secret without the password.
        raise BadCode("two-factor sign-in is on already: turn it off (with your password) to enrol again")
    secret = pyotp.random_base32()
    second_factor.set_pending_secret(store, user_id, secret)
    return secret, pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def _step_of(secret: str, code: str, last_step: int | None, *, at: float | None = None) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is, if newer than last_step."""
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now_step = pyotp.TOTP(secret), int((time.time() if at is None else at) // STEP_SECONDS)
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code) and (last_step is None or step > last_step):
            return step
    return None


def confirm_enrolment(store: Store, user_id: int, username: str, code: str) -> list[str]:
    """Turn two-factor sign-in on with the pending secret once a code from it is right; returns the
    recovery codes (shown once, stored hashed)."""
    state = second_factor.totp_state(store, user_id)
    pending = state.pending if state else None
    if not pending:
        raise BadCode("no two-factor enrolment under way: start again on the account page")
    step = _step_of(pending, code, None)
    if step is None:
        raise BadCode("that code is not right for the new secret: check the app's clock and try the next code")
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    second_factor.switch_on(store, user_id, secret=pending, step=step, code_digests=[_digest(c) for c in codes])
    audit(store, actor=username, action="2fa:on", detail=f"{username}: {RECOVERY_CODES} recovery codes")
    return codes


def verify(store: Store, user_id: int, code: str) -> str | None:
    """Check a second factor: a TOTP code (once) or an unused recovery code (then used up).
    Returns "totp" or "recovery", or None when it is wrong."""
    state = second_factor.totp_state(store, user_id)
    if state is None or not state.secret:
        return None
    step = _step_of(state.secret, code, state.last_step)
    if step is not None:
        # Guarded by the old step: two requests racing with one code cannot both pass.
        return "totp" if second_factor.advance_step(store, user_id, step) else None
    used = second_factor.use_recovery_code(store, user_id, _digest(code), at=utcnow().isoformat(timespec="seconds"))
    return "recovery" if used else None


def recovery_codes_left(store: Store, user_id: int) -> int:
    return second_factor.unused_recovery_codes(store, user_id)


def turn_off(store: Store, user_id: int, username: str, *, by: str) -> None:
    """Remove the secret and the recovery codes (the user, with their password, or an admin for a lost phone)."""
    second_factor.switch_off(store, user_id)
    audit(store, actor=by, action="2fa:off", detail=username)
