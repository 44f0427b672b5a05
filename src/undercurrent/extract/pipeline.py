"""The extraction pipeline: a report in, sourced records out. No database, no network.

The one place where reports meet the pipeline of their language (extract/en/, extract/ko/, peers
behind the contract of extract/contract.py); a report in another language goes to the English one.
Long and mixed-language reports are cut into segments first (extract/segments.py)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language

from undercurrent.errors import ExtractionFailed
from undercurrent.extract.contract import LanguagePipeline
from undercurrent.extract.en.pipeline import DEFAULT_MODEL, EnglishPipeline, load_nlp
from undercurrent.extract.en.triggers import TriggerMatcher, load_rules
from undercurrent.extract.ko.pipeline import KoreanPipeline
from undercurrent.extract.learned import LearnedStage, shipped_stage
from undercurrent.extract.segments import CHUNK_CHARS, merge, segments, shift
from undercurrent.extract.stages import Candidates
from undercurrent.kb import load_kb
from undercurrent.models import Records, Report

__all__ = ["DEFAULT_MODEL", "Extractor", "default_extractor"]

# The language of a report with no pipeline of its own.
FALLBACK_LANGUAGE = "en"


@dataclass
class Extractor:
    # The pipeline of each language, by language code.
    pipelines: dict[str, LanguagePipeline] = field(default_factory=dict)
    chunk_chars: int = CHUNK_CHARS

    @classmethod
    def create(cls, *, model: str | None = None, learned: bool = True) -> Extractor:
        kb = load_kb()

        def stage(language: str) -> LearnedStage:
            return shipped_stage(language) if learned else LearnedStage()

        return cls(pipelines={
            "en": EnglishPipeline(load_nlp(model), kb, TriggerMatcher(load_rules()), stage=stage("en")),
            "ko": KoreanPipeline(kb, stage=stage("ko")),
        })

    def pipeline(self, language: str) -> LanguagePipeline:
        return self.pipelines.get(language) or self.pipelines[FALLBACK_LANGUAGE]

    @property
    def nlp(self) -> Language:
        """The English spaCy pipeline."""
        english = self.pipelines[FALLBACK_LANGUAGE]
        assert isinstance(english, EnglishPipeline)
        return english.nlp

    def extract(self, report: Report) -> Records:
        parts = segments(report.text, report.language, chunk_chars=self.chunk_chars)
        if len(parts) > 1:  # a mixed-language or very long report: each segment by its own pipeline
            return merge(report, [shift(self.pipeline(p.language).extract(report.model_copy(update={
                "text": report.text[p.start : p.end], "language": p.language})), p.start) for p in parts])
        return self.pipeline(report.language).extract(report)

    def extract_many(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[Records]:
        """Records in input order; each language's whole reports go to its pipeline together (English
        ones are parsed in spaCy batches); a report cut into segments goes through extract."""
        pending = list(reports)
        whole = [len(segments(r.text, r.language, chunk_chars=self.chunk_chars)) == 1 for r in pending]
        streams = self._by_language([r for r, one in zip(pending, whole, strict=True) if one],
                                    lambda p, rs: p.extract_many(rs, batch_size=batch_size))
        for report, one in zip(pending, whole, strict=True):
            yield next(streams[self.pipeline(report.language).language]) if one else self.extract(report)

    def extract_each(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[Records | ExtractionFailed]:
        """As extract_many, but a report whose extraction fails yields a coded error naming it and
        the others are still extracted: once a batch fails, its remaining reports go one by one."""
        pending = list(reports)
        done = 0
        try:
            for records in self.extract_many(pending, batch_size=batch_size):
                yield records
                done += 1
        except Exception:  # noqa: BLE001 - which report failed is found by going one by one
            for report in pending[done:]:
                try:
                    yield self.extract(report)
                except Exception as exc:  # noqa: BLE001 - one report must never stop a run
                    yield ExtractionFailed.of(exc, report.ingest_source or report.id, doing="extraction failed")

    def candidates_many(self, reports: Iterable[Report], *, batch_size: int = 16,
                        keep_dropped: bool = True) -> Iterator[Candidates]:
        """The rules' records and the learned stage's input, in input order (what training learns from)."""
        pending = list(reports)
        streams = self._by_language(pending, lambda p, rs: p.candidates_many(
            rs, keep_dropped=keep_dropped, batch_size=batch_size))
        for report in pending:
            yield next(streams[self.pipeline(report.language).language])

    def _by_language(self, reports: list[Report], run) -> dict[str, Iterator]:
        """One lazy stream per language over that language's reports, in input order."""
        streams = {}
        for language in dict.fromkeys(self.pipeline(r.language).language for r in reports):
            pipeline = self.pipelines[language]
            streams[language] = iter(run(pipeline, [r for r in reports if self.pipeline(r.language) is pipeline]))
        return streams


@lru_cache(maxsize=2)
def default_extractor(model: str | None = None, *, learned: bool = True) -> Extractor:
    return Extractor.create(model=model, learned=learned)
