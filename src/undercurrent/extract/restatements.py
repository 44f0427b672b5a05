"""Restatements: the lead, a source's quote and a later summary of one act are one event.

Shared by the English and Korean stages; works on Event records only."""
from __future__ import annotations

import re

from undercurrent.models import Entity, Event

# Arguments that make two events of one type and status one event restated. Measured on the dev
# gold: a shared actor alone is weak (one ministry makes many arrests) and joined distinct events.
RESTATEMENT_KEYS = {"recipient", "count", "place", "date"}


def size_value(event: Event) -> int | None:
    if event.size is None:
        return None
    return event.size.arrested or event.size.dead or event.size.injured


def restated(event: Event, events: list[Event]) -> Event | None:
    """An earlier event this one restates: the lead, the source's quote and a later summary of one act.

    Same type and status (an order and its execution stay two events), modes that agree, and one
    shared argument of RESTATEMENT_KEYS (recipient, number of people, stated place, resolved date)."""
    for earlier in events:
        if (earlier.type, earlier.status) != (event.type, event.status):
            continue
        if earlier.mode and event.mode and earlier.mode != event.mode:
            continue
        if size_value(earlier) and size_value(event) and size_value(earlier) != size_value(event):
            continue  # seven arrested and three arrested are two acts
        if shared_arguments(earlier, event) & RESTATEMENT_KEYS:
            return earlier
    return None


def shared_arguments(a: Event, b: Event) -> set[str]:
    shared = set()
    if {x.institution for x in a.actors if x.institution} & {x.institution for x in b.actors if x.institution}:
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
