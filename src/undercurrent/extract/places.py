"""Placing, shared by the language pipelines: resolving name hits to places, and where an event or a
figure happened given the places and sources a report names."""
from __future__ import annotations

from undercurrent.kb import KnowledgeBase
from undercurrent.kb.gazetteer import canonical_place
from undercurrent.models import EventPlace, PlaceMention


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
