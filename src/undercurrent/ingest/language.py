"""Language of a report, detected at ingest when the input does not say."""
from __future__ import annotations

import re

_HANGUL = re.compile(r"[가-힣ㄱ-ㆎ]")


def detect_language(text: str) -> str:
    """"ko" when Hangul makes up a fifth or more of the letters, else "en"."""
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return "en"
    hangul = sum(1 for c in letters if _HANGUL.match(c))
    return "ko" if hangul / len(letters) >= 0.2 else "en"
