"""Near-duplicate reports (reprints) with MinHash over word shingles and banded LSH.

The band keys are 64-bit integers so that the store can keep them in one compact index (store/schema.py,
report_bands): an incremental lookup is one SQL query, and a rebuild puts the same keys in a dictionary.
Both then confirm a candidate with the same estimated Jaccard threshold, so they find the same reprints."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 x 4 = 128: a pair at 0.6 Jaccard shares a band with probability 0.99
SHINGLE = 5  # words per shingle
SCHEME = "affine32"  # datasketch 2.0's default, named so that stored signatures stay comparable
# Two texts that share this share of their shingles are one text reprinted (with a new headline,
# a credit line or light edits). Stories about the same event in different words score far lower.
THRESHOLD = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)


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


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


def is_reprint_pair(a: np.ndarray, b: np.ndarray, *, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold


def reprint_groups(signatures: Mapping[str, np.ndarray], *, threshold: float = THRESHOLD) -> list[set[str]]:
    """Groups of near-duplicate reports (connected through confirmed pairs), singletons left out."""
    index: dict[int, list[str]] = {}
    for report_id in sorted(signatures):
        for key in bands(signatures[report_id]):
            index.setdefault(key, []).append(report_id)
    return confirmed_groups(index.values(), signatures, threshold=threshold)


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
