"""Filter values that cannot match anything are refused with a message, instead of returning 0 rows
(a misspelt type or province looked like "no such events"). Open vocabularies (topics, contexts, outlets)
are not checked: a new lexicon entry must not need a code change here."""
from __future__ import annotations

from undercurrent.validate import is_utf8, period_problem
from undercurrent.vocabulary import EVENT_TYPES, LANGUAGES, PLOVER_MODES, SOURCE_KINDS, STATUSES


def _one_of(name: str, value: str, allowed) -> str | None:
    if value not in allowed:
        shown = ", ".join(list(allowed)[:20])
        return f"{name} {value!r} is not valid: use one of {shown}"
    return None


def filter_problem(values: dict) -> str | None:
    """The first problem with a filter's values (EventFilter fields), or None. The query text is checked by
    `store.query.parse_query` (BadQuery, E040)."""
    for name, value in values.items():
        if isinstance(value, str) and not is_utf8(value):
            return f"{name} is not valid text (a lone surrogate)"
    for name in ("since", "until"):
        if values.get(name) is not None:
            problem = period_problem(values[name])
            if problem:
                return f"{name} {problem}"
    checks = {"type": EVENT_TYPES, "status": STATUSES, "source_kind": SOURCE_KINDS, "language": LANGUAGES,
              "mode": sorted({m for modes in PLOVER_MODES.values() for m in modes})}
    for name, allowed in checks.items():
        if values.get(name) is not None:
            problem = _one_of(name, values[name], allowed)
            if problem:
                return problem
    if any(values.get(n) is not None for n in ("province", "place", "institution")):
        from undercurrent.kb import load_kb

        kb = load_kb()
        province = values.get("province")
        if province is not None and not ((place := kb.gazetteer.get(province)) and place.is_province):
            return f"province {province!r} is not valid: use a province id such as KP-09"
        if values.get("place") is not None and kb.gazetteer.get(values["place"]) is None:
            return f"place {values['place']!r} is not valid: use a gazetteer place id such as kp-09-chongjin"
        if values.get("institution") is not None and kb.institutions.get(values["institution"]) is None:
            return f"institution {values['institution']!r} is not valid: use an institution id such as ministry_of_state_security"
    return None
