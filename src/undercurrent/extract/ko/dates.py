"""Korean dates resolved against the published date: "9월 3일", "지난 8일", "지난달", "올해 초", "최근"."""
from __future__ import annotations

import re
from datetime import date, timedelta

from undercurrent.extract.dates import month_bounds, month_year, parse_published
from undercurrent.models import DateKind, EventDate

_FULL = re.compile(r"(?P<year>(?:19|20)\d{2})년\s*(?P<month>\d{1,2})월(?:\s*(?P<day>\d{1,2})일)?")
_MONTH_DAY = re.compile(r"(?<![\d년])(?P<month>\d{1,2})월\s*(?P<day>\d{1,2})일")
_MONTH = re.compile(r"(?<![\d년])(?P<month>\d{1,2})월(?P<part>\s*(?:초|중순|말|하순|상순))?")
_DAY = re.compile(r"(?:지난|이번 달|이달)\s*(?P<day>\d{1,2})일")
_RELATIVE = re.compile(r"(?P<rel>지난달|이달|이번 달|지난해|작년|올해|금년|지난주|이번 주)(?P<part>\s*(?:초|중순|말|하순|상순))?")
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})년")
_RECENT = re.compile(r"최근|요즘|얼마 전")


def resolve_date_ko(text: str, published: str | None) -> EventDate:
    pub = parse_published(published)
    year: int | None  # a year the text names, or None when the published date cannot place it
    m = _FULL.search(text)
    if m:
        year, month = int(m.group("year")), int(m.group("month"))
        if m.group("day"):
            day = date(year, month, int(m.group("day")))
            return EventDate(start=day.isoformat(), end=day.isoformat(), granularity="day", kind="exact", text=m.group(0))
        first, last = month_bounds(year, month)
        return EventDate(start=first.isoformat(), end=last.isoformat(), granularity="month", kind="exact", text=m.group(0))
    m = _MONTH_DAY.search(text)
    if m:
        month = int(m.group("month"))
        year = month_year(month, None, pub)
        if year is None:
            return EventDate(text=m.group(0), kind="unresolved")
        try:
            day = date(year, month, int(m.group("day")))
        except ValueError:
            return EventDate(text=m.group(0), kind="unresolved")
        return EventDate(start=day.isoformat(), end=day.isoformat(), granularity="day", kind="exact", text=m.group(0))
    m = _DAY.search(text)
    if m:
        if pub is None or len(published or "") < 7:
            return EventDate(text=m.group(0), kind="unresolved")
        day_number = int(m.group("day"))
        anchor = pub if day_number <= (pub.day if len(published or "") >= 10 else 31) else (pub.replace(day=1) - timedelta(days=1))
        try:
            day = anchor.replace(day=day_number)
        except ValueError:
            return EventDate(text=m.group(0), kind="unresolved")
        # A publication known only to the month cannot tell which month "지난 8일" was in exactly.
        kind: DateKind = "exact" if len(published or "") >= 10 else "approximate"
        return EventDate(start=day.isoformat(), end=day.isoformat(), granularity="day", kind=kind, text=m.group(0))
    m = _MONTH.search(text)
    if m:
        month = int(m.group("month"))
        if 1 <= month <= 12:
            year = month_year(month, None, pub)
            if year is None:
                return EventDate(text=m.group(0), kind="unresolved")
            first, last = month_bounds(year, month)
            return EventDate(start=first.isoformat(), end=last.isoformat(), granularity="month",
                             kind="approximate" if m.group("part") else "exact", text=m.group(0))
    m = _RELATIVE.search(text)
    if m:
        if pub is None:
            return EventDate(text=m.group(0), kind="unresolved")
        rel, approximate = m.group("rel"), bool(m.group("part"))
        if rel in {"지난달", "이달", "이번 달"}:
            index = pub.year * 12 + pub.month - 1 - (1 if rel == "지난달" else 0)
            first, last = month_bounds(index // 12, index % 12 + 1)
            return EventDate(start=first.isoformat(), end=last.isoformat(), granularity="month",
                             kind="approximate" if approximate else "exact", text=m.group(0))
        if rel in {"지난주", "이번 주"}:
            monday = pub - timedelta(days=pub.weekday() + (7 if rel == "지난주" else 0))
            return EventDate(start=monday.isoformat(), end=(monday + timedelta(days=6)).isoformat(),
                             granularity="day", kind="range", text=m.group(0))
        year = pub.year - (1 if rel in {"지난해", "작년"} else 0)
        return EventDate(start=f"{year}-01-01", end=f"{year}-12-31", granularity="year",
                         kind="approximate" if approximate else "exact", text=m.group(0))
    m = _YEAR.search(text)
    if m:
        year_text = m.group("year")
        return EventDate(start=f"{year_text}-01-01", end=f"{year_text}-12-31", granularity="year", kind="exact",
                         text=m.group(0))
    m = _RECENT.search(text)
    if m:
        if pub is None:
            return EventDate(text=m.group(0), kind="unresolved")
        return EventDate(start=(pub - timedelta(days=31)).isoformat(), end=pub.isoformat(),
                         granularity="unknown", kind="approximate", text=m.group(0))
    return EventDate()
