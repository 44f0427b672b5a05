"""Longest-match lookup of multi-word names over the words of a text."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from undercurrent.kb.text import fold_key, word_spans

T = TypeVar("T")


@dataclass(frozen=True)
class NameHit(Generic[T]):
    start: int
    end: int
    text: str
    values: tuple[T, ...]
    key: tuple[str, ...]


@dataclass
class NameMatcher(Generic[T]):
    """Maps folded multi-word names to values; finds the longest names in a text.

    `case_sensitive` names (abbreviations such as "MSS") must match the text's
    capitalisation exactly; `capitalised` names must start with a capital or a
    non-Latin letter in the text, which keeps "anak" or "sil" from matching words.
    """

    entries: dict[tuple[str, ...], list[T]] = field(default_factory=dict)
    exact_forms: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    capitalised: set[tuple[str, ...]] = field(default_factory=set)
    max_words: int = 1
    # first word -> lengths of the names starting with it, longest first: one dict read per word
    lengths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, value: T, *, case_sensitive: bool = False, capitalised: bool = False) -> None:
        key = fold_key(name)
        if not key:
            return
        values = self.entries.setdefault(key, [])
        if value not in values:
            values.append(value)
        if case_sensitive:
            self.exact_forms.setdefault(key, set()).add(" ".join(w for w in name.split()))
        if capitalised:
            self.capitalised.add(key)
        self.max_words = max(self.max_words, len(key))
        sizes = self.lengths.setdefault(key[0], [])
        if len(key) not in sizes:
            sizes.append(len(key))
            sizes.sort(reverse=True)

    def _accepts(self, key: tuple[str, ...], surface: str) -> bool:
        forms = self.exact_forms.get(key)
        if forms is not None and " ".join(surface.split()) not in forms:
            return False
        if key in self.capitalised:
            first = surface[0]
            if first.isalpha() and first.isascii() and not first.isupper():
                return False
        return True

    def find(self, text: str, words: list[tuple[int, int, str]] | None = None) -> list[NameHit[T]]:
        """Longest names in text; `words` (word_spans of text) may be passed to share the work."""
        words = list(word_spans(text)) if words is None else words
        hits: list[NameHit[T]] = []
        i = 0
        while i < len(words):
            found = None
            for n in self.lengths.get(words[i][2], ()):
                if i + n > len(words):
                    continue
                key = tuple(w for _, _, w in words[i : i + n])
                if key in self.entries:
                    start, end = words[i][0], words[i + n - 1][1]
                    if self._accepts(key, text[start:end]):
                        found = NameHit(start, end, text[start:end], tuple(self.entries[key]), key)
                        break
            if found:
                hits.append(found)
                i += len(found.key)
            else:
                i += 1
        return hits


def build_matcher(pairs: Iterable[tuple[str, T]], **options: bool) -> NameMatcher[T]:
    matcher: NameMatcher[T] = NameMatcher()
    for name, value in pairs:
        matcher.add(name, value, **options)
    return matcher
