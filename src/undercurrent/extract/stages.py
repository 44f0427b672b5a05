"""What the stages of a language pipeline hand forward: each stage takes what earlier stages found
and returns its own result, never changing an earlier one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from undercurrent.extract.event_filter import FilterInput
from undercurrent.models import InstitutionMention, PlaceMention, Records, SourceAttribution


@dataclass(frozen=True)
class Mentions:
    """What the naming stages found in a report: places, institutions and the sources speaking.
    Observations and events draw on it."""

    places: list[PlaceMention]
    institutions: list[InstitutionMention]
    sources: list[SourceAttribution]

    def names_at(self, offset: int) -> bool:
        """Whether the character at `offset` is inside a place or institution name (no trigger there)."""
        return any(m.start <= offset < m.end for m in self.institutions) or any(
            m.start <= offset < m.end for m in self.places)


class Candidates(NamedTuple):
    """What the rules of a pipeline propose for one report, before the learned stage: the records (their
    events the rules' candidates) and what the learned stage sees of the report."""

    records: Records
    filter_input: FilterInput
