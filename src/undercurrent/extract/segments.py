"""Cutting one report text into segments for extraction: by language (mixed reports) and by size.

Each segment is a contiguous slice of the one text, extracted on its own by the pipeline of its
language; its records' offsets are then shifted back into the whole text, so quotes and offsets
always refer to the stored text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from undercurrent.ingest.language import count_letters, detect_language
from undercurrent.models import Records

# spaCy's cost grows faster than the text (a 900K-character report took 307 s and 3.1 GB in one
# parse); reports are a few thousand characters, so a 50,000-character cut never touches them.
CHUNK_CHARS = 50_000
# A paragraph decides its own language only when it holds this many letters; shorter lines (a
# byline, a date, a name) follow the report's language.
MIN_LETTERS = 60
_PARAGRAPH = re.compile(r"[^\n]*(?:\n|$)")
_BREAK = re.compile(r"(?<=[.!?。])\s+|\s+")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    language: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.end() > m.start()]


def _paragraph_language(text: str, default: str) -> str:
    letters = count_letters(text)
    return detect_language(text) if letters >= MIN_LETTERS else default


def segments(text: str, language: str, *, chunk_chars: int = CHUNK_CHARS) -> list[Segment]:
    """Contiguous segments covering text; one segment for an ordinary one-language report."""
    runs: list[Segment] = []
    for start, end in _paragraphs(text):
        lang = _paragraph_language(text[start:end], language)
        if runs and runs[-1].language == lang and end - runs[-1].start <= chunk_chars:
            runs[-1] = Segment(runs[-1].start, end, lang)
        else:
            runs.extend(_cut(text, start, end, lang, chunk_chars))
    if not runs:
        return [Segment(0, len(text), language)]
    # A paragraph may have joined the previous run only when it fit; merge again what can merge.
    merged = [runs[0]]
    for seg in runs[1:]:
        last = merged[-1]
        if seg.language == last.language and seg.end - last.start <= chunk_chars and seg.start == last.end:
            merged[-1] = Segment(last.start, seg.end, seg.language)
        else:
            merged.append(seg)
    return merged


def _cut(text: str, start: int, end: int, lang: str, chunk_chars: int) -> list[Segment]:
    """A paragraph longer than a chunk, cut after a sentence end (or any space) before the limit."""
    out = []
    while end - start > chunk_chars:
        window = text[start : start + chunk_chars]
        cuts = [m.end() for m in _BREAK.finditer(window)]
        sentence_cuts = [c for c in cuts if c > chunk_chars // 2 and window[:c].rstrip()[-1:] in ".!?。"]
        cut = (sentence_cuts or [c for c in cuts if c > chunk_chars // 2] or [chunk_chars])[-1]
        out.append(Segment(start, start + cut, lang))
        start += cut
    out.append(Segment(start, end, lang))
    return out


def shift(records: Records, offset: int) -> Records:
    """The records of a segment with offsets into the whole text (records are fresh: changed in place)."""
    if not offset:
        return records
    evidences = [e for event in records.events for e in event.evidence]
    evidences += [o.evidence for o in records.observations] + [s.evidence for s in records.sources]
    for item in evidences + records.places + records.institutions:
        item.start += offset
        item.end += offset
    return records


def merge(report, parts: list[Records]) -> Records:
    return Records(
        report=report,
        events=[e for p in parts for e in p.events],
        observations=[o for p in parts for o in p.observations],
        sources=[s for p in parts for s in p.sources],
        places=[m for p in parts for m in p.places],
        institutions=[m for p in parts for m in p.institutions],
    )
