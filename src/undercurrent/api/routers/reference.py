"""Places, provinces (with their boundaries) and institutions from the knowledge base, with event counts."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, HTTPException, Response

from undercurrent.api.deps import KbDep, StoreDep, Viewer
from undercurrent.api.filters import Filters
from undercurrent.store.search import EventFilter, count_events, stats

router = APIRouter(tags=["reference"])


def place_out(place) -> dict:
    return {"id": place.id, "name": place.name, "name_ko": place.name_ko, "admin1": place.admin1,
            "unit_type": place.unit_type, "precision": place.precision, "latitude": place.lat, "longitude": place.lon}


def institution_out(inst, kb) -> dict:
    return {"id": inst.id, "name": inst.canonical_name, "name_ko": inst.name_ko, "type": inst.type,
            "sector": kb.institutions.sector(inst.id), "parent": inst.parent, "name_in_force": inst.name_at(None)}


@lru_cache(maxsize=1)
def boundaries() -> bytes:
    """The file as shipped: every map load sends it, so it is read once and never re-encoded."""
    return resources.files("undercurrent.kb").joinpath("data", "kp_adm1.geojson").read_bytes()


@router.get("/places")
def list_places(user: Viewer, kb: KbDep, province: str | None = None, q: str | None = None) -> dict:
    places = sorted(kb.gazetteer.places.values(), key=lambda p: (p.admin1, p.admin_level, p.name))
    if province:
        places = [p for p in places if p.admin1 == province]
    if q:
        needle = q.lower()
        places = [p for p in places if needle in p.name.lower() or q in (p.name_ko or "")]
    return {"total": len(places), "places": [place_out(p) for p in places]}


@router.get("/places/{place_id}")
def get_place(place_id: str, user: Viewer, kb: KbDep, store: StoreDep) -> dict:
    place = kb.gazetteer.get(place_id)
    if place is None:
        raise HTTPException(status_code=404, detail=f"no place {place_id}")
    f = EventFilter(province=place_id) if place.is_province else EventFilter(place=place_id)
    return {**place_out(place), "events": count_events(store, f)}


@router.get("/provinces", summary="Provinces with event counts under the filters (the map's choropleth)")
def list_provinces(user: Viewer, kb: KbDep, store: StoreDep, filters: Filters) -> dict:
    counts = dict(stats(store, filters, by=("province",))["province"])
    provinces = [p for p in kb.gazetteer.places.values() if p.is_province]
    return {"provinces": [{**place_out(p), "events": counts.get(p.id, 0)} for p in sorted(provinces, key=lambda p: p.id)]}


@router.get("/boundaries", summary="Province boundaries (GeoJSON, Natural Earth; see the package NOTICE)")
def get_boundaries(user: Viewer) -> Response:
    return Response(boundaries(), media_type="application/geo+json")


@router.get("/institutions")
def list_institutions(user: Viewer, kb: KbDep) -> dict:
    items = sorted(kb.institutions.by_id.values(), key=lambda i: i.canonical_name)
    return {"total": len(items), "institutions": [institution_out(i, kb) for i in items]}


@router.get("/institutions/{institution_id}")
def get_institution(institution_id: str, user: Viewer, kb: KbDep, store: StoreDep) -> dict:
    inst = kb.institutions.get(institution_id)
    if inst is None:
        raise HTTPException(status_code=404, detail=f"no institution {institution_id}")
    renames = [{"from": r.from_name, "to": r.to_name, "date": r.date} for r in inst.renames]
    return {**institution_out(inst, kb), "renames": renames,
            "events": count_events(store, EventFilter(institution=institution_id))}
