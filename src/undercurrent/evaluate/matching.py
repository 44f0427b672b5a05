"""Sentence spans and one-to-one matching used by the scorer."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")

# Sentence ends: . ! ? (with closing quotes/brackets) before whitespace, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")


class Sentences:
    """Sentence index of character offsets, independent of any NLP model."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]

    def of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def covered(self, start: int, end: int) -> set[int]:
        return set(range(self.of(start), self.of(max(start, end - 1)) + 1))


def locate(text: str, quote: str, hint: int = 0) -> tuple[int, int] | None:
    """Offsets of quote in text (the first occurrence at or after hint, else anywhere)."""
    index = text.find(quote, hint)
    if index < 0:
        index = text.find(quote)
    if index < 0:
        collapsed = re.escape(" ".join(quote.split())).replace(r"\ ", r"\s+")
        m = re.search(collapsed, text)
        return (m.start(), m.end()) if m else None
    return index, index + len(quote)


def max_matching(golds: Sequence[A], preds: Sequence[B], compatible: Callable[[A, B], bool]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (augmenting paths); returns (gold index, pred index) pairs."""
    edges = [[j for j, p in enumerate(preds) if compatible(g, p)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())
