"""What a reviewer may change in a record, checked against the types, modes, places and institutions we know."""
from __future__ import annotations

from typing import Any

from undercurrent.errors import BadEdit
from undercurrent.kb import KnowledgeBase
from undercurrent.models import EVENT_TYPES, OBSERVATION_KINDS, PLOVER_MODES, SOURCE_KINDS, STATUSES
from undercurrent.store.rows import bar_list
from undercurrent.validate import finite_number, is_utf8, period_problem

# Counts of people: more than the country's population is a typo (and 10^23 overflowed the column).
MAX_COUNT = 30_000_000
# Prices, rates, fines: a value past this is a typo, and it must fit a double and every chart axis.
MAX_VALUE = 1e13
MAX_TEXT = {"item": 200, "unit": 24}
_GRANULARITY = {4: "year", 7: "month", 10: "day"}
EDITABLE = {
    "events": ("type", "mode", "status", "place_id", "institutions", "date_start", "arrested", "dead"),
    "observations": ("kind", "item", "value", "currency", "unit", "place_id"),
    "sources": ("kind", "place_id"),
}


def _blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and value == "") else value


def _text(name: str, value: Any) -> str | None:
    """A text field of an edit: a string (or nothing), never a list, object or number."""
    value = _blank(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadEdit(f"{name} must be text, not {type(value).__name__}")
    if not is_utf8(value):
        raise BadEdit(f"{name} is not valid text (a lone surrogate)")
    if len(value) > MAX_TEXT.get(name, 200):
        raise BadEdit(f"{name} is longer than {MAX_TEXT.get(name, 200)} characters")
    return value


def _place_values(place_id: str | None, kb: KnowledgeBase, *, event: bool) -> dict:
    if place_id is None:
        values: dict[str, Any] = {"place_id": None, "admin1": None}
        return {**values, "latitude": None, "longitude": None, "precision": None} if event else values
    place = kb.gazetteer.get(place_id)
    if place is None:
        raise BadEdit(f"unknown place {place_id!r}: choose a gazetteer place id such as kp-09-chongjin")
    values = {"place_id": place.id, "admin1": place.admin1}
    if event:
        values |= {"latitude": place.lat, "longitude": place.lon, "precision": place.precision, "basis": "stated",
                   "place_text": place.name}
    return values


def _count(name: str, value: Any) -> int | None:
    value = _blank(value)
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise BadEdit(f"{name} must be a whole number, not {value!r}") from None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise BadEdit(f"{name} must be a whole number, not {value!r}")
    if number < 0:
        raise BadEdit(f"{name} must not be negative")
    if number > MAX_COUNT:
        raise BadEdit(f"{name} {number} is more than {MAX_COUNT:,} people: check the number")
    return number


def _choice(changes: dict, name: str, allowed: tuple[str, ...], label: str) -> dict:
    """{name: value} when `changes` sets `name` to one of `allowed`; nothing when it does not set it."""
    if name not in changes:
        return {}
    if not isinstance(changes[name], str) or changes[name] not in allowed:
        raise BadEdit(f"unknown {label} {changes[name]!r}: use one of {', '.join(allowed)}")
    return {name: changes[name]}


def _event_values(current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    values: dict[str, Any] = {}
    etype = changes.get("type", current["type"])
    if not isinstance(etype, str) or etype not in EVENT_TYPES:
        raise BadEdit(f"unknown event type {etype!r}")
    mode = _text("mode", changes["mode"]) if "mode" in changes else current["mode"]
    if mode is not None and mode not in PLOVER_MODES.get(etype, ()):
        allowed = ", ".join(PLOVER_MODES.get(etype, ())) or "none"
        raise BadEdit(f"mode {mode!r} is not a mode of {etype} (choose: {allowed}, or no mode)")
    values |= {"type": etype, "mode": mode} | _choice(changes, "status", STATUSES, "status")
    if "place_id" in changes:
        values |= _place_values(_text("place_id", changes["place_id"]), kb, event=True)
    if "institutions" in changes:
        chosen = changes["institutions"] or []
        if not isinstance(chosen, list) or not all(isinstance(i, str) for i in chosen):
            raise BadEdit("institutions must be a list of institution ids (text)")
        ids = [i for i in chosen if i]
        unknown = [i for i in ids if kb.institutions.get(i) is None]
        if unknown:
            raise BadEdit(f"unknown institution {unknown[0]!r}")
        kept = {a.get("institution"): a for a in current["actors"] or []}
        values["actor_institutions"] = bar_list(ids)
        # Actors named without an institution ("officials") stay; institutional actors follow the choice.
        values["actors"] = [a for a in current["actors"] or [] if not a.get("institution")] + [
            kept.get(i) or {"text": kb.institutions.by_id[i].canonical_name, "institution": i,
                            "sector": kb.institutions.sector(i)} for i in ids]
    if "date_start" in changes:
        date = _blank(changes["date_start"])
        problem = period_problem(date) if date is not None else None
        if problem:
            raise BadEdit(f"date {problem}")
        values |= {"date_start": date, "date_granularity": _GRANULARITY[len(date)] if date else "unknown",
                   "date_kind": "exact" if date else "unresolved"}
        if date:
            values["sort_date"] = date
    for name in ("arrested", "dead"):
        if name in changes:
            values[name] = _count(name, changes[name])
    return values


def _observation_values(current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    values: dict[str, Any] = _choice(changes, "kind", OBSERVATION_KINDS, "observation kind")
    if "value" in changes:
        number = finite_number(changes["value"])
        if number is None:
            raise BadEdit(f"value must be a number, not {changes['value']!r}")
        if not 0 <= number <= MAX_VALUE:
            raise BadEdit(f"value {number:g} is out of range: use a number from 0 to {MAX_VALUE:g}")
        values["value"] = number
    if "currency" in changes:
        currency = _text("currency", changes["currency"])
        if currency is not None and currency not in kb.currencies.codes():
            raise BadEdit(f"unknown currency {currency!r}: use an ISO code such as KPW, CNY or USD")
        values["currency"] = currency
    for name in ("item", "unit"):
        if name in changes:
            values[name] = _text(name, changes[name])
    if "place_id" in changes:
        values |= _place_values(_text("place_id", changes["place_id"]), kb, event=False)
    return values


def _source_values(current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    values: dict[str, Any] = _choice(changes, "kind", SOURCE_KINDS, "source kind")
    if "place_id" in changes:
        values["place_id"] = _place_values(_text("place_id", changes["place_id"]), kb, event=False)["place_id"]
    return values


def validated_changes(table_name: str, current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    """Column values for a reviewer's changes, or BadEdit naming the first thing that is not allowed."""
    if table_name not in EDITABLE:
        raise BadEdit(f"unknown record table {table_name!r}")
    if not isinstance(changes, dict) or not all(isinstance(k, str) for k in changes):
        raise BadEdit("changes must be an object of field names and values")
    unknown = sorted(set(changes) - set(EDITABLE[table_name]))
    if unknown:
        raise BadEdit(f"cannot edit {', '.join(unknown)} of {table_name}: editable are {', '.join(EDITABLE[table_name])}")
    build = {"events": _event_values, "observations": _observation_values, "sources": _source_values}[table_name]
    return build(current, changes, kb)
