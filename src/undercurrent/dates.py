"""Calendar dates given by users (published dates, filters): one check for ingest, the CLI and the API."""
from __future__ import annotations

from datetime import date

from undercurrent.errors import BadMetadata
from undercurrent.validate import period_problem


def check_date(value: object, *, what: str = "date", path: str | None = None) -> str:
    """`value` as a YYYY, YYYY-MM or YYYY-MM-DD string that is a real calendar period, else E008.

    A regular expression alone let "2019-13-45" and "2020-02-30" through; the calendar check is
    `validate.period_problem`, shared with edits and filters: from 1900 to next year. A date later this
    year or next year passes (a published date in the future is a warning where it is read)."""
    problem = period_problem(value)  # type: ignore[arg-type]
    if problem:
        raise BadMetadata(f"{what} {problem}", path=path)
    return value  # type: ignore[return-value]


def period_start(value: str) -> date:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD period; ValueError for anything else."""
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def is_future(value: str, *, today: date | None = None) -> bool:
    """True when the whole period of a checked date starts after today (a warning, not an error)."""
    return period_start(value) > (today or date.today())
