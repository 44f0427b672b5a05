"""Export profiles (public, internal, full) in every format, and CSV formula injection."""
import csv
import json

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from undercurrent.collect import ingest_items
from undercurrent.errors import UndercurrentError
from undercurrent.export import export_events
from undercurrent.export.csvsafe import safe_cell
from undercurrent.ingest.items import iter_items
from undercurrent.store import schema

# Written for these tests: an event placed only by its source (a city), and one whose quote names the source.
REPORT = {"url": "https://example.org/profiles", "outlet": "Test Wire", "published": "2020-05-06",
          "text": "Police arrested three smugglers last week, a source in Hyesan told the paper. "
                  "According to a source in Hyesan, security agents seized twelve phones on May 2."}
DESCRIPTOR = "a source in Hyesan"


@pytest.fixture()
def stored(store, extractor, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REPORT), encoding="utf-8")
    ingest_items(iter_items([str(path)]), store, extractor)
    return store


def _read(fmt, path):
    if fmt == "csv":
        return path.read_text(encoding="utf-8")
    if fmt == "parquet":
        return json.dumps(pq.read_table(path).to_pylist(), default=str)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "plover", "geojson", "parquet"])
def test_full_profile_carries_descriptors_in_every_format_and_is_audited(stored, tmp_path, fmt):
    plain = tmp_path / f"plain.{fmt}"
    full = tmp_path / f"full.{fmt}"
    export_events(stored, fmt, plain)
    export_events(stored, fmt, full, profile="full", actor="admin")
    assert "sources" in _read(fmt, full) and DESCRIPTOR in _read(fmt, full)
    assert plain.read_bytes() != full.read_bytes()
    with stored.engine.connect() as conn:
        log = conn.execute(sa.select(schema.audit_log)).mappings().all()
    assert [(e["actor"], e["action"], json.loads(e["detail"])["profile"]) for e in log] == [
        ("admin", "export:sources", "full")]


def test_include_sources_flag_is_the_full_profile(stored, tmp_path):
    export_events(stored, "csv", tmp_path / "a.csv", include_sources=True)
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert rows and all(DESCRIPTOR in r["sources"] for r in rows)


def test_public_profile_coarsens_source_places_and_drops_quotes_naming_a_source(stored, tmp_path):
    export_events(stored, "plover", tmp_path / "internal.jsonl")
    internal = [json.loads(x) for x in (tmp_path / "internal.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["place_id"] == "kp-10-hyesan" and r["place_basis"] == "source" for r in internal)
    assert any(DESCRIPTOR in r["text"] for r in internal)

    for fmt in ("plover", "geojson", "csv", "parquet"):
        export_events(stored, fmt, tmp_path / f"public.{fmt}", profile="public")
        text = _read(fmt, tmp_path / f"public.{fmt}")
        assert DESCRIPTOR not in text.replace("According to", ""), fmt
        assert "kp-10-hyesan" not in text and "Hyesan" not in text.replace("a source in Hyesan", ""), fmt
    public = [json.loads(x) for x in (tmp_path / "public.plover").read_text(encoding="utf-8").splitlines()]
    assert len(public) == len(internal)
    assert all(r["place_id"] == "KP-10" and r["geo_precision"] == 2 for r in public if r["place_basis"] == "source")
    assert all(DESCRIPTOR not in json.dumps(r["evidence"]) for r in public)


def test_unknown_profile_is_a_coded_error(stored, tmp_path):
    with pytest.raises(UndercurrentError, match="E061"):
        export_events(stored, "csv", tmp_path / "x.csv", profile="everything")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "\uff1d1+1"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell
    assert safe_cell("plain") == "plain" and safe_cell(-127.5) == -127.5


def test_csv_export_neutralises_an_outlet_that_is_a_formula(store, extractor, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({**REPORT, "outlet": "=HYPERLINK(\"http://evil.example\",\"x\")"}), encoding="utf-8")
    ingest_items(iter_items([str(path)]), store, extractor)
    for profile in ("public", "internal", "full"):
        export_events(store, "csv", tmp_path / f"{profile}.csv", profile=profile)
        rows = list(csv.reader((tmp_path / f"{profile}.csv").open(encoding="utf-8")))
        cells = [c for row in rows for c in row]
        assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), profile
        assert "'=HYPERLINK" in {c[:11] for c in cells}
