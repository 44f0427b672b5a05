"""The records of RECORDS.md as typed models. No I/O here."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, Field

# The closed lists live in vocabulary.py, each written once as a Literal with its tuple read from it.
# The tuples are re-exported ("X as X") for the many callers that import them from here.
from undercurrent.vocabulary import EVENT_TYPES as EVENT_TYPES
from undercurrent.vocabulary import OBSERVATION_KINDS as OBSERVATION_KINDS
from undercurrent.vocabulary import PLOVER_MODES as PLOVER_MODES
from undercurrent.vocabulary import SOURCE_KINDS as SOURCE_KINDS
from undercurrent.vocabulary import STATUSES as STATUSES
from undercurrent.vocabulary import EventType, ObservationKind, SourceKind, Status

PlaceBasis = Literal["stated", "source", "country", "abroad"]
Granularity = Literal["day", "month", "year", "unknown"]
DateKind = Literal["exact", "approximate", "range", "unresolved"]


class Evidence(BaseModel):
    """A quote and its character offsets in the report text: text[start:end] == quote."""

    quote: str
    start: int
    end: int


class Report(BaseModel):
    id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str = "en"
    text: str
    content_sha256: str
    ingested_at: str | None = None
    ingest_source: str | None = None

    @classmethod
    def from_fields(
        cls,
        *,
        text: str,
        url: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
        published: str | None = None,
        language: str = "en",
        ingest_source: str | None = None,
        ingested_at: str | None = None,
    ) -> Report:
        # NFC first: NFD Hangul (conjoining jamo) is not matched by the Korean stages or their lexicons,
        # and the same words must give the same id. The original bytes are kept apart, untouched.
        text = unicodedata.normalize("NFC", text)
        return cls(
            id=report_id(text=text, url=url, outlet=outlet),
            url=url,
            outlet=outlet,
            title=title,
            published=published,
            language=language,
            text=text,
            content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            ingest_source=ingest_source,
            ingested_at=ingested_at,
        )


def report_id(*, text: str, url: str | None, outlet: str | None) -> str:
    """Stable id: hash of outlet + url, or of the normalised text when there is no url."""
    if url:
        basis = f"{(outlet or '').strip().lower()}\n{url.strip()}"
    else:
        folded = unicodedata.normalize("NFKC", text).lower()
        basis = re.sub(r"\s+", " ", folded).strip()
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


class SourceAttribution(BaseModel):
    descriptor: str
    kind: SourceKind
    place: str | None = None
    evidence: Evidence


class Entity(BaseModel):
    text: str
    institution: str | None = None
    sector: str | None = None


class EventPlace(BaseModel):
    text: str | None = None
    id: str | None = None
    admin1: str | None = None
    precision: int | None = None
    basis: PlaceBasis = "country"


class EventDate(BaseModel):
    start: str | None = None
    end: str | None = None
    granularity: Granularity = "unknown"
    kind: DateKind = "unresolved"
    text: str | None = None


class EventSize(BaseModel):
    arrested: int | None = None
    dead: int | None = None
    injured: int | None = None


class Event(BaseModel):
    type: EventType
    mode: str | None = None
    status: Status = "occurred"
    contexts: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    actors: list[Entity] = Field(default_factory=list)
    recipients: list[Entity] = Field(default_factory=list)
    place: EventPlace = Field(default_factory=EventPlace)
    date: EventDate = Field(default_factory=EventDate)
    size: EventSize | None = None
    evidence: list[Evidence]
    confidence: float = 0.5
    trigger: str | None = None


class Observation(BaseModel):
    kind: ObservationKind
    item: str | None = None
    value: float
    value_max: float | None = None
    currency: str | None = None
    unit: str | None = None
    place: str | None = None
    date: EventDate = Field(default_factory=EventDate)
    evidence: Evidence


class PlaceMention(BaseModel):
    id: str | None
    text: str
    admin1: str | None = None
    candidates: list[str] = Field(default_factory=list)
    start: int
    end: int


class InstitutionMention(BaseModel):
    id: str | None
    text: str
    name_in_force: str | None = None
    candidates: list[str] = Field(default_factory=list)
    start: int
    end: int


class Records(BaseModel):
    """Everything extracted from one report."""

    report: Report
    events: list[Event] = Field(default_factory=list)
    observations: list[Observation] = Field(default_factory=list)
    sources: list[SourceAttribution] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    institutions: list[InstitutionMention] = Field(default_factory=list)
