"""Everything `ingest` accepts, as a stream of items: files, folders, JSONL lines, URLs, feeds."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from undercurrent.errors import InputNotFound, InputTooLarge, UndercurrentError, UnsupportedInput
from undercurrent.ingest.feeds import feed_entries
from undercurrent.ingest.files import MAX_BYTES, Metadata, decode_text, report_from_bytes, report_from_json_text
from undercurrent.ingest.html import report_from_html
from undercurrent.ingest.web import Fetched, fetch
from undercurrent.models import Report

FILE_KINDS = {".txt": "txt", ".json": "json", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
MEDIA_TYPES = {"txt": "text/plain", "json": "application/json", "jsonl": "application/json", "html": "text/html"}


@dataclass(frozen=True)
class Item:
    """One report to store, or the reason it cannot be: `name` is the file, file:line or URL."""

    name: str
    report: Report | None = None
    original: bytes = b""
    media_type: str | None = None
    error: UndercurrentError | None = None


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def iter_items(inputs: list[str], *, feeds: list[str] = (), metadata: Metadata = Metadata(),
               allow_private: bool = False, fetcher: Callable[..., Fetched] = fetch) -> Iterator[Item]:
    for value in inputs:
        if is_url(value):
            yield from _url_items(value, allow_private, fetcher)
        else:
            yield from _path_items(Path(value), metadata, explicit=True)
    for feed in feeds:
        yield from _feed_items(feed, allow_private, fetcher)


def _path_items(path: Path, metadata: Metadata, *, explicit: bool) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in FILE_KINDS and not child.name.endswith(".gold.json"):
                yield from _path_items(child, metadata, explicit=False)
        return
    name = str(path)
    if not path.exists():
        yield Item(name, error=InputNotFound("no such file or folder", path=name))
        return
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind is None:
        yield Item(name, error=UnsupportedInput(
            f"unsupported file type {path.suffix or '(none)'}: use .txt, .json, .jsonl or .html", path=name))
        return
    size = path.stat().st_size
    if size > MAX_BYTES and kind != "jsonl":
        yield Item(name, error=InputTooLarge(f"file is {size / 1e6:.1f} MB; the limit for one report is "
                                             f"{MAX_BYTES / 1e6:.0f} MB", path=name))
        return
    if kind == "jsonl":
        yield from _jsonl_items(path, metadata)
        return
    raw = path.read_bytes()
    yield _guard(name, raw, MEDIA_TYPES[kind], lambda: _parse(raw, name, kind, metadata))


def _parse(raw: bytes, name: str, kind: str, metadata: Metadata) -> Report:
    if kind == "html":
        return report_from_html(raw, name=name, metadata=metadata)
    return report_from_bytes(raw, name=name, kind=kind, metadata=metadata)


def _guard(name: str, raw: bytes, media_type: str | None, make: Callable[[], Report]) -> Item:
    try:
        return Item(name, report=make(), original=raw, media_type=media_type)
    except UndercurrentError as exc:
        return Item(name, error=exc)


def _jsonl_items(path: Path, metadata: Metadata) -> Iterator[Item]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            name = f"{path}:{number}"
            if len(raw) > MAX_BYTES:
                yield Item(name, error=InputTooLarge("line is over the limit for one report", path=name))
                continue
            yield _guard(name, raw, "application/json",
                         lambda raw=raw, name=name: report_from_json_text(decode_text(raw, name=name), name=name,
                                                                          metadata=metadata))


def _url_items(url: str, allow_private: bool, fetcher) -> Iterator[Item]:
    try:
        fetched = fetcher(url, allow_private=allow_private)
    except UndercurrentError as exc:
        yield Item(url, error=exc)
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
                     lambda: report_from_html(fetched.body, name=url, url=fetched.url))


def _feed_items(feed_url: str, allow_private: bool, fetcher) -> Iterator[Item]:
    try:
        fetched = fetcher(feed_url, allow_private=allow_private) if is_url(feed_url) else None
        raw = fetched.body if fetched else Path(feed_url).read_bytes()
        entries = feed_entries(raw, name=feed_url)
    except UndercurrentError as exc:
        yield Item(feed_url, error=exc)
        return
    except OSError as exc:
        yield Item(feed_url, error=InputNotFound(str(exc), path=feed_url))
        return
    for entry in entries:
        for item in _url_items(entry.link, allow_private, fetcher):
            if item.report is not None and item.report.published is None and entry.published:
                item = Item(item.name, item.report.model_copy(update={"published": entry.published}),
                            item.original, item.media_type)
            yield item
