"""Reports from .txt and .json files and folders of them, with errors that name the file."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from undercurrent.errors import (
    BadJson, BadMetadata, EmptyInput, InputNotFound, InputTooLarge, MissingText, NotUtf8, UndercurrentError,
    UnsupportedInput,
)
from undercurrent.ingest.language import detect_language
from undercurrent.models import Report
from undercurrent.validate import is_utf8, period_problem, url_problem

MAX_BYTES = 20 * 1024 * 1024  # a report is a few KB; a 20 MB "report" is a wrong file
SUFFIXES = {".txt", ".json"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Metadata:
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class LoadResult:
    path: Path
    report: Report | None = None
    error: UndercurrentError | None = None


def expand_paths(paths: list[Path], *, skip_gold: bool = True) -> list[Path]:
    """Files named, and the report files of folders named (sorted, not recursive)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix in SUFFIXES and not (skip_gold and child.name.endswith(".gold.json")):
                    out.append(child)
        else:
            out.append(path)
    return out


def load_report(path: Path, metadata: Metadata = Metadata()) -> Report:
    """One report from a .txt (metadata from options) or .json file (metadata from the file)."""
    if not path.exists():
        raise InputNotFound("no such file or folder", path=str(path))
    if path.suffix not in SUFFIXES:
        raise UnsupportedInput(f"unsupported file type {path.suffix or '(none)'}: use .txt or .json", path=str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputTooLarge(f"file is {size / 1e6:.1f} MB; the limit for one report is {MAX_BYTES / 1e6:.0f} MB", path=str(path))
    return report_from_bytes(path.read_bytes(), name=str(path), kind=path.suffix.lstrip("."), metadata=metadata)


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
    ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if kind == "json":
        return report_from_json_text(content, name=name, metadata=metadata, ingested_at=ingested_at)
    check_published(metadata.published, name=name)
    check_metadata({"url": metadata.url, "outlet": metadata.outlet, "title": metadata.title}, name=name)
    return Report.from_fields(
        text=content, url=metadata.url, outlet=metadata.outlet, title=metadata.title,
        published=metadata.published, ingest_source=name, ingested_at=ingested_at,
        language=detect_language(content),
    )


def report_from_json_text(content: str, *, name: str, metadata: Metadata = Metadata(),
                          ingested_at: str | None = None) -> Report:
    ingested_at = ingested_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise BadJson(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", path=name) from None
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
    fields = {"url": data.get("url") or metadata.url, "outlet": data.get("outlet") or metadata.outlet,
              "title": data.get("title") or metadata.title, "language": data.get("language")}
    check_metadata(fields, name=name)
    return Report.from_fields(
        text=text,
        url=data.get("url") or metadata.url,
        outlet=data.get("outlet") or metadata.outlet,
        title=data.get("title") or metadata.title,
        published=published,
        language=data.get("language") or detect_language(text),
        ingest_source=name,
        ingested_at=ingested_at,
    )


def check_published(published: str | None, *, name: str) -> None:
    if published is not None and (not isinstance(published, str) or not _DATE.match(published)):
        raise BadMetadata(f"published date {published!r} is not YYYY, YYYY-MM or YYYY-MM-DD", path=name)
    problem = period_problem(published) if published is not None else None
    if problem:
        raise BadMetadata(f"published date {problem}", path=name)


MAX_METADATA = 2000  # characters of an outlet, title or language: more is not metadata


def check_metadata(fields: dict, *, name: str) -> None:
    """url, outlet, title and language of a report are text (or absent); a url is http(s) only, so a
    javascript: or file: link never reaches a page or an export."""
    for key, value in fields.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadMetadata(f"{key} must be text, not {type(value).__name__}", path=name)
        if not is_utf8(value):
            raise BadMetadata(f"{key} is not valid text (a lone surrogate)", path=name)
        if len(value) > MAX_METADATA:
            raise BadMetadata(f"{key} is longer than {MAX_METADATA} characters", path=name)
    if fields.get("language") is not None and len(fields["language"]) > 8:
        raise BadMetadata(f"language {fields['language'][:20]!r} is not a language code such as en or ko", path=name)
    if fields.get("url") is not None:
        problem = url_problem(fields["url"])
        if problem:
            raise BadMetadata(problem, path=name)


def load_many(paths: list[Path], metadata: Metadata = Metadata()) -> Iterator[LoadResult]:
    """Every report under paths; a bad file yields its error and the others still load."""
    for path in expand_paths(paths):
        try:
            yield LoadResult(path, report=load_report(path, metadata))
        except UndercurrentError as exc:
            yield LoadResult(path, error=exc)
