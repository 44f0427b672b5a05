"""What a reviewer may change in a record, checked against the types, modes, places and institutions we know."""
from __future__ import annotations

import re
from typing import Any

from undercurrent.errors import UndercurrentError
from undercurrent.kb import KnowledgeBase
from undercurrent.models import EVENT_TYPES, OBSERVATION_KINDS, PLOVER_MODES, SOURCE_KINDS, STATUSES
from undercurrent.store.rows import bar_list

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_GRANULARITY = {4: "year", 7: "month", 10: "day"}
EDITABLE = {
    "events": ("type", "mode", "status", "place_id", "institutions", "date_start", "arrested", "dead"),
    "observations": ("kind", "item", "value", "currency", "unit", "place_id"),
    "sources": ("kind", "place_id"),
}


class BadEdit(UndercurrentError):
    code = "E023"


def _blank(value: Any) -> Any:
    return None if value in ("", None) else value


def _place_values(place_id: str | None, kb: KnowledgeBase, *, event: bool) -> dict:
    if place_id is None:
        values = {"place_id": None, "admin1": None}
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
    except (TypeError, ValueError):
        raise BadEdit(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise BadEdit(f"{name} must not be negative")
    return number


def _choice(changes: dict, name: str, allowed: tuple[str, ...], label: str) -> dict:
    """{name: value} when `changes` sets `name` to one of `allowed`; nothing when it does not set it."""
    if name not in changes:
        return {}
    if changes[name] not in allowed:
        raise BadEdit(f"unknown {label} {changes[name]!r}: use one of {', '.join(allowed)}")
    return {name: changes[name]}


def _event_values(current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    values: dict[str, Any] = {}
    etype = changes.get("type", current["type"])
    if etype not in EVENT_TYPES:
        raise BadEdit(f"unknown event type {etype!r}")
    mode = _blank(changes.get("mode", current["mode"]))
    if mode is not None and mode not in PLOVER_MODES.get(etype, ()):
        allowed = ", ".join(PLOVER_MODES.get(etype, ())) or "none"
        raise BadEdit(f"mode {mode!r} is not a mode of {etype} (choose: {allowed}, or no mode)")
    values |= {"type": etype, "mode": mode} | _choice(changes, "status", STATUSES, "status")
    if "place_id" in changes:
        values |= _place_values(_blank(changes["place_id"]), kb, event=True)
    if "institutions" in changes:
        ids = [i for i in (changes["institutions"] or []) if i]
        unknown = [i for i in ids if kb.institutions.get(i) is None]
        if unknown:
            raise BadEdit(f"unknown institution {unknown[0]!r}")
        kept = {a.get("institution"): a for a in current["actors"] or []}
        values["actor_institutions"] = bar_list(ids)
        # Actors named without an institution ("officials") stay; institutional actors follow the choice.
        values["actors"] = [a for a in current["actors"] or [] if not a.get("institution")] + [
            kept.get(i) or {"text": kb.institutions.get(i).canonical_name, "institution": i,
                            "sector": kb.institutions.sector(i)} for i in ids]
    if "date_start" in changes:
        date = _blank(changes["date_start"])
        if date is not None and not _DATE.match(date):
            raise BadEdit(f"date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
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
        try:
            values["value"] = float(changes["value"])
        except (TypeError, ValueError):
            raise BadEdit(f"value must be a number, not {changes['value']!r}") from None
    if "currency" in changes:
        currency = _blank(changes["currency"])
        if currency is not None and currency not in kb.currencies.codes():
            raise BadEdit(f"unknown currency {currency!r}: use an ISO code such as KPW, CNY or USD")
        values["currency"] = currency
    for name in ("item", "unit"):
        if name in changes:
            values[name] = _blank(changes[name])
    if "place_id" in changes:
        values |= _place_values(_blank(changes["place_id"]), kb, event=False)
    return values


def _source_values(current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    values: dict[str, Any] = _choice(changes, "kind", SOURCE_KINDS, "source kind")
    if "place_id" in changes:
        values["place_id"] = _place_values(_blank(changes["place_id"]), kb, event=False)["place_id"]
    return values


def validated_changes(table_name: str, current: dict, changes: dict, kb: KnowledgeBase) -> dict:
    """Column values for a reviewer's changes, or BadEdit naming the first thing that is not allowed."""
    if table_name not in EDITABLE:
        raise BadEdit(f"unknown record table {table_name!r}")
    unknown = sorted(set(changes) - set(EDITABLE[table_name]))
    if unknown:
        raise BadEdit(f"cannot edit {', '.join(unknown)} of {table_name}: editable are {', '.join(EDITABLE[table_name])}")
    build = {"events": _event_values, "observations": _observation_values, "sources": _source_values}[table_name]
    return build(current, changes, kb)
