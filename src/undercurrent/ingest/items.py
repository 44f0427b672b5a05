"""Everything `ingest` accepts, as a stream of items: files, folders, JSONL lines, URLs, feeds."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from undercurrent.errors import ExtractionFailed, InputNotFound, UndercurrentError, Unreadable, UnsupportedInput
from undercurrent.ingest.feeds import feed_entries
from undercurrent.ingest.files import (
    MAX_BYTES,
    Metadata,
    decode_text,
    read_capped,
    report_from_bytes,
    report_from_json_text,
    too_large,
)
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


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(value: str) -> bool:
    """Any scheme://, so that ftp:// or file:// is refused as a URL (E013), not looked up as a file."""
    return bool(_SCHEME.match(value))


def walk_files(folder: Path) -> tuple[list[Path], list[UndercurrentError]]:
    """Every file under folder (sorted), and an E015 for each subfolder that cannot be listed:
    Path.rglob skips those silently, and a skipped folder must not pass as a complete run."""
    files: list[Path] = []
    errors: list[UndercurrentError] = []

    def failed(exc: OSError) -> None:
        errors.append(Unreadable(f"cannot list folder: {exc.strerror}", path=exc.filename or str(folder)))

    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs.sort()
        files.extend(Path(root) / n for n in names)
    return sorted(files), errors


def iter_items(inputs: list[str], *, feeds: Sequence[str] = (), metadata: Metadata = Metadata(),
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
        files, errors = walk_files(path)
        for error in errors:
            yield Item(error.path or str(path), error=error)
        for child in files:
            if child.suffix.lower() in FILE_KINDS and not child.name.endswith(".gold.json"):
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
    if kind == "jsonl":
        yield from _jsonl_items(path, metadata)
        return
    try:
        raw = read_capped(path)
    except UndercurrentError as exc:
        yield Item(name, error=exc)
        return
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
    except Exception as exc:  # noqa: BLE001 - one odd item (a parser's own bug) must not stop a run
        return Item(name, error=unexpected(exc, name))


def unexpected(exc: BaseException, name: str) -> ExtractionFailed:
    return ExtractionFailed.of(exc, name)


def _jsonl_items(path: Path, metadata: Metadata) -> Iterator[Item]:
    if not path.is_file():  # follows symlinks: a FIFO or /dev/zero would hang or never end
        yield Item(str(path), error=Unreadable("not a regular file (a FIFO, a device or a socket)", path=str(path)))
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(str(path), error=Unreadable(f"cannot read: {exc.strerror}", path=str(path)))
        return
    with handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_BYTES + 1), b""), start=1):
            if not raw.strip():
                continue
            name = f"{path}:{number}"
            if len(raw) > MAX_BYTES:
                yield Item(name, error=too_large(len(raw), name=name, what="line"))
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = handle.readline(MAX_BYTES + 1)
                continue
            # _guard calls the lambda at once, so it sees this line's raw and name.
            yield _guard(name, raw, "application/json",
                         lambda: report_from_json_text(decode_text(raw, name=name), name=name,  # noqa: B023
                                                       metadata=metadata))


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
