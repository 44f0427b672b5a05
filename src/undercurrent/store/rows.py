"""Records <-> table rows. Stable ids let reviews survive re-extraction."""
from __future__ import annotations

import hashlib

from undercurrent.kb import KnowledgeBase
from undercurrent.models import Event, Observation, Records, SourceAttribution


def stable_id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def bar_list(values: list[str]) -> str:
    """["a", "b"] -> "|a|b|": a list that LIKE '%|a|%' can filter on any database."""
    return "|" + "".join(f"{v}|" for v in values if v)


def event_row(report_id: str, published: str | None, event: Event, kb: KnowledgeBase) -> dict:
    first = event.evidence[0]
    place = kb.gazetteer.get(event.place.id)
    return {
        "id": stable_id(report_id, "event", event.type, event.mode, first.start, first.end),
        "report_id": report_id,
        "type": event.type,
        "mode": event.mode,
        "status": event.status,
        "contexts": bar_list(event.contexts),
        "topics": bar_list(event.topics),
        "actor_institutions": bar_list([a.institution for a in event.actors if a.institution]),
        "actors": [a.model_dump() for a in event.actors],
        "recipients": [r.model_dump() for r in event.recipients],
        "place_id": event.place.id,
        "place_text": event.place.text,
        "admin1": event.place.admin1,
        "precision": event.place.precision,
        "basis": event.place.basis,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "date_granularity": event.date.granularity,
        "date_kind": event.date.kind,
        "date_text": event.date.text,
        "sort_date": event.date.start or published,
        "arrested": event.size.arrested if event.size else None,
        "dead": event.size.dead if event.size else None,
        "injured": event.size.injured if event.size else None,
        "quote": first.quote,
        "start": first.start,
        "end": first.end,
        "evidence": [e.model_dump() for e in event.evidence],
        "confidence": event.confidence,
    }


def observation_row(report_id: str, published: str | None, obs: Observation, kb: KnowledgeBase) -> dict:
    ev = obs.evidence
    return {
        "id": stable_id(report_id, "observation", obs.value, obs.currency, ev.start, ev.end),
        "report_id": report_id,
        "kind": obs.kind,
        "item": obs.item,
        "value": obs.value,
        "value_max": obs.value_max,
        "currency": obs.currency,
        "unit": obs.unit,
        "place_id": obs.place,
        "admin1": kb.gazetteer.admin1(obs.place),
        "date_start": obs.date.start,
        "sort_date": obs.date.start or published,
        "quote": ev.quote,
        "start": ev.start,
        "end": ev.end,
    }


def source_row(report_id: str, source: SourceAttribution) -> dict:
    ev = source.evidence
    return {
        "id": stable_id(report_id, "source", ev.start, ev.end),
        "report_id": report_id,
        "descriptor": source.descriptor,
        "kind": source.kind,
        "place_id": source.place,
        "start": ev.start,
        "end": ev.end,
    }


def record_rows(records: Records, kb: KnowledgeBase) -> dict[str, list[dict]]:
    report = records.report
    rid, published = report.id, report.published
    return {
        "events": _unique(event_row(rid, published, e, kb) for e in records.events),
        "observations": _unique(observation_row(rid, published, o, kb) for o in records.observations),
        "sources": _unique(source_row(rid, s) for s in records.sources),
        "place_mentions": [
            {"report_id": rid, "start": p.start, "end": p.end, "place_id": p.id, "admin1": p.admin1,
             "text": p.text, "candidates": bar_list(p.candidates) if p.candidates else None}
            for p in records.places
        ],
        "institution_mentions": [
            {"report_id": rid, "start": i.start, "end": i.end, "institution_id": i.id,
             "name_in_force": i.name_in_force, "text": i.text,
             "candidates": bar_list(i.candidates) if i.candidates else None}
            for i in records.institutions
        ],
    }


def _unique(rows) -> list[dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        seen.setdefault(row["id"], row)
    return list(seen.values())
