"""The calendar shared by the language pipelines' date stages (en/dates.py, ko/dates.py): the published
date that anchors relative dates, month bounds, and the year of a month named without one."""
from __future__ import annotations

import calendar
import re
from datetime import date


def parse_published(published: str | None) -> date | None:
    """'2016-10-27' -> that day; '2016-10' -> the 1st; '2016' -> Jan 1st; otherwise None."""
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def published_granularity(published: str | None) -> str:
    if not published:
        return "unknown"
    return {4: "year", 7: "month"}.get(len(published.strip()[:10]), "day")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_year(month: int, explicit_year: str | None, pub: date | None) -> int | None:
    if explicit_year:
        return int(explicit_year)
    if pub is None:
        return None
    # A month later than the publication month is last year's.
    return pub.year if month <= pub.month else pub.year - 1
