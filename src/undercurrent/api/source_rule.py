"""Who sees source descriptors: one rule for every route, page and JSON twin (docs/decisions.md).

Reviewers and admins see a source attribution in full (they check and correct it). Viewers see that a
report has a source, its kind and its province, never its descriptor, its exact place or its span in the
text. Reads of many descriptors at once (the /api/sources list, full exports) are admin only and audited."""
from __future__ import annotations

from undercurrent.auth.users import User
from undercurrent.kb import load_kb

DESCRIPTOR_ROLE = "reviewer"
BULK_ROLE = "admin"
VIEWER_FIELDS = ("id", "report_id", "kind", "review_status", "reviewed_by", "reviewed_at")


def sees_descriptors(user: User) -> bool:
    return user.can(DESCRIPTOR_ROLE)


def source_for(user: User, source: dict) -> dict:
    """A source attribution as `user` may see it: whole, or its kind and province only."""
    if sees_descriptors(user):
        return source
    place = load_kb().gazetteer.get(source.get("place_id"))
    out = {k: source[k] for k in VIEWER_FIELDS if k in source}
    out["place_id"] = place.admin1 if place else None  # the province: a city could point at the person
    out["withheld"] = True
    return out


def report_for(user: User, report: dict) -> dict:
    """A report with its records, its sources as `user` may see them."""
    return {**report, "sources": [source_for(user, s) for s in report["sources"]]}
