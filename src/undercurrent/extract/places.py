"""Places: the gazetteer matcher first, spaCy NER second (for places outside North Korea)."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from undercurrent.kb import KnowledgeBase
from undercurrent.kb.gazetteer import canonical_place
from undercurrent.models import EventPlace, PlaceMention

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


def resolve_place_hits(hits, kb: KnowledgeBase) -> list[PlaceMention]:
    """Mentions from name hits (any object with start, end, text, values): a name with several places
    is resolved by a province the report names elsewhere, or left unresolved with its candidates."""
    gazetteer = kb.gazetteer
    named_provinces = {gazetteer.admin1(v) for h in hits if len(_distinct(h.values)) == 1 for v in h.values}
    mentions = []
    for hit in hits:
        candidates = _distinct(hit.values)
        chosen: str | None = candidates[0] if len(candidates) == 1 else None
        if chosen is None:
            # Resolve by a province the report names; otherwise leave unresolved.
            in_named = [c for c in candidates if gazetteer.admin1(c) in named_provinces]
            chosen = in_named[0] if len(in_named) == 1 else None
        mentions.append(
            PlaceMention(
                id=chosen, text=hit.text, admin1=gazetteer.admin1(chosen),
                candidates=candidates if len(candidates) > 1 or chosen is None else [],
                start=hit.start, end=hit.end,
            )
        )
    return mentions


def _distinct(ids: tuple[str, ...]) -> list[str]:
    """Candidates with a first-level city and its province code counted once (the city id kept)."""
    ordered = sorted(ids, key=lambda pid: canonical_place(pid) == pid)  # city ids before province codes
    out: list[str] = []
    for place_id in ordered:
        if not any(canonical_place(place_id) == canonical_place(seen) for seen in out):
            out.append(place_id)
    return out


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
    from difflib import SequenceMatcher

    from undercurrent.kb.matcher import NameHit
    from undercurrent.kb.text import fold_word

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


def event_place(start: int, end: int, anchor: int, kb: KnowledgeBase, places: list[PlaceMention],
                sources: list, *, abroad: bool = False) -> EventPlace:
    """Where an event in the sentence [start, end) happened: a North Korean place the sentence names
    (the most precise, then the nearest to `anchor`), basis `stated`; else `abroad` when the sentence
    names a foreign place; else the place of the source speaking, basis `source`; else `country`."""

    gazetteer = kb.gazetteer
    source_spans = [(s.evidence.start, s.evidence.end) for s in sources]
    named = [(p, known) for p in places if start <= p.start < end and (known := gazetteer.get(p.id))
             and not any(a <= p.start < b for a, b in source_spans)]
    if named:
        best, best_place = max(named, key=lambda pk: (pk[1].precision, -abs(pk[0].start - anchor)))
        return EventPlace(text=best.text, id=best.id, admin1=best_place.admin1, precision=best_place.precision,
                          basis="stated")
    if abroad:
        return EventPlace(basis="abroad", precision=None)
    located = [s for s in sources if s.place]
    before = [s for s in located if s.evidence.start <= end]
    chosen = (before[-1] if before else located[0]) if located else None
    if chosen:
        place = gazetteer.get(chosen.place)
        return EventPlace(text=chosen.descriptor, id=chosen.place, admin1=place.admin1 if place else None,
                          precision=place.precision if place else None, basis="source")
    return EventPlace(basis="country", precision=1)


def observation_place(offset: int, start: int, end: int, places: list[PlaceMention], sources: list) -> str | None:
    """The place of a figure at `offset` in the sentence [start, end): the sentence's place named last
    before it, else the place of the latest source before it."""
    named = [p for p in places if start <= p.start < end and p.id]
    if named:
        before = [p for p in named if p.start <= offset]
        return (before or named)[-1].id
    earlier = [s for s in sources if s.place and s.evidence.start <= offset]
    return earlier[-1].place if earlier else None
