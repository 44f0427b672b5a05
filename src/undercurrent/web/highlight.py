"""A report's text cut into segments, each with the records whose evidence covers it."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

KINDS = ("event", "observation", "source", "place", "institution")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    ref: str  # "event:<id>", "place:<start>", ...


@dataclass
class Segment:
    text: str
    start: int
    kinds: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


def record_spans(report: dict) -> list[Span]:
    """Every evidence span of a report's records (events may rest on several spans)."""
    spans = []
    for event in report["events"]:
        for ev in event.get("evidence") or [{"start": event["start"], "end": event["end"]}]:
            spans.append(Span(ev["start"], ev["end"], "event", f"event:{event['id']}"))
    for obs in report["observations"]:
        spans.append(Span(obs["start"], obs["end"], "observation", f"observation:{obs['id']}"))
    for source in report["sources"]:
        if "start" not in source:  # withheld from this reader (api/source_rule.py)
            continue
        spans.append(Span(source["start"], source["end"], "source", f"source:{source['id']}"))
    for mention in report["place_mentions"]:
        spans.append(Span(mention["start"], mention["end"], "place", f"place:{mention['start']}"))
    for mention in report["institution_mentions"]:
        spans.append(Span(mention["start"], mention["end"], "institution", f"institution:{mention['start']}"))
    return spans


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut `text` at every span boundary; a segment lists the kinds and records covering it."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out = []
    for a, b in pairwise(cuts):
        covering = [s for s in valid if s.start <= a and b <= s.end]
        kinds = [k for k in KINDS if any(s.kind == k for s in covering)]
        out.append(Segment(text[a:b], a, kinds, [s.ref for s in covering]))
    return out
