"""The sign-in throttle. Failures are counted per client address AND name, so a stranger who guesses at
`admin` locks only their own address out of `admin`; the real admin signs in from elsewhere. An address is
also stopped after MAX_ADDRESS_FAILURES failures over any names (guessing across many names). The audit log
takes at most AUDITED_FAILURES failure rows per address per window, then one summary row: an attacker cannot
flood it, and names of users that do not exist are never written (they are the attacker's text)."""
from __future__ import annotations

import ipaddress
from datetime import timedelta

from undercurrent.auth.sessions import utcnow
from undercurrent.store import login_failures
from undercurrent.store.db import Store
from undercurrent.store.records import audit

WINDOW_MINUTES = 15
MAX_FAILURES = 5  # per address and name in the window
MAX_ADDRESS_FAILURES = 20  # per address over all names in the window
AUDITED_FAILURES = 10  # failure rows in the audit log per address in the window; then one summary row


def _since() -> str:
    return (utcnow() - timedelta(minutes=WINDOW_MINUTES)).isoformat(timespec="seconds")


def _address(address: str | None) -> str:
    """The key an address is counted under: an IPv6 client is its /64 (one host usually holds a whole /64,
    and would otherwise try from a fresh address each time)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "-")[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def failures(store: Store, address: str | None, username: str | None = None) -> int:
    """Failed sign-ins from this address (and for this name, if given) in the last WINDOW_MINUTES."""
    return login_failures.count_failures(store, _address(address), since=_since(),
                                         username=username[:80] if username is not None else None)


def refused(store: Store, address: str | None, username: str) -> bool:
    """True when this address may not try this name now. Refused attempts are not checked, counted or
    audited: they cost the server nothing and cannot flood any table."""
    return (failures(store, address, username) >= MAX_FAILURES
            or failures(store, address) >= MAX_ADDRESS_FAILURES)


def record_failure(store: Store, address: str | None, username: str, *, known: bool, why: str) -> None:
    """Count a failure; audit it while this address is under AUDITED_FAILURES, then once more to say so."""
    address = _address(address)
    login_failures.insert_failure(store, address, username[:80], at=utcnow().isoformat(timespec="seconds"),
                                  forget_before=_since())
    # Both counts for every name, so the time taken does not tell a user's name from another.
    count, pair = failures(store, address), failures(store, address, username)
    if count <= AUDITED_FAILURES:
        # Only names of real users go in the actor column; anything else is text the caller chose.
        actor = username if known else "-"
        detail = f"{why} from {address}" + ("" if known else " (no such user)")
        audit(store, actor=actor, action="login:failed", detail=detail)
        if known and pair == MAX_FAILURES:
            audit(store, actor=username, action="login:locked",
                  detail=f"{address} refused for this name for {WINDOW_MINUTES} min after {MAX_FAILURES} failures")
    elif count == AUDITED_FAILURES + 1:
        audit(store, actor="-", action="login:throttled",
              detail=f"{address}: over {AUDITED_FAILURES} failed sign-ins in {WINDOW_MINUTES} min; "
                     "further failures from this address are not logged until the window passes")


def clear_failures(store: Store, address: str | None, username: str) -> None:
    """A successful sign-in forgives this address's failures for this name."""
    login_failures.delete_failures(store, _address(address), username[:80])
