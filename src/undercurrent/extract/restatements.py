"""Restatements: the lead, a source's quote and a later summary of one act are one event.

Shared by the English and Korean stages; works on Event records only."""
from __future__ import annotations

import re

from undercurrent.models import Entity, Event, EventPlace

# Arguments that make two events of one type and status one event restated. Measured on the dev
# gold: a shared actor alone is weak (one ministry makes many arrests) and joined distinct events.
RESTATEMENT_KEYS = {"recipient", "count", "place", "date"}


def size_value(event: Event) -> int | None:
    if event.size is None:
        return None
    return event.size.arrested or event.size.dead or event.size.injured


def restated(event: Event, events: list[Event]) -> Event | None:
    """An earlier event this one restates: the lead, the source's quote and a later summary of one act.

    Same type and status (an order and its execution stay two events) and modes that agree; then
    either one shared argument of RESTATEMENT_KEYS (recipient, number of people, stated place,
    resolved date), or a mention that adds nothing of its own (`vague`) and contradicts nothing the
    earlier event says (`conflicting`)."""
    for earlier in events:
        if (earlier.type, earlier.status) != (event.type, event.status):
            continue
        if earlier.mode and event.mode and earlier.mode != event.mode:
            continue
        if size_value(earlier) and size_value(event) and size_value(earlier) != size_value(event):
            continue  # seven arrested and three arrested are two acts
        if shared_arguments(earlier, event) & RESTATEMENT_KEYS:
            return earlier
        if vague(event) and not conflicting(earlier, event):
            return earlier
    return None


def vague(event: Event) -> bool:
    """A mention with no argument that could set it apart: no recipient, number, stated place or exact
    date ("the crackdown continued", "the trial was held"). A mention that names its own victims,
    count, place or day is a restatement only when it shares one of them (RESTATEMENT_KEYS): a
    summary and a specific instance stay two events."""
    return not (event.recipients or size_value(event) or event.place.basis == "stated"
                or event.date.kind in {"exact", "range"})


def conflicting(a: Event, b: Event) -> bool:
    """Something the two say that cannot both be true of one act: another mode, other named actors, places
    neither of which holds the other, or date windows that do not meet."""
    if a.mode != b.mode:
        return True  # "a crackdown" (no mode) and "arrests" are a summary and an instance
    actors_a, actors_b = actor_institutions(a), actor_institutions(b)
    if actors_a and actors_b and not actors_a & actors_b:
        return True
    if a.place.id and b.place.id and not (_holds(a.place, b.place) or _holds(b.place, a.place)):
        return True
    if a.date.start and b.date.start:
        end_a, end_b = a.date.end or a.date.start, b.date.end or b.date.start
        if a.date.start > end_b or b.date.start > end_a:
            return True
    return False


def actor_institutions(event: Event) -> set[str]:
    return {x.institution for x in event.actors if x.institution}


def _holds(outer: EventPlace, inner: EventPlace) -> bool:
    """The same place, or a province holding a place inside it."""
    return outer.id == inner.id or (outer.precision == 2 and outer.id == inner.admin1)


def shared_arguments(a: Event, b: Event) -> set[str]:
    shared = set()
    if actor_institutions(a) & actor_institutions(b):
        shared.add("actor")
    if {entity_key(x) for x in a.recipients} & {entity_key(x) for x in b.recipients}:
        shared.add("recipient")
    if size_value(a) is not None and size_value(a) == size_value(b):
        shared.add("count")
    if a.place.basis == b.place.basis == "stated" and a.place.id and a.place.id == b.place.id:
        shared.add("place")
    if a.date.kind in {"exact", "range"} and (a.date.start, a.date.end) == (b.date.start, b.date.end):
        shared.add("date")
    return shared


def entity_key(entity: Entity) -> str:
    """An institution, else the head noun in the singular: "five smugglers" and "the smuggler" agree."""
    if entity.institution:
        return entity.institution
    words = re.findall(r"[a-z]+", entity.text.lower().split(" of ")[0])  # "use of phones": the head is "use"
    head = words[-1] if words else entity.text.lower()
    return head[:-1] if head.endswith("s") and not head.endswith("ss") else head
