"""RSS and Atom feeds: the links of their entries."""
from __future__ import annotations

from dataclasses import dataclass

from undercurrent.errors import NotAFeed


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    published: str | None


def feed_entries(raw: bytes, *, name: str) -> list[FeedEntry]:
    import feedparser

    parsed = feedparser.parse(raw)
    if not parsed.entries:
        problem = getattr(parsed, "bozo_exception", None)
        raise NotAFeed(f"not an RSS or Atom feed ({problem or 'no entries'})", path=name)
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" if stamp else None
        entries.append(FeedEntry(link, entry.get("title"), published))
    return entries
