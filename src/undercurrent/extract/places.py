"""Places: the gazetteer matcher first, spaCy NER second (for places outside North Korea)."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from undercurrent.kb import KnowledgeBase
from undercurrent.kb.gazetteer import canonical_place
from undercurrent.models import PlaceMention

_SOUTH_CONTEXT = re.compile(r"\bSouth Korea|\bSouth Korean\b|\bROK\b|\bSeoul\b")
_NORTH_CONTEXT = re.compile(r"\bNorth Korea|\bDPRK\b|\bthe North\b")
# Names that are shared by a North and a South Korean province.
_SHARED_WITH_SOUTH = {"KP-07"}
_NOT_FOREIGN = {"north korea", "dprk", "the north", "korea", "n. korea", "pyongyang"}


def find_places(text: str, kb: KnowledgeBase) -> list[PlaceMention]:
    """Every North Korean place the text names, with ambiguous names resolved or left open."""
    gazetteer = kb.gazetteer
    hits = gazetteer.matcher.find(text)
    named_provinces = {gazetteer.admin1(v) for h in hits if len(_distinct(h.values)) == 1 for v in h.values}
    mentions = []
    for hit in hits:
        candidates = _distinct(hit.values)
        chosen: str | None = candidates[0] if len(candidates) == 1 else None
        if chosen is None:
            # Resolve by a province the report names; otherwise leave unresolved.
            in_named = [c for c in candidates if gazetteer.admin1(c) in named_provinces]
            chosen = in_named[0] if len(in_named) == 1 else None
        if chosen in _SHARED_WITH_SOUTH and _south_context(text, hit.start):
            chosen = None
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
