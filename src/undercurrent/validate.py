"""Checks of values that come from outside (files, forms, API bodies, query strings), shared by ingest,
edits and filters so that each refuses the same things with the same words. No I/O here."""
from __future__ import annotations

import math
import re
from datetime import date
from urllib.parse import urlsplit

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Field reports on North Korea speak of the 20th century at the earliest; a date after next year is a typo
# (a 9999 date once stretched the timeline over 8,000 years).
FIRST_YEAR = 1900
URL_SCHEMES = ("http", "https")
MAX_URL = 2048


def period_problem(value: str) -> str | None:
    """Why `value` is not a YYYY, YYYY-MM or YYYY-MM-DD date that exists, or None when it is one."""
    if not isinstance(value, str):
        return f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    m = _PERIOD.match(value)
    if not m:
        return f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    # The pattern always has a year; a day only ever comes with a month.
    year = int(m.group(1))
    month, day = (int(g) if g else None for g in m.groups()[1:])
    last = date.today().year + 1
    if not FIRST_YEAR <= year <= last:
        return f"{value!r}: the year must be between {FIRST_YEAR} and {last}"
    if month is not None and not 1 <= month <= 12:
        return f"{value!r}: there is no month {month}"
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError:
            return f"{value!r}: there is no such day"
    return None


def url_problem(value: object) -> str | None:
    """Why `value` is not an http(s) URL a report may carry (javascript:, data:, file: ... are refused)."""
    if not isinstance(value, str):
        return f"url must be text, not {type(value).__name__}"
    if len(value) > MAX_URL:
        return f"url longer than {MAX_URL} characters"
    if value != value.strip() or not value.isprintable():
        return f"url {printable(value[:80])!r}: spaces or control characters around or inside it"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"url {value[:80]!r} is not a valid URL"
    if parts.scheme.lower() not in URL_SCHEMES or not parts.netloc:
        return f"url {value[:80]!r}: only http:// and https:// URLs are accepted"
    return None


def is_utf8(value: str) -> bool:
    """False for text holding a lone surrogate ("\\ud800" in JSON, undecodable bytes in argv): no database,
    file or HTTP response can carry it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(value: str) -> str:
    """`value` with anything UTF-8 cannot carry replaced, for echoing input back in a message."""
    return value.encode("utf-8", "replace").decode("utf-8")


def finite_number(value: object) -> float | None:
    """`value` as a finite float, or None when it is not a number (bools, NaN and infinities included)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None
