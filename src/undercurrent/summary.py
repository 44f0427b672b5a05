"""A short human-readable view of one report's records (for the terminal and the README)."""
from __future__ import annotations

from undercurrent.models import Records


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summarise(records: Records) -> str:
    lines = [f"report {records.report.id}  published={records.report.published}  outlet={records.report.outlet}"]
    lines.append(f"events ({len(records.events)}):")
    for e in records.events:
        actors = ",".join(a.institution or a.text for a in e.actors) or "-"
        place = f"{e.place.id or '-'}/{e.place.basis}"
        when = e.date.start or e.date.kind
        lines.append(f"  {e.type}/{e.mode or '-'} [{e.status}] actor={actors} place={place} date={when}")
        lines.append(f"      \"{_short(e.evidence[0].quote)}\" @{e.evidence[0].start}")
    lines.append(f"observations ({len(records.observations)}):")
    for o in records.observations:
        upper = f"-{o.value_max:g}" if o.value_max is not None else ""
        lines.append(f"  {o.kind} {o.item or '-'}: {o.value:g}{upper} {o.currency or ''} {o.unit or ''} "
                     f"place={o.place or '-'}  \"{_short(o.evidence.quote, 40)}\"")
    lines.append(f"sources ({len(records.sources)}):")
    for s in records.sources:
        lines.append(f"  {s.kind} place={s.place or '-'}  \"{_short(s.descriptor, 60)}\"")
    places = sorted({p.id for p in records.places if p.id})
    unresolved = sorted({p.text for p in records.places if not p.id})
    lines.append(f"places: {', '.join(places) or '-'}" + (f"  (unresolved: {', '.join(unresolved)})" if unresolved else ""))
    institutions = sorted({f"{i.id} ({i.name_in_force})" for i in records.institutions if i.id})
    lines.append(f"institutions: {', '.join(institutions) or '-'}")
    return "\n".join(lines)
