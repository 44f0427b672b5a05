"""Near-duplicate reports (reprints) with MinHash over word shingles and banded LSH.

The band keys are 64-bit integers so that the store can keep them in one compact index (store/schema.py,
report_bands): an incremental lookup is one SQL query, and a rebuild groups the same keys. Both then
confirm a candidate with the same estimated Jaccard threshold, so they find the same reprints.

Reprints are looked for among reports of nearby dates: a key carries its report's window of time (its
publication date, else the day it was stored, in blocks of WINDOW_DAYS) in its high bits, and a report
meets the reports of its own window and of the two beside it. Reports printed within WINDOW_DAYS of each
other always meet, reports two windows or more apart (182 days) never. Why: with the window first, the keys a save
writes and reads are neighbours in the band index (the newest window's), where keys of hashes alone
landed on 32 random leaves of a tree that outgrew memory at a million reports (docs/decisions.md)."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from undercurrent.dates import period_start

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 x 4 = 128: a pair at 0.6 Jaccard shares a band with probability 0.99
SHINGLE = 5  # words per shingle
SCHEME = "affine32"  # datasketch 2.0's default, named so that stored signatures stay comparable
# Two texts that share this share of their shingles are one text reprinted (with a new headline,
# a credit line or light edits). Stories about the same event in different words score far lower.
THRESHOLD = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)

WINDOW_DAYS = 91  # a quarter of a year: copies printed within it always meet
WINDOW_BITS, HASH_BITS = 15, 48  # 15 + 48 bits: a key stays a positive signed 64-bit integer
HASH_MASK = (1 << HASH_BITS) - 1
LAST_WINDOW = (1 << WINDOW_BITS) - 1  # 8,000 years of 91 days from 1970
_EPOCH = date(1970, 1, 1)


def shingles(text: str, *, size: int = SHINGLE) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _permutations():
    """The seeded permutations, made once per process: making them took most of a signature's time."""
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text: NUM_PERM unsigned 64-bit values (stable across runs)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def bands(sig: np.ndarray) -> list[int]:
    """One key per band: a signed 64-bit hash (PostgreSQL's BIGINT is signed) of the band's rows,
    personalised with the band's number, so equal rows in two different bands give different keys."""
    raw = np.asarray(sig, dtype="<u8")
    return [int.from_bytes(hashlib.blake2b(raw[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8,
                                           person=band.to_bytes(2, "little")).digest(), "little", signed=True)
            for band in range(BANDS)]


def window(published: str | None, stored: str | None = None) -> int:
    """A report's window of time: its publication date, else the day it was stored (`ingested_at`), in
    blocks of WINDOW_DAYS from 1970. A date of only a year or a month counts from its first day."""
    for text in (published, stored):
        day = _day(text)
        if day is not None:
            return min(max(day // WINDOW_DAYS, 0), LAST_WINDOW)
    return 0


def _day(text: str | None) -> int | None:
    try:
        return (period_start((text or "")[:10]) - _EPOCH).days
    except ValueError:
        return None


def keys(sig: np.ndarray, at: int) -> list[int]:
    """The band keys of a report in window `at`: the window in the high bits, a band's hash below."""
    return [(at << HASH_BITS) | (key & HASH_MASK) for key in bands(sig)]


def keys_looked_up(sig: np.ndarray, at: int) -> list[int]:
    """The keys under which a report in window `at` finds its reprints: its bands in its own window and
    in the windows beside it."""
    hashes = [key & HASH_MASK for key in bands(sig)]
    return [(w << HASH_BITS) | h for w in (at - 1, at, at + 1) if 0 <= w <= LAST_WINDOW for h in hashes]


def candidate_lists(rows: Iterable[tuple[int, str]]) -> list[list[str]]:
    """From (band key, report id) rows: lists of reports that share a band's hash in the same window or in
    two windows side by side. Every such pair is in one list (the lower window's); no other pair is."""
    by_hash: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for key, report_id in rows:
        by_hash[key & HASH_MASK].append((key >> HASH_BITS, report_id))
    lists = []
    for members in by_hash.values():
        for at in sorted({w for w, _ in members}):
            near = sorted({r for w, r in members if w in (at, at + 1)})
            if len(near) > 1:
                lists.append(near)
    return lists


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


def is_reprint_pair(a: np.ndarray, b: np.ndarray, *, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold


def reprint_groups(signatures: Mapping[str, np.ndarray], windows: Mapping[str, int] | None = None, *,
                   threshold: float = THRESHOLD) -> list[set[str]]:
    """Groups of near-duplicate reports (connected through confirmed pairs), singletons left out; `windows`
    gives each report's window (`window`), else all are in one."""
    rows = [(key, report_id) for report_id in sorted(signatures)
            for key in keys(signatures[report_id], (windows or {}).get(report_id, 0))]
    return confirmed_groups(candidate_lists(rows), signatures, threshold=threshold)


def confirmed_groups(candidates: Iterable[Sequence[str]], signatures: Mapping[str, np.ndarray], *,
                     threshold: float = THRESHOLD) -> list[set[str]]:
    """Groups of reports connected through confirmed pairs; each of `candidates` lists the reports that
    share one band key (from `bands` in memory, or from the store's band table), `signatures` has theirs."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids in candidates:
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if find(a) != find(b) and is_reprint_pair(signatures[a], signatures[b], threshold=threshold):
                    parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for r in list(parent):
        groups.setdefault(find(r), set()).add(r)
    return [g for g in groups.values() if len(g) > 1]


def earliest(group: Iterable[str], order_key: Mapping[str, Sequence]) -> str:
    """The original of a reprint group: first published, then first ingested, then by id."""
    return min(group, key=lambda r: (tuple(order_key[r]), r))
