"""English dates in report text ("3 May", "last month", "on Tuesday") resolved against the published
date, with granularity and kind."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from undercurrent.extract.dates import month_bounds, month_year, parse_published, published_granularity
from undercurrent.models import DateKind, EventDate

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I)
_MONTH_DAY = re.compile(
    r"\b(?P<part>early|mid|late|the end of|the beginning of|the start of)?[\s-]*" + _MONTH
    + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day2>\d{1,2}))?)?(?:,?\s+(?P<year>\d{4}))?\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<part>early|earlier|late|later|the end of|the beginning of|mid)?[\s-]*(?:in\s+)?(?P<rel>last|this|next|previous)\s+(?P<unit>month|year|week|spring|summer|autumn|fall|winter)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|since|during|of)\s+(?P<year>(?:19|20)\d{2})\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)
_RECENT = re.compile(r"\b(recently|recent days|in recent weeks|these days|lately)\b", re.I)
_MONTH_WORDS = {"may", "march"}  # also ordinary words: need a day, a year or "in"


def resolve_date(text: str, published: str | None) -> EventDate:
    """The first date expression in `text`, resolved; `unresolved` when nothing anchors it."""
    pub = parse_published(published)
    pub_gran = published_granularity(published)
    for resolver in (_exact_day, _month_expression, _relative_expression, _weekday, _year_only, _recent):
        found = resolver(text, pub, pub_gran)
        if found is not None:
            return found
    return EventDate()


def _exact_day(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    m = _DAY_FIRST.search(text)
    if not m:
        return None
    month = MONTHS[m.group("month").lower()]
    year = month_year(month, m.group("year"), pub)
    if year is None:
        return EventDate(text=m.group(0), kind="unresolved")
    try:
        day = date(year, month, int(m.group("day")))
    except ValueError:
        return None
    return EventDate(start=day.isoformat(), end=day.isoformat(), granularity="day", kind="exact", text=m.group(0))


def _month_expression(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    for m in _MONTH_DAY.finditer(text):
        word = m.group("month").lower()
        if word in _MONTH_WORDS and not (m.group("day") or m.group("year") or m.group("part")):
            before = text[max(0, m.start() - 4) : m.start()].lower()
            if "in " not in before or not m.group("month")[0].isupper():
                continue
        month = MONTHS[word]
        year = month_year(month, m.group("year"), pub)
        phrase = m.group(0).strip()
        if year is None:
            return EventDate(text=phrase, kind="unresolved")
        first, last = month_bounds(year, month)
        if m.group("day"):
            try:
                start = date(year, month, int(m.group("day")))
                end = date(year, month, int(m.group("day2"))) if m.group("day2") else start
            except ValueError:
                continue
            kind: DateKind = "range" if m.group("day2") else "exact"
            return EventDate(start=start.isoformat(), end=end.isoformat(), granularity="day", kind=kind, text=phrase)
        kind_of_month: DateKind = "approximate" if m.group("part") else "exact"
        return EventDate(start=first.isoformat(), end=last.isoformat(), granularity="month", kind=kind_of_month,
                         text=phrase)
    return None


def _relative_expression(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    m = _RELATIVE.search(text)
    if not m:
        return None
    phrase = m.group(0).strip()
    unit, rel = m.group("unit").lower(), m.group("rel").lower()
    approximate = bool(m.group("part"))
    if pub is None or (unit in {"month", "week"} and pub_gran == "year"):
        return EventDate(text=phrase, kind="unresolved")
    shift = {"last": -1, "previous": -1, "this": 0, "next": 1}[rel]
    if unit == "month":
        month_index = pub.year * 12 + pub.month - 1 + shift
        first, last = month_bounds(month_index // 12, month_index % 12 + 1)
        return EventDate(start=first.isoformat(), end=last.isoformat(), granularity="month",
                         kind="approximate" if approximate else "exact", text=phrase)
    if unit == "week":
        anchor = pub + timedelta(weeks=shift)
        monday = anchor - timedelta(days=anchor.weekday())
        return EventDate(start=monday.isoformat(), end=(monday + timedelta(days=6)).isoformat(),
                         granularity="day", kind="range", text=phrase)
    year = pub.year + shift
    if unit == "year":
        return EventDate(start=f"{year}-01-01", end=f"{year}-12-31", granularity="year",
                         kind="approximate" if approximate else "exact", text=phrase)
    seasons = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
    first_month, last_month = seasons[unit]
    end_year = year + 1 if first_month > last_month else year
    return EventDate(start=month_bounds(year, first_month)[0].isoformat(),
                     end=month_bounds(end_year, last_month)[1].isoformat(),
                     granularity="month", kind="range", text=phrase)


def _weekday(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    m = _WEEKDAY.search(text)
    if not m or not m.group("weekday")[0].isupper():
        return None
    if pub is None or pub_gran != "day":
        return EventDate(text=m.group(0).strip(), kind="unresolved")
    back = (pub.weekday() - WEEKDAYS[m.group("weekday").lower()]) % 7
    day = pub - timedelta(days=back)
    return EventDate(start=day.isoformat(), end=day.isoformat(), granularity="day", kind="exact", text=m.group(0).strip())


def _year_only(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    m = _YEAR.search(text)
    if not m:
        return None
    year = m.group("year")
    return EventDate(start=f"{year}-01-01", end=f"{year}-12-31", granularity="year", kind="exact", text=m.group(0))


def _recent(text: str, pub: date | None, pub_gran: str) -> EventDate | None:
    m = _RECENT.search(text)
    if not m:
        return None
    if pub is None:
        return EventDate(text=m.group(0), kind="unresolved")
    # "Recently" reaches back about a month before publication: approximate, never exact.
    return EventDate(start=(pub - timedelta(days=31)).isoformat(), end=pub.isoformat(),
                     granularity="unknown", kind="approximate", text=m.group(0))
