"""Language of a report: detected at ingest when the input does not say, normalised when it does."""
from __future__ import annotations

import re

from undercurrent.errors import UnsupportedLanguage
from undercurrent.vocabulary import LANGUAGES

_HANGUL_ANY = re.compile(r"[가-힣ㄱ-ㆎ\u1100-\u11ff]")  # syllables, compatibility and conjoining jamo
SUPPORTED = LANGUAGES
# Spellings of the two supported languages seen in feeds and exports (BCP 47 tags, ISO 639-2, names).
_ALIASES = {"eng": "en", "english": "en", "kor": "ko", "korean": "ko", "한국어": "ko", "조선어": "ko"}


def detect_language(text: str) -> str:
    """"ko" when Hangul makes up a fifth or more of the letters, else "en".

    Hangul in NFD (conjoining jamo, as some Mac tools write it) is counted too, so a caller that
    did not normalise still gets Korean."""
    sample = text[:5000]
    letters = count_letters(sample)
    if not letters:
        return "en"
    # Every character of these ranges is a letter (Unicode Lo), so counting them in the whole sample
    # counts the Hangul among the letters.
    hangul = len(_HANGUL_ANY.findall(sample))
    return "ko" if hangul / letters >= 0.2 else "en"


def count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def normalize_language(value: object, *, path: str | None = None) -> str:
    """"en" or "ko" from a stated language ("KO", "ko-KR", "eng", "Korean" ...); anything else is E009."""
    if not isinstance(value, str) or not value.strip():
        raise UnsupportedLanguage(f"language {value!r} is not a language code; use en or ko", path=path)
    tag = value.strip().lower().replace("_", "-")
    code = _ALIASES.get(tag, tag.split("-")[0])
    if code not in SUPPORTED:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise UnsupportedLanguage(f"language {shown!r} is not supported; use en or ko", path=path)
    return code
