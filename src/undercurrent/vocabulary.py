"""The closed lists of values, each written once.

Each list is a `Literal` (what pydantic, FastAPI and a type checker read) and its tuple is read from it
with `typing.get_args`, so a value added to the one is in the other (`Literal[*EVENT_TYPES]` is not
valid typing in Python 3.11). Only `typing` is imported: the CLI builds its options from these lists
when it starts, and `undercurrent --help` stays fast.
"""
from __future__ import annotations

from typing import Literal, get_args

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

# Modes a reviewer may choose per type: those RECORDS.md names plus the ones the extractor emits.
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "COERCE": ("seize", "restrict", "ban", "censor", "curfew", "arrest", "deport", "withhold"),
    "ASSAULT": ("abduct", "beat", "torture", "execute", "sexual", "firearms"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "police", "militia"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "RETREAT": ("release", "return", "resign", "withdraw", "disarm", "ceasefire"),
    "CONSULT": ("visit",),
    "THREATEN": ("violence", "restrict", "ban", "arrest"),
}

Status = Literal["occurred", "ordered", "planned", "negated", "hypothetical"]
STATUSES: tuple[str, ...] = get_args(Status)

SourceKind = Literal[
    "in_country_anonymous", "defector", "official_media", "official_statement",
    "foreign_government", "ngo", "other_media", "own_reporting", "unknown",
]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)

ObservationKind = Literal["price", "exchange_rate", "wage", "bribe", "fine", "count", "other"]
OBSERVATION_KINDS: tuple[str, ...] = get_args(ObservationKind)

# The languages the extractor reads (ingest normalises "KO", "ko-KR", "Korean" ... to these).
Language = Literal["en", "ko"]
LANGUAGES: tuple[str, ...] = get_args(Language)

# Workbench roles, each allowed what the ones before it are.
Role = Literal["viewer", "reviewer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

# A reviewer's decision on a record, and the states a record can be in (a nested Literal is flattened).
ReviewDecision = Literal["accepted", "edited", "rejected"]
ReviewState = Literal["pending", ReviewDecision]
REVIEW_STATES: tuple[str, ...] = get_args(ReviewState)

ExportFormat = Literal["csv", "plover", "geojson", "parquet"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)

# How much of a source an export shows (export/profiles.py).
ExportProfile = Literal["public", "internal", "full"]
EXPORT_PROFILES: tuple[str, ...] = get_args(ExportProfile)

# Counts of events: one per cluster (a real-world event told by several reports counts once), or one
# per event record (each report's telling counts).
CountUnit = Literal["events", "reports"]
COUNT_UNITS: tuple[str, ...] = get_args(CountUnit)
