"""One report from the bytes of a .txt or .json file (or a .jsonl line), read safely, with errors that
name the item. Which files and folders are read, and in which order, is ingest/reader.py."""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from undercurrent.dates import check_date
from undercurrent.errors import (
    BadJson,
    BadMetadata,
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    MissingText,
    NotUtf8,
    Unreadable,
)
from undercurrent.ingest.language import detect_language, normalize_language
from undercurrent.models import Report
from undercurrent.validate import is_utf8, url_problem

MAX_BYTES = 20 * 1024 * 1024  # a report is a few KB; a 20 MB "report" is a wrong file


def too_large(size: int, *, name: str, what: str = "file") -> InputTooLarge:
    # MB here means MiB, as MAX_BYTES does: 20 MB, never "21 MB" from dividing by 10**6.
    return InputTooLarge(f"{what} is {size / 1024 / 1024:.1f} MB; the limit for one report is "
                         f"{MAX_BYTES // 1024 // 1024} MB", path=name)


def read_capped(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_BYTES + 1 of them; a FIFO, a device (a symlink to
    /dev/zero) or an unreadable file is E015, never a hang or a read until memory runs out."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputNotFound("no such file or folder", path=name) from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror}", path=name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a FIFO, a device or a socket)", path=name)
        if info.st_size > MAX_BYTES:
            raise too_large(info.st_size, name=name)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}", path=name) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw), name=name)
    return raw


@dataclass(frozen=True)
class Metadata:
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None


def decode_text(raw: bytes, *, name: str) -> str:
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(f"not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8", path=name) from None
    if not content.strip():
        raise EmptyInput("file is empty", path=name)
    return content


def report_from_bytes(raw: bytes, *, name: str, kind: str, metadata: Metadata = Metadata()) -> Report:
    """A report from the bytes of a .txt or .json report; `name` says where it came from in errors."""
    content = decode_text(raw, name=name)
    ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
    if kind == "json":
        return report_from_json_text(content, name=name, metadata=metadata, ingested_at=ingested_at)
    check_published(metadata.published, name=name)
    check_metadata({"url": metadata.url, "outlet": metadata.outlet, "title": metadata.title}, name=name)
    return make_report(
        name, text=content, url=metadata.url, outlet=metadata.outlet, title=metadata.title,
        published=metadata.published, ingest_source=name, ingested_at=ingested_at,
        language=detect_language(content),
    )


def make_report(name: str, **fields) -> Report:
    """Report.from_fields with a coded error naming the item instead of a pydantic traceback."""
    try:
        return Report.from_fields(**fields)
    except UnicodeEncodeError as exc:  # a lone surrogate from a JSON escape such as "\ud800"
        raise NotUtf8(f"text is not valid Unicode (a lone surrogate at character {exc.start})", path=name) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'report'}: {e['msg']}" for e in exc.errors())
        raise BadMetadata(f"bad report fields ({problems})", path=name) from None


def report_from_json_text(content: str, *, name: str, metadata: Metadata = Metadata(),
                          ingested_at: str | None = None) -> Report:
    ingested_at = ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise BadJson(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", path=name) from None
    except RecursionError:
        raise BadJson("JSON nested too deeply to be a report", path=name) from None
    if not isinstance(data, dict):
        raise BadJson("expected a JSON object with a 'text' field", path=name)
    text = data.get("text")
    if not isinstance(text, str):
        raise MissingText("has no 'text' field (a report needs url, outlet, title, published, text)", path=name)
    if not text.strip():
        raise EmptyInput("'text' is empty", path=name)
    if not is_utf8(text):
        raise NotUtf8("'text' holds a lone surrogate (\\ud800-\\udfff): not valid Unicode text", path=name)
    published = data.get("published") or metadata.published
    check_published(published, name=name)
    language = data.get("language")  # checked by normalize_language (E009), not here
    check_metadata({"url": data.get("url") or metadata.url, "outlet": data.get("outlet") or metadata.outlet,
                    "title": data.get("title") or metadata.title}, name=name)
    return make_report(
        name,
        text=text,
        url=data.get("url") or metadata.url,
        outlet=data.get("outlet") or metadata.outlet,
        title=data.get("title") or metadata.title,
        published=published,
        language=normalize_language(language, path=name) if language not in (None, "") else detect_language(text),
        ingest_source=name,
        ingested_at=ingested_at,
    )


def check_published(published: object, *, name: str) -> None:
    if published is not None:
        check_date(published, what="published date", path=name)


MAX_METADATA = 2000  # characters of an outlet or a title: more is not metadata


def check_metadata(fields: dict, *, name: str) -> None:
    """url, outlet and title of a report are text (or absent); a url is http(s) only, so a javascript:
    or file: link never reaches a page or an export."""
    for key, value in fields.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadMetadata(f"{key} must be text, not {type(value).__name__}", path=name)
        if not is_utf8(value):
            raise BadMetadata(f"{key} is not valid text (a lone surrogate)", path=name)
        if len(value) > MAX_METADATA:
            raise BadMetadata(f"{key} is longer than {MAX_METADATA} characters", path=name)
    if fields.get("url") is not None:
        problem = url_problem(fields["url"])
        if problem:
            raise BadMetadata(problem, path=name)
