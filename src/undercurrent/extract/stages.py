"""What the stages of a language pipeline hand forward: each stage takes what earlier stages found
and returns its own result, never changing an earlier one."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

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


class Candidates:
    """What the rules of a pipeline propose for one report, before the learned stage: the records (their
    events the rules' candidates) and what the learned stage sees of the report.

    What the learned stage sees (every word's lemma and sentence bounds) is built only when it is asked
    for: with no learned part shipped, building it for every report cost about a tenth of the rules' time."""

    def __init__(self, records: Records, filter_input: FilterInput | Callable[[], FilterInput]) -> None:
        self.records = records
        self._filter_input = filter_input

    @cached_property
    def filter_input(self) -> FilterInput:
        made = self._filter_input
        return made if isinstance(made, FilterInput) else made()
