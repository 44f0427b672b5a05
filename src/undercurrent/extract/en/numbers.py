"""Numbers written in digits or words: "1,950", "1.5 million", "eighteen", "2 million"."""
from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "dozen": 12, "dozens": None, "hundreds": None, "thousands": None,
}
SCALES = {"hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "mn": 1_000_000, "m": 1_000_000,
          "billion": 1_000_000_000, "bn": 1_000_000_000}
NUMBER_RE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
SCALE_RE = r"(?:\s*(?:million|billion|thousand|mn|bn)\b)?"


def parse_number(text: str) -> float | None:
    """Value of a number phrase, or None when it is not a definite number ("hundreds")."""
    words = text.lower().replace("-", " ").replace(",", "").split()
    if not words:
        return None
    total: float = 0.0
    current: float | None = None
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current = (current or 0) + float(word)
        elif word in _UNITS:
            unit = _UNITS[word]
            if unit is None:
                return None
            current = (current or 0) + unit
        elif word in SCALES:
            current = (current if current is not None else 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total += current
                current = None
        elif word in {"and", "a"}:
            continue
        else:
            return None
    value = total + (current or 0)
    return value if (current is not None or total) else None


def is_number_word(word: str) -> bool:
    return word.lower() in _UNITS and _UNITS[word.lower()] is not None
