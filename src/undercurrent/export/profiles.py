"""Export profiles: how much of a source an export may show.

- public: no source descriptors; an event placed by where its source is (basis "source") is placed
  only at the source's province; quotes that name a source are removed (a quote overlapping a source
  attribution in the report, or containing its descriptor).
- internal: the default; source kinds but no descriptors, places as stored.
- full: source descriptors, kinds and places; admin only, and written to the audit log.
"""
from __future__ import annotations

from typing import cast

from undercurrent.errors import BadProfile
from undercurrent.kb import load_kb
from undercurrent.vocabulary import EXPORT_PROFILES as PROFILES
from undercurrent.vocabulary import ExportProfile

Profile = ExportProfile  # the name export/formats.py knows
WITHHELD = "[withheld: the quote names a source]"


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise BadProfile(f"unknown export profile {profile!r}: use one of {', '.join(PROFILES)}")
    return cast(Profile, profile)


def _names_source(start: int, end: int, quote: str, sources: list[dict]) -> bool:
    folded = quote.casefold()
    for source in sources:
        if start < source["end"] and source["start"] < end:
            return True
        if source["descriptor"] and source["descriptor"].casefold() in folded:
            return True
    return False


def _coarsen_place(row: dict) -> dict:
    """The event's place becomes its province (the source's whereabouts narrowed to a province)."""
    province = load_kb().gazetteer.get(row.get("admin1"))
    return {"place_id": province.id if province else None, "admin1": row.get("admin1"),
            "place_text": province.name if province else None,
            "latitude": province.lat if province else None, "longitude": province.lon if province else None,
            "precision": 2 if province else None}


def public_row(row: dict, sources: list[dict]) -> dict:
    """A copy of an event row fit for a public export (sources: the report's attributions with spans)."""
    out = dict(row)
    # A place written inside a source's descriptor ("a source in Hyesan") is where the source is, even
    # when the extractor took it as the event's stated place: public exports show only its province.
    place_text = (row.get("place_text") or "").casefold()
    in_descriptor = bool(place_text) and any(place_text in (s["descriptor"] or "").casefold() for s in sources)
    if row.get("basis") == "source" or in_descriptor:
        out |= _coarsen_place(row)
    evidence = [e for e in row.get("evidence") or []
                if not _names_source(e.get("start", 0), e.get("end", 0), e.get("quote", ""), sources)]
    if _names_source(row.get("start", 0), row.get("end", 0), row.get("quote") or "", sources):
        out["quote"] = WITHHELD
    out["evidence"] = evidence
    return out

