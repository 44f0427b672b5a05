"""The learned stage, the last step of every language pipeline: the filter, then the sentence typer."""
from __future__ import annotations

from dataclasses import dataclass

from undercurrent.extract.event_filter import CandidateFilter, FilterInput, shipped_filter
from undercurrent.extract.places import event_place
from undercurrent.extract.sentence_typer import SentenceTyper, shipped_typer
from undercurrent.kb import load_kb
from undercurrent.models import Event, EventDate, EventPlace, Records

# The confidence of a candidate that the hand filters would drop: kept only for the learned stage to judge.
DROPPED_BY_RULES = 0.3


@dataclass(frozen=True)
class LearnedStage:
    filter: CandidateFilter | None = None
    typer: SentenceTyper | None = None

    @property
    def keep_dropped(self) -> bool:
        """Whether the filter was trained on the candidates the hand filters drop too (then it sees them)."""
        return self.filter is not None and bool(self.filter.meta.get("keep_dropped"))

    @property
    def active(self) -> bool:
        return self.filter is not None or self.typer is not None

    def apply(self, records: Records, doc: FilterInput) -> list[Event]:
        """The events of the report: the rules' candidates the filter keeps, and what the typer adds
        (placed like the rules' events, dated by the calendar of the report's language in `doc`)."""
        events = records.events if self.filter is None else self.filter.keep(records.events, doc)
        if self.typer is None:
            return events
        resolve_date = doc.resolve_date
        if resolve_date is None:
            raise ValueError("the sentence typer needs the calendar of the report's language (FilterInput.resolve_date)")
        kb = load_kb()

        def place_of(start: int, end: int) -> EventPlace:
            return event_place(start, end, start, kb, records.places, records.sources)

        def date_of(sentence: str) -> EventDate:
            return resolve_date(sentence, records.report.published)

        added = self.typer.propose(doc, events, place_of=place_of, date_of=date_of)
        return sorted(events + added, key=lambda e: (min(x.start for x in e.evidence), e.type))


def shipped_stage(language: str) -> LearnedStage:
    """The weights the package ships for a language (either part may be missing: then it is skipped)."""
    return LearnedStage(shipped_filter(language), shipped_typer(language))
