"""English place names: the gazetteer matcher, near-miss spellings placed by a province named beside
them, and spaCy's places outside North Korea."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from spacy.tokens import Doc

from undercurrent.extract.places import resolve_place_hits
from undercurrent.kb import KnowledgeBase
from undercurrent.kb.matcher import NameHit
from undercurrent.kb.text import fold_word
from undercurrent.models import PlaceMention

_SOUTH_CONTEXT = re.compile(r"\bSouth Korea|\bSouth Korean\b|\bROK\b|\bSeoul\b")
_NORTH_CONTEXT = re.compile(r"\bNorth Korea|\bDPRK\b|\bthe North\b")
# Names that are shared by a North and a South Korean province.
_SHARED_WITH_SOUTH = {"KP-07"}
_NOT_FOREIGN = {"north korea", "dprk", "the north", "korea", "n. korea", "pyongyang"}


# "Kangye (Changang Province)", "Horyong, North Hamgyong Province": a name the gazetteer lacks,
# placed by the text in a province it knows.
_NAME_BEFORE_PROVINCE = re.compile(r"\b([A-Z][a-z]+(?:-[a-z]+)?)\s*(?:\(|,\s*)(?=[A-Z][\w' -]{2,30}?\bProvince\b)")


def find_places(text: str, kb: KnowledgeBase, *, words=None) -> list[PlaceMention]:
    """Every North Korean place the text names, with ambiguous names resolved or left open."""
    gazetteer = kb.gazetteer
    hits = gazetteer.matcher.find(text, words)
    hits = sorted(hits + _misspelled_before_province(text, hits, kb), key=lambda h: h.start)
    mentions = resolve_place_hits(hits, kb)
    for i, mention in enumerate(mentions):
        if mention.id in _SHARED_WITH_SOUTH and _south_context(text, mention.start):
            # "Kangwon" in a sentence about South Korea: not guessed to be the North's province
            mentions[i] = mention.model_copy(update={"id": None, "admin1": None, "candidates": [mention.id]})
    return mentions


def _south_context(text: str, offset: int) -> bool:
    """True when the sentence around offset speaks of South Korea and not of the North."""
    start = max(text.rfind(".", 0, offset), text.rfind("\n", 0, offset)) + 1
    end_candidates = [i for i in (text.find(".", offset), text.find("\n", offset)) if i != -1]
    sentence = text[start : min(end_candidates) if end_candidates else len(text)]
    return bool(_SOUTH_CONTEXT.search(sentence)) and not _NORTH_CONTEXT.search(sentence)


def foreign_place_spans(doc: Doc, mentions: list[PlaceMention]) -> list[tuple[int, int, str]]:
    """GPE/LOC entities that the gazetteer did not claim: places outside North Korea."""
    claimed = [(m.start, m.end) for m in mentions]
    spans = []
    for ent in doc.ents:
        if ent.label_ not in {"GPE", "LOC"}:
            continue
        if ent.text.lower().removeprefix("the ") in _NOT_FOREIGN or "north" in ent.text.lower():
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in claimed):
            continue
        spans.append((ent.start_char, ent.end_char, ent.text))
    return spans


def _misspelled_before_province(text: str, hits, kb: KnowledgeBase):
    """Near-miss spellings of places, accepted only inside the province the text names next to them."""
    gazetteer = kb.gazetteer
    covered = [(h.start, h.end) for h in hits]
    found = []
    for m in _NAME_BEFORE_PROVINCE.finditer(text):
        start, end = m.span(1)
        if any(s <= start < e for s, e in covered):
            continue
        province_hits = [h for h in hits if h.start >= end and h.start - end <= 3]
        if not province_hits:
            continue
        province = province_hits[0].values[0]
        province_place = gazetteer.get(province)
        if not province_place or not province_place.is_province:
            continue
        word = fold_word(m.group(1))
        scored = [
            (SequenceMatcher(None, word, fold_word(place.name)).ratio(), place.id)
            for place in gazetteer.places.values()
            if place.admin1 == province and not place.is_province
        ]
        scored.sort(reverse=True)
        if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            found.append(NameHit(start, end, m.group(1), (scored[0][1],), (word,)))
    return found
