"""Annotated examples for the learned stage: the project's own training set and gold folders.

Both are validated before anything is trained: a quote that is not in its text, an unknown type, mode or
status is refused with an error naming the file, the line or record and the field.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from undercurrent.errors import BadTraining
from undercurrent.evaluate.runner import gold_pairs
from undercurrent.ingest.reader import load_report
from undercurrent.models import EVENT_TYPES, PLOVER_MODES, STATUSES, Report
from undercurrent.vocabulary import LANGUAGES


@dataclass
class Example:
    """One annotated text: a report and its gold events (dicts with at least quote and type)."""

    name: str  # where it came from, for errors and for grouping folds
    report: Report
    events: list[dict[str, Any]]
    gold: dict[str, Any] = field(default_factory=dict)  # the whole gold record, for gold folders


def check_event(event: Any, text: str, *, where: str) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise BadTraining("an event must be an object", path=where)
    etype = event.get("type")
    if etype not in EVENT_TYPES:
        raise BadTraining(f"field 'type': unknown event type {etype!r}; use one of {', '.join(EVENT_TYPES)}", path=where)
    mode = event.get("mode")
    if mode is not None and mode not in PLOVER_MODES.get(etype, ()):
        allowed = ", ".join(PLOVER_MODES.get(etype, ())) or "none"
        raise BadTraining(f"field 'mode': {mode!r} is not a mode of {etype} (allowed: {allowed}, or null)", path=where)
    status = event.get("status", "occurred")
    if status not in STATUSES:
        raise BadTraining(f"field 'status': unknown status {status!r}; use one of {', '.join(STATUSES)}", path=where)
    quote = event.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise BadTraining("field 'quote': missing or empty", path=where)
    if quote not in text and " ".join(quote.split()) not in " ".join(text.split()):
        raise BadTraining(f"field 'quote': {quote[:60]!r} is not in the text", path=where)
    trigger = event.get("trigger")
    if trigger is not None and (not isinstance(trigger, str) or trigger not in quote):
        raise BadTraining(f"field 'trigger': {str(trigger)[:40]!r} is not in the quote", path=where)
    return event


def read_training_file(path: Path) -> list[Example]:
    """Examples of one training JSONL file (see training/README.md for the format)."""
    examples = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadTraining(f"cannot read: {exc}", path=str(path)) from None
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadTraining(f"not JSON ({exc.msg})", path=where) from None
        if not isinstance(record, dict):
            raise BadTraining("a line must be a JSON object", path=where)
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadTraining("field 'text': missing or empty", path=where)
        lang = record.get("lang", "en")
        if lang not in LANGUAGES:
            raise BadTraining(f"field 'lang': {lang!r} is not supported (en, ko)", path=where)
        events = record.get("events")
        if not isinstance(events, list):
            raise BadTraining("field 'events': must be a list (empty for a text with no event)", path=where)
        ident = str(record.get("id") or f"{path.stem}-{number}")
        if ident in seen:
            raise BadTraining(f"field 'id': {ident!r} appears twice", path=where)
        seen.add(ident)
        checked = [check_event(e, text, where=f"{where} event {i + 1}") for i, e in enumerate(events)]
        published = record.get("published")
        report = Report.from_fields(text=text, published=published if isinstance(published, str) else None,
                                    language=lang, url=f"training:{ident}")
        examples.append(Example(name=ident, report=report, events=checked))
    return examples


def read_training_set(folder: Path, *, language: str) -> list[Example]:
    """Every example of language in folder/<language>/*.jsonl, in a fixed order."""
    sub = folder / language
    if not sub.is_dir():
        return []
    examples: list[Example] = []
    for path in sorted(sub.glob("*.jsonl")):
        examples.extend(e for e in read_training_file(path) if e.report.language == language)
    return examples


def read_gold_folder(folder: Path) -> list[Example]:
    """Examples from a gold folder (<slug>.json + <slug>.gold.json), checked like the training set."""
    examples = []
    for report_path, gold_path in gold_pairs(folder):
        report = load_report(report_path)
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadTraining(f"cannot read: {exc}", path=str(gold_path)) from None
        if not isinstance(gold, dict) or not isinstance(gold.get("events", []), list):
            raise BadTraining("field 'events': must be a list", path=str(gold_path))
        events = [check_event(e, report.text, where=f"{gold_path} event {i + 1}")
                  for i, e in enumerate(gold.get("events", []))]
        examples.append(Example(name=report_path.stem, report=report, events=events, gold=gold))
    return examples
