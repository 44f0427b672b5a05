"""The values a form may offer: only valid types, modes, statuses, places and institutions."""
from __future__ import annotations

from functools import lru_cache

from undercurrent.kb import load_kb
from undercurrent.store.search import SORT_KEYS
from undercurrent.vocabulary import EVENT_TYPES, OBSERVATION_KINDS, PLOVER_MODES, REVIEW_STATES, SOURCE_KINDS, STATUSES


@lru_cache(maxsize=1)
def choices() -> dict:
    kb = load_kb()
    provinces = sorted((p for p in kb.gazetteer.places.values() if p.is_province), key=lambda p: p.id)
    places = []
    for province in provinces:
        inside = sorted((p for p in kb.gazetteer.places.values() if p.admin1 == province.id and not p.is_province),
                        key=lambda p: p.name)
        places.append({"province": {"id": province.id, "name": province.name},
                       "places": [{"id": p.id, "name": p.name, "name_ko": p.name_ko} for p in inside]})
    institutions = sorted(kb.institutions.by_id.values(), key=lambda i: i.canonical_name)
    return {
        "types": list(EVENT_TYPES),
        "modes": {t: list(PLOVER_MODES.get(t, ())) for t in EVENT_TYPES},
        "statuses": list(STATUSES),
        "provinces": [{"id": p.id, "name": p.name} for p in provinces],
        "places": places,
        "institutions": [{"id": i.id, "name": i.canonical_name} for i in institutions],
        "source_kinds": list(SOURCE_KINDS),
        "observation_kinds": list(OBSERVATION_KINDS),
        "currencies": kb.currencies.codes(),
        "review_states": list(REVIEW_STATES),
        "sort_keys": list(SORT_KEYS),
    }


def place_name(place_id: str | None) -> str | None:
    place = load_kb().gazetteer.get(place_id)
    return place.name if place else place_id


def institution_name(inst_id: str | None) -> str | None:
    inst = load_kb().institutions.get(inst_id)
    return inst.canonical_name if inst else inst_id
