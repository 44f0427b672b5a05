"""Calendar dates given by users (published dates, filters): one check for ingest, the CLI and the API."""
from __future__ import annotations

import re
from datetime import date

from undercurrent.errors import BadMetadata

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: object, *, what: str = "date", path: str | None = None) -> str:
    """`value` as a YYYY, YYYY-MM or YYYY-MM-DD string that is a real calendar period, else E008.

    A regular expression alone let "2019-13-45" and "2020-02-30" through; `date()` does the calendar."""
    if not isinstance(value, str):
        raise BadMetadata(f"{what} {value!r} is not a date string (YYYY, YYYY-MM or YYYY-MM-DD)", path=path)
    m = _PERIOD.match(value)
    if m is None:
        raise BadMetadata(f"{what} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", path=path)
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as exc:
        raise BadMetadata(f"{what} {value!r} is not a real date ({exc})", path=path) from None
    if year < 1900:
        raise BadMetadata(f"{what} {value!r} is before 1900", path=path)
    return value


def is_future(value: str, *, today: date | None = None) -> bool:
    """True when the whole period of a checked date starts after today (a warning, not an error)."""
    today = today or date.today()
    parts = [int(p) for p in value.split("-")]
    start = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return start > today
