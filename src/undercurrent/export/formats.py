"""Writers for each export format over the same event rows (store.search), one module of mapping."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from undercurrent.export.csvsafe import dict_writer
from undercurrent.export.profiles import check_profile, public_row
from undercurrent.kb import load_kb
from undercurrent.store.db import Store
from undercurrent.store.exports import source_details
from undercurrent.store.records import audit
from undercurrent.store.search import EventFilter, search_events

ACLED_COLUMNS = [
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "status", "actor1",
    "assoc_actor_1", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "url", "report_id", "review_status",
    # corroboration: the real-world event this record tells, its reports and independent outlets
    "cluster_id", "cluster_reports", "cluster_outlets",
]
# ACLED time precision: 1 the day is known, 2 the week, 3 only the month or a wider period.
TIME_PRECISION = {"day": 1, "month": 3, "year": 3, "unknown": 3}
# ACLED geo precision from RECORDS.md precision: 5/4 a town or city, 3 a district, 2 a province.
GEO_PRECISION = {5: 1, 4: 1, 3: 2, 2: 3}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    format: str


def _bars(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


@dataclass
class _Rows:
    """The event rows of an export after its profile, and each report's sources as that profile shows them."""

    events: list[dict]
    kinds: dict[str, list[str]]
    shown: dict[str, list[dict]] | None  # None: the profile shows no list of sources


def _profiled(store: Store, rows: list[dict], profile: str) -> _Rows:
    details = source_details(store, {r["report_id"] for r in rows})
    kinds = {rid: sorted({s["kind"] for s in sources}) for rid, sources in details.items()}
    if profile == "public":
        events = [public_row(r, details.get(r["report_id"], [])) for r in rows]
        return _Rows(events, kinds, None)
    if profile == "full":
        shown = {rid: [{"descriptor": s["descriptor"], "kind": s["kind"], "place_id": s["place_id"]}
                       for s in sources] for rid, sources in details.items()}
        return _Rows(rows, kinds, shown)
    return _Rows(rows, kinds, None)


def _sources_cell(sources: list[dict]) -> str:
    return "; ".join(f"{s['descriptor']} ({s['kind']}{', ' + s['place_id'] if s['place_id'] else ''})"
                     for s in sources)


def _place_names(row: dict) -> tuple[str | None, str | None, str | None]:
    gazetteer = load_kb().gazetteer
    province = gazetteer.get(row["admin1"])
    place = gazetteer.get(row["place_id"])
    admin2 = place.name if place and not place.is_province else None
    return (province.name if province else None), admin2, (place.name if place else None)


def _actor_names(row: dict) -> list[str]:
    institutions = load_kb().institutions
    names = []
    for actor in row["actors"] or []:
        inst = institutions.get(actor.get("institution"))
        names.append(inst.canonical_name if inst else actor.get("text"))
    return names


def acled_row(row: dict, kinds: list[str]) -> dict:
    admin1, admin2, location = _place_names(row)
    actors = _actor_names(row)
    return {
        "event_id": row["id"], "event_date": row["date_start"] or row["sort_date"],
        "time_precision": TIME_PRECISION.get(row["date_granularity"], 3) if row["date_start"] else 3,
        "event_type": row["type"], "sub_event_type": row["mode"] or "", "status": row["status"],
        "actor1": actors[0] if actors else "", "assoc_actor_1": "; ".join(actors[1:]),
        "admin1": admin1 or "", "admin2": admin2 or "", "location": location or "",
        "latitude": row["latitude"], "longitude": row["longitude"],
        "geo_precision": GEO_PRECISION.get(row["precision"] or 0, "") if row["latitude"] is not None else "",
        "source": row["outlet"] or "", "source_scale": "; ".join(kinds), "notes": row["quote"],
        "url": row["url"] or "", "report_id": row["report_id"], "review_status": row["review_status"],
        **_cluster_fields(row),
    }


def _cluster_fields(row: dict) -> dict:
    return {"cluster_id": row.get("cluster_id"), "cluster_reports": row.get("cluster_reports"),
            "cluster_outlets": row.get("cluster_outlets")}


def plover_record(row: dict, sources: list[dict] | None) -> dict:
    """PLOVER data-exchange fields (event, mode, context, actor/recipient, location, magnitude) plus
    Undercurrent's status, topics and evidence."""
    admin1, admin2, location = _place_names(row)
    record = {
        "id": row["id"],
        "date": row["date_start"] or row["sort_date"],
        "date_resolution": row["date_granularity"],
        "date_kind": row["date_kind"],
        "event": row["type"],
        "mode": row["mode"],
        "context": _bars(row["contexts"]),
        "status": row["status"],
        "topics": _bars(row["topics"]),
        "actor": [a.get("text") for a in row["actors"] or []],
        "actor_sector": [a.get("sector") for a in row["actors"] or []],
        "actor_id": [a.get("institution") for a in row["actors"] or []],
        "recipient": [r.get("text") for r in row["recipients"] or []],
        "country": "PRK" if row["basis"] != "abroad" else None,
        "admin1": admin1, "admin1_id": row["admin1"], "admin2": admin2, "placename": location,
        "place_id": row["place_id"], "place_basis": row["basis"],
        "lat": row["latitude"], "lon": row["longitude"], "geo_precision": row["precision"],
        "size": row["arrested"], "dead": row["dead"], "injured": row["injured"],
        "text": row["quote"], "evidence": row["evidence"],
        "publisher": row["outlet"], "url": row["url"], "report_id": row["report_id"],
        "review_status": row["review_status"], "confidence": row["confidence"],
        **_cluster_fields(row),
    }
    if sources is not None:
        record["sources"] = sources
    return record


def _write_csv(path: Path, data: _Rows) -> int:
    columns = ACLED_COLUMNS + (["sources"] if data.shown is not None else [])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = dict_writer(handle, columns)
        writer.writeheader()
        for row in data.events:
            out = acled_row(row, data.kinds.get(row["report_id"], []))
            if data.shown is not None:
                out["sources"] = _sources_cell(data.shown.get(row["report_id"], []))
            writer.writerow(out)
    return len(data.events)


def _sources_of(data: _Rows, row: dict) -> list[dict] | None:
    return None if data.shown is None else data.shown.get(row["report_id"], [])


def _write_plover(path: Path, data: _Rows) -> int:
    with path.open("w", encoding="utf-8") as handle:
        for row in data.events:
            handle.write(json.dumps(plover_record(row, _sources_of(data, row)), ensure_ascii=False) + "\n")
    return len(data.events)


def _write_geojson(path: Path, data: _Rows) -> int:
    features = []
    for row in data.events:
        if row["latitude"] is None or row["longitude"] is None:
            continue
        properties = plover_record(row, _sources_of(data, row))
        for key in ("lat", "lon", "evidence"):
            properties.pop(key)
        features.append({"type": "Feature", "id": row["id"],
                         "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                         "properties": properties})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    return len(features)


def _write_parquet(path: Path, data: _Rows) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = []
    for row in data.events:
        record = {k: v for k, v in row.items()}
        for key in ("actors", "recipients", "evidence"):
            record[key] = json.dumps(record[key], ensure_ascii=False)
        record["contexts"], record["topics"] = _bars(row["contexts"]), _bars(row["topics"])
        record["actor_institutions"] = _bars(row["actor_institutions"])
        record["source_kinds"] = data.kinds.get(row["report_id"], [])
        if data.shown is not None:
            record["sources"] = json.dumps(data.shown.get(row["report_id"], []), ensure_ascii=False)
        records.append(record)
    table = pa.Table.from_pylist(records) if records else pa.table({"id": pa.array([], pa.string())})
    pq.write_table(_typed_nulls(table), path)
    return len(records)


# Columns that may be null in every row of an export: typed from the schema, not Parquet's "null".
_NUMERIC = {"arrested": "int64", "dead": "int64", "injured": "int64", "precision": "int64",
            "latitude": "float64", "longitude": "float64", "confidence": "float64"}


def _typed_nulls(table):
    """An all-null column got pyarrow type null (e.g. `injured`), which readers cannot sum or filter."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            kind = pa.type_for_alias(_NUMERIC.get(field.name, "string"))
            table = table.set_column(i, pa.field(field.name, kind), table.column(i).cast(kind))
    return table


FORMATS: dict[str, Callable[[Path, _Rows], int]] = {
    "csv": _write_csv, "plover": _write_plover, "geojson": _write_geojson, "parquet": _write_parquet,
}


def export_events(store: Store, fmt: str, path: Path, *, filters: EventFilter = EventFilter(),
                  profile: str | None = None, include_sources: bool = False, actor: str = "cli") -> ExportResult:
    """Write the events that match `filters` as `profile` allows (profiles.py; default internal).
    include_sources=True is the older spelling of profile="full". A full export, the one with source
    descriptors, is written to the audit log with its profile. Who may ask for which profile is the
    caller's check (the API allows full to admins only)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    profile = check_profile(profile or ("full" if include_sources else "internal"))
    rows = search_events(store, filters, limit=None)
    tmp = path.with_name(path.name + ".tmp")
    count = FORMATS[fmt](tmp, _profiled(store, rows, profile))
    tmp.replace(path)
    if profile == "full":
        audit(store, actor=actor, action="export:sources",
              detail=json.dumps({"format": fmt, "profile": profile, "path": str(path), "rows": count,
                                 "filters": filters.as_dict()}))
    return ExportResult(path, count, fmt)
