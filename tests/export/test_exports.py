"""Exports read back: counts and fields, on SQLite and PostgreSQL."""
import csv
import json

import pyarrow.parquet as pq
import sqlalchemy as sa

from undercurrent.collect import ingest_items
from undercurrent.export import export_events
from undercurrent.ingest.items import iter_items
from undercurrent.store import schema
from undercurrent.store.search import EventFilter, count_events

REPORT = {"url": "https://example.org/x", "outlet": "Test Wire", "published": "2020-05-06",
          "text": "Agents of the Ministry of State Security arrested five smugglers in Hyesan on May 2, "
                  "a source in Ryanggang Province said. Officials also banned phones in the city."}


def test_every_format_round_trips(store, extractor, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REPORT), encoding="utf-8")
    ingest_items(iter_items([str(path)]), store, extractor)
    n = count_events(store)
    assert n >= 2

    export_events(store, "csv", tmp_path / "e.csv")
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert len(rows) == n
    arrest = next(r for r in rows if r["sub_event_type"] == "arrest")
    assert arrest["event_type"] == "COERCE" and arrest["event_date"] == "2020-05-02" and arrest["time_precision"] == "1"
    assert arrest["admin1"] == "Ryanggang" and arrest["location"] == "Hyesan" and arrest["geo_precision"] == "1"
    assert arrest["actor1"] == "Ministry of State Security" and "arrested five smugglers" in arrest["notes"]
    assert arrest["source"] == "Test Wire" and arrest["source_scale"] == "in_country_anonymous"
    assert float(arrest["latitude"]) > 40

    export_events(store, "plover", tmp_path / "e.jsonl")
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == n and all("sources" not in r for r in records)
    first = next(r for r in records if r["mode"] == "arrest")
    assert first["event"] == "COERCE" and first["actor_id"] == ["ministry_of_state_security"]
    assert first["size"] == 5 and first["evidence"][0]["quote"] in REPORT["text"]

    result = export_events(store, "geojson", tmp_path / "e.geojson")
    collection = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert result.rows == len(collection["features"]) >= 1
    assert collection["features"][0]["geometry"]["type"] == "Point"

    export_events(store, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n and {"type", "mode", "quote", "evidence", "admin1"} <= set(table.column_names)


def test_filters_apply_and_source_exports_are_audited(store, extractor, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REPORT), encoding="utf-8")
    ingest_items(iter_items([str(path)]), store, extractor)
    only = export_events(store, "plover", tmp_path / "ban.jsonl", filters=EventFilter(mode="ban"))
    assert only.rows == 1
    export_events(store, "plover", tmp_path / "s.jsonl", include_sources=True, actor="admin")
    record = json.loads((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["sources"][0]["descriptor"] == "a source in Ryanggang Province"
    with store.engine.connect() as conn:
        log = conn.execute(sa.select(schema.audit_log)).mappings().all()
    assert [(e["actor"], e["action"]) for e in log] == [("admin", "export:sources")]
