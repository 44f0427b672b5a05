"""Everything `ingest` accepts, as a stream of items: files and folders (through the one reader,
ingest/reader.py), URLs and feeds."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from undercurrent.errors import ExtractionFailed, UndercurrentError
from undercurrent.ingest.feeds import feed_entries
from undercurrent.ingest.files import Metadata, read_capped, report_from_bytes
from undercurrent.ingest.html import report_from_html
from undercurrent.ingest.reader import Item, read_paths
from undercurrent.ingest.web import Fetched, fetch
from undercurrent.models import Report

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(value: str) -> bool:
    """Any scheme://, so that ftp:// or file:// is refused as a URL (E013), not looked up as a file."""
    return bool(_SCHEME.match(value))


def iter_items(inputs: Sequence[str], *, feeds: Sequence[str] = (), metadata: Metadata = Metadata(),
               allow_private: bool = False, fetcher: Callable[..., Fetched] = fetch) -> Iterator[Item]:
    """Items of URLs and paths in the order given, then of each feed's entries."""
    for value in inputs:
        if is_url(value):
            yield from _url_items(value, allow_private, fetcher)
        else:
            yield from read_paths([value], metadata)
    for feed in feeds:
        yield from _feed_items(feed, allow_private, fetcher)


def _guard(name: str, raw: bytes, media_type: str | None, make: Callable[[], Report]) -> Item:
    try:
        return Item(name, report=make(), original=raw, media_type=media_type)
    except UndercurrentError as exc:
        return Item(name, error=exc)
    except Exception as exc:  # noqa: BLE001 - one odd item (a parser's own bug) must not stop a run
        return Item(name, error=unexpected(exc, name))


def unexpected(exc: BaseException, name: str) -> ExtractionFailed:
    return ExtractionFailed.of(exc, name)


def _url_items(url: str, allow_private: bool, fetcher) -> Iterator[Item]:
    try:
        fetched = fetcher(url, allow_private=allow_private)
    except UndercurrentError as exc:
        yield Item(url, error=exc)
        return
    except Exception as exc:  # noqa: BLE001 - e.g. urllib's ValueError on a malformed URL in a feed
        yield Item(url, error=unexpected(exc, url))
        return
    content_type = fetched.content_type.split(";")[0].strip().lower()
    if content_type == "application/json":
        yield _guard(url, fetched.body, content_type,
                     lambda: report_from_bytes(fetched.body, name=url, kind="json"))
    elif content_type == "text/plain":
        yield _guard(url, fetched.body, content_type,
                     lambda: report_from_bytes(fetched.body, name=url, kind="txt", metadata=Metadata(url=fetched.url)))
    else:
        yield _guard(url, fetched.body, content_type or "text/html",
                     lambda: report_from_html(fetched.body, name=url, url=fetched.url,
                                              content_type=fetched.content_type))


def _feed_items(feed_url: str, allow_private: bool, fetcher) -> Iterator[Item]:
    try:
        fetched = fetcher(feed_url, allow_private=allow_private) if is_url(feed_url) else None
        raw = fetched.body if fetched else read_capped(Path(feed_url))
        entries = feed_entries(raw, name=feed_url)
    except UndercurrentError as exc:
        yield Item(feed_url, error=exc)
        return
    except Exception as exc:  # noqa: BLE001 - a feed that breaks the parser is one failed item
        yield Item(feed_url, error=unexpected(exc, feed_url))
        return
    for entry in entries:
        for item in _url_items(entry.link, allow_private, fetcher):
            if item.report is not None and item.report.published is None and entry.published:
                item = Item(item.name, item.report.model_copy(update={"published": entry.published}),
                            item.original, item.media_type)
            yield item
