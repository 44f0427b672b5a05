"""Folding and word spans shared by the name matchers (places, institutions)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A word: letters/digits (Latin, Hangul, ...) with internal apostrophes (P'yongyang, People's).
# A possessive 's is a word of its own, so "Hyesan's" finds Hyesan.
WORD_RE = re.compile(r"[^\W_]+(?:['’ʼ‘](?![sS]\b)[^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ‘`]")


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Lowercase, strip diacritics and apostrophes: "P'yŏngyang" -> "pyongyang"."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Hangul decomposes into jamo under NFKD: recompose it.
    return unicodedata.normalize("NFC", _APOSTROPHES.sub("", stripped)).lower()


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, folded word) for each word of text."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end(), fold_word(match.group())


def fold_key(name: str) -> tuple[str, ...]:
    """A name as the tuple of its folded words: "Hamgyong-bukto" -> ("hamgyong", "bukto")."""
    return tuple(word for _, _, word in word_spans(name))
