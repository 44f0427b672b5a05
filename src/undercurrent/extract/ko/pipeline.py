"""The Korean pipeline: the same Records as the English one, from Korean text."""
from __future__ import annotations

import re

from undercurrent.extract.event_filter import FilterInput, Token
from undercurrent.extract.ko.analysis import KoDoc, analyse
from undercurrent.extract.ko.events import KoContext, find_events_ko
from undercurrent.extract.ko.money import find_amounts_ko
from undercurrent.extract.ko.names import institution_matcher, place_matcher
from undercurrent.extract.ko.sources import find_sources_ko
from undercurrent.extract.learned import LearnedStage
from undercurrent.extract.places import observation_place, resolve_place_hits
from undercurrent.kb import KnowledgeBase
from undercurrent.models import (
    Evidence,
    InstitutionMention,
    Observation,
    ObservationKind,
    PlaceMention,
    Records,
    Report,
    SourceAttribution,
)

_ITEMS = [(re.compile(p), item) for p, item in (
    (r"쌀", "rice"), (r"옥수수|강냉이", "corn"), (r"밀가루", "flour"), (r"콩", "beans"), (r"돼지고기", "pork"),
    (r"설탕", "sugar"), (r"기름|식용유", "cooking oil"), (r"휘발유", "petrol"), (r"디젤|경유", "diesel"),
    (r"배추", "cabbage"), (r"감자", "potatoes"), (r"휴대전화|손전화", "mobile phone"))]
_RATE = re.compile(r"환율|달러당|위안당|1\s*달러에|1\s*위안에|달러\s*당")
_BRIBE = re.compile(r"뇌물|고이")
_FINE = re.compile(r"벌금")
_WAGE = re.compile(r"월급|임금|노임")


def find_places_ko(text: str, kb: KnowledgeBase) -> list[PlaceMention]:
    return resolve_place_hits(place_matcher(kb).find(text), kb)


def find_institutions_ko(text: str, kb: KnowledgeBase, *, published: str | None) -> list[InstitutionMention]:
    out = []
    for hit in institution_matcher(kb).find(text):
        chosen = hit.values[0] if len(hit.values) == 1 else None
        inst = kb.institutions.get(chosen)
        out.append(InstitutionMention(id=chosen, text=hit.text, name_in_force=inst.name_at(published) if inst else None,
                                      candidates=list(hit.values) if chosen is None else [], start=hit.start, end=hit.end))
    return out


def _observations(doc: KoDoc, places: list[PlaceMention], sources: list[SourceAttribution]) -> list[Observation]:
    out = []
    kind: ObservationKind
    for sentence in doc.sentences:
        for amount in find_amounts_ko(sentence.text):
            start, end = sentence.start + amount.start, sentence.start + amount.end
            context = sentence.text[max(0, amount.start - 20) : amount.end + 10]
            item = next((name for pattern, name in _ITEMS if pattern.search(context)), None)
            kind, unit = "price" if item or re.search(r"가격|값|팔|사|거래|시세", context) else "other", None
            if re.search(r"(?:1\s*)?(?:kg|킬로|키로|kg당)", context):
                unit = "kg"
            if amount.currency in {"KPW", "KRW"} and _RATE.search(context):
                kind, item, unit = "exchange_rate", "US dollar" if "달러" in context else "Chinese yuan", None
                unit = "per USD" if item == "US dollar" else "per CNY"
            elif _BRIBE.search(context):
                kind = "bribe"
            elif _FINE.search(context):
                kind = "fine"
            elif _WAGE.search(context):
                kind = "wage"
            out.append(Observation(kind=kind, item=item, value=amount.value, value_max=amount.value_max,
                                   currency=amount.currency, unit=unit, place=_place_at(start, sentence, places, sources),
                                   evidence=Evidence(quote=doc.text[start:end], start=start, end=end)))
    return out


def _place_at(offset: int, sentence, places: list[PlaceMention], sources: list[SourceAttribution]) -> str | None:
    return observation_place(offset, sentence.start, sentence.end, places, sources)


class KoreanExtractor:
    def __init__(self, kb: KnowledgeBase, *, stage: LearnedStage | None = None) -> None:
        self.kb = kb
        self.stage = stage or LearnedStage()

    def extract(self, report: Report) -> Records:
        records, filter_input = self.candidates(report, keep_dropped=self.stage.keep_dropped)
        if self.stage.active:
            records.events = self.stage.apply(records, filter_input)
        return records

    def candidates(self, report: Report, *, keep_dropped: bool = False) -> tuple[Records, FilterInput]:
        """The rules' records (events before the learned stage) and what the learned stage sees."""
        doc = analyse(report.text)
        kb = self.kb
        places = find_places_ko(report.text, kb)
        institutions = find_institutions_ko(report.text, kb, published=report.published)
        sources = find_sources_ko(doc, places, outlet=report.outlet)
        ctx = KoContext(kb=kb, places=places, institutions=institutions, sources=sources, published=report.published)
        events, count_spans = find_events_ko(doc, ctx)
        observations = _observations(doc, places, sources)
        for start, end, value in count_spans:
            sentence = doc.sentence_at(start)
            observations.append(Observation(kind="count", value=value, place=_place_at(start, sentence, places, sources),
                                            evidence=Evidence(quote=report.text[start:end], start=start, end=end)))
        observations.sort(key=lambda o: (o.evidence.start, o.evidence.end))
        records = Records(report=report, events=events, observations=observations, sources=sources,
                          places=places, institutions=institutions)
        return records, filter_input_ko(doc)


def filter_input_ko(doc: KoDoc) -> FilterInput:
    tokens = tuple(Token(m.start, m.end, m.form, m.tag) for s in doc.sentences for m in s.morphemes
                   if not m.tag.startswith("S") or m.tag in {"SN", "SL"})
    return FilterInput(doc.text, tuple((s.start, s.end) for s in doc.sentences), tokens)
