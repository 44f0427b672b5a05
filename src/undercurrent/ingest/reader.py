"""The one reader of report files: paths -> units -> items, for `extract`, `ingest` and `batch` alike.

A user gets the same reports from the same folder whatever the command (docs/decisions.md, "The house"):
- report files are .txt, .json, .jsonl (one report a line), .html and .htm, suffixes in any case;
- folders are read recursively, in sorted order, skipping other files and gold files (*.gold.json);
- a file named explicitly is always tried, so a wrong one is a coded error, never a silent skip;
- every failure is a coded error naming the item (file or file:line): missing (E001), unreadable, a FIFO,
  a symlink to a device or a folder that cannot be listed (E015), too large (E004), bad content.

Listing (`list_units`) and reading (`read_unit`) are apart because `batch` plans partitions from the
units and its workers read them later; `read_paths` is both in one stream for `extract` and `ingest`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from undercurrent.errors import (
    EmptyInput,
    ExtractionFailed,
    InputNotFound,
    UndercurrentError,
    Unreadable,
    UnsupportedInput,
)
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
from undercurrent.models import Report

FILE_KINDS = {".txt": "txt", ".json": "json", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
MEDIA_TYPES = {"txt": "text/plain", "json": "application/json", "jsonl": "application/json", "html": "text/html"}
GOLD_SUFFIX = ".gold.json"  # evaluation answers beside their reports: never reports themselves


@dataclass(frozen=True)
class Unit:
    """Where one report is: a file, or one line of a .jsonl file."""

    path: str
    line: int | None = None
    offset: int | None = None  # byte offset of the line, so a reader seeks instead of rereading

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class Item:
    """One report to store, or the reason it cannot be: `name` is the file, file:line or URL."""

    name: str
    report: Report | None = None
    original: bytes = b""
    media_type: str | None = None
    error: UndercurrentError | None = None


def is_report_file(path: Path) -> bool:
    """A file a folder walk reads (a file named explicitly is read whatever its name)."""
    return path.suffix.lower() in FILE_KINDS and not path.name.endswith(GOLD_SUFFIX)


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


def list_units(paths: Iterable[str | Path]) -> Iterator[Unit]:
    """Every report under paths, in a stable order. A path that fails (missing, unsupported, a folder
    that cannot be listed) is still a unit: reading it gives its coded error, so that nothing is
    skipped silently and a batch worker, reading later, reports the same error as `ingest`."""
    for value in paths:
        path = Path(value)
        if path.is_dir():
            files, unlisted = walk_files(path)
            for error in unlisted:
                yield Unit(error.path or str(path))
            for file in files:  # a broken symlink in a folder is a unit that fails (E001)
                if is_report_file(file):
                    yield from _file_units(file)
        else:
            yield from _file_units(path)


def _file_units(path: Path) -> list[Unit]:
    # Not is_file() for every file: a FIFO or a symlink to a device is one unit that fails with E015.
    if path.suffix.lower() == ".jsonl" and path.is_file():
        try:
            return _line_units(path)
        except OSError:  # unreadable: the whole file is one unit, and reading it says why
            return [Unit(str(path))]
    return [Unit(str(path))]


def _line_units(path: Path) -> list[Unit]:
    """One unit per non-blank line, with its byte offset. Lines are read at most MAX_BYTES + 1 at a
    time, so a huge line costs no memory here; its unit fails with E004 when read."""
    units: list[Unit] = []
    offset = 0
    with path.open("rb") as handle:
        for number, chunk in enumerate(iter(lambda: handle.readline(MAX_BYTES + 1), b""), start=1):
            start, blank = offset, not chunk.strip()
            offset += len(chunk)
            while len(chunk) > MAX_BYTES and not chunk.endswith(b"\n"):  # the rest of a long line
                chunk = handle.readline(MAX_BYTES + 1)
                offset += len(chunk)
            if not blank:
                units.append(Unit(str(path), number, start))
    return units


def read_unit(unit: Unit, metadata: Metadata = Metadata()) -> Item:
    """The report of one unit with its original bytes, or its coded error; never raises."""
    try:
        report, raw, media_type = _read(unit, metadata)
    except UndercurrentError as exc:
        return Item(unit.name, error=exc)
    except Exception as exc:  # noqa: BLE001 - one odd item (a parser's own bug) must not stop a run
        return Item(unit.name, error=ExtractionFailed.of(exc, unit.name))
    return Item(unit.name, report=report, original=raw, media_type=media_type)


def read_paths(paths: Iterable[str | Path], metadata: Metadata = Metadata()) -> Iterator[Item]:
    """Every report under paths, as items (a bad one is an item with its error; the others go on)."""
    for unit in list_units(paths):
        yield read_unit(unit, metadata)


def load_report(path: Path, metadata: Metadata = Metadata()) -> Report:
    """One report file (.txt, .json, .html); its coded error is raised."""
    item = read_unit(Unit(str(path)), metadata)
    if item.error is not None:
        raise item.error
    assert item.report is not None
    return item.report


def _read(unit: Unit, metadata: Metadata) -> tuple[Report, bytes, str]:
    if unit.line is not None:
        return _read_line(unit, metadata)
    path, name = Path(unit.path), unit.name
    if not path.exists():  # also a broken symlink
        raise InputNotFound("no such file or folder", path=name)
    if path.is_dir():  # listed as a unit because it could not be listed itself
        raise _unlistable(path)
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedInput(f"unsupported file type {path.suffix or '(none)'}: use .txt, .json, .jsonl or .html",
                               path=name)
    raw = read_capped(path)  # E015 for a FIFO, a device or an unreadable file; E004 when too large
    if kind == "jsonl":  # listing makes line units of a readable .jsonl: this is load_report or a race
        raise UnsupportedInput("a .jsonl file holds one report a line: it is read line by line", path=name)
    if kind == "html":
        return report_from_html(raw, name=name, metadata=metadata), raw, MEDIA_TYPES[kind]
    return report_from_bytes(raw, name=name, kind=kind, metadata=metadata), raw, MEDIA_TYPES[kind]


def _read_line(unit: Unit, metadata: Metadata) -> tuple[Report, bytes, str]:
    name = unit.name
    try:
        with Path(unit.path).open("rb") as handle:
            handle.seek(unit.offset or 0)
            raw = handle.readline(MAX_BYTES + 1)
    except FileNotFoundError:  # gone since it was listed (a batch worker reads later)
        raise InputNotFound("no such file or folder", path=name) from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}", path=name) from None
    if not raw.strip():
        raise EmptyInput(f"line {unit.line} is gone or empty", path=name)
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw), name=name, what="line")
    return report_from_json_text(decode_text(raw, name=name), name=name, metadata=metadata), raw, MEDIA_TYPES["jsonl"]


def _unlistable(path: Path) -> Unreadable:
    try:
        os.scandir(path).close()
        reason = "cannot list folder"
    except OSError as exc:
        reason = f"cannot list folder: {exc.strerror}"
    return Unreadable(reason, path=str(path))


def output_names(units: Iterable[Unit]) -> dict[Unit, str]:
    """<stem>.json per file, <stem>.line<N>.json per .jsonl line; units with the same name in different
    folders (extract d1 d2 --out) get <name>.2.json, <name>.3.json ... in input order instead of
    overwriting each other."""
    names: dict[Unit, str] = {}
    taken: set[str] = set()
    for unit in units:
        base = Path(unit.path).stem + (f".line{unit.line}" if unit.line is not None else "")
        name, n = f"{base}.json", 1
        while name in taken:
            n += 1
            name = f"{base}.{n}.json"
        taken.add(name)
        names[unit] = name
    return names
