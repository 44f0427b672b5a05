"""The contract every language pipeline keeps (extract/en/, extract/ko/): the rules propose candidates
for a report, and the learned stage, last, turns them into the report's records. extract/pipeline.py
dispatches reports to the pipeline of their language."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import ClassVar

from undercurrent.extract.learned import LearnedStage
from undercurrent.extract.stages import Candidates
from undercurrent.kb import KnowledgeBase
from undercurrent.models import Records, Report


class LanguagePipeline(ABC):
    language: ClassVar[str]

    def __init__(self, kb: KnowledgeBase, *, stage: LearnedStage | None = None) -> None:
        self.kb = kb
        # The learned stage of this language (the weights the package ships); empty: the rules alone.
        self.stage = stage or LearnedStage()

    @abstractmethod
    def candidates(self, report: Report, *, keep_dropped: bool = False) -> Candidates:
        """The rules' records (events before the learned stage) and what the learned stage sees; with
        keep_dropped, the events the hand filters drop are kept for the learned stage to judge."""

    def candidates_many(self, reports: Iterable[Report], *, keep_dropped: bool = False,
                        batch_size: int = 16) -> Iterator[Candidates]:
        """As candidates, for many reports in input order (a pipeline may parse them in batches)."""
        for report in reports:
            yield self.candidates(report, keep_dropped=keep_dropped)

    def extract(self, report: Report) -> Records:
        return self.finish(self.candidates(report, keep_dropped=self.stage.keep_dropped))

    def extract_many(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[Records]:
        for candidates in self.candidates_many(reports, keep_dropped=self.stage.keep_dropped, batch_size=batch_size):
            yield self.finish(candidates)

    def finish(self, candidates: Candidates) -> Records:
        """The learned stage over the rules' candidates: the report's records, built anew."""
        records = candidates.records
        if not self.stage.active:
            return records
        return records.model_copy(update={"events": self.stage.apply(records, candidates.filter_input)})
