"""The form of a record's key, shared by the store (which makes keys) and corroboration (which names
clusters after them). Why keys follow arrival order: store/arrival.py."""
from __future__ import annotations

MARK = "n"  # never a hex digit: a hashed key (store/rows.py stable_id) never starts with it
DIGITS = 10  # fixed width, so that string order is arrival order
HASH_DIGITS = 11  # of the record's stable hash: tells one report's records apart


def arrival_key(arrival: int, stable: str) -> str:
    """A record's key from its report's arrival number and the record's stable hash."""
    return f"{MARK}{arrival:0{DIGITS}d}{stable[:HASH_DIGITS]}"


def in_arrival_order(key: str) -> bool:
    """A key made by `arrival_key`, not a hashed one."""
    return key.startswith(MARK)
