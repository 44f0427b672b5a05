"""Golden file: the seed report's records. An intentional change regenerates it in the same commit:
UNDERCURRENT_UPDATE_GOLDEN=1 pytest tests/extract/test_golden_seed.py"""
import json
import os
from pathlib import Path

from fixture_paths import SEED
from undercurrent.ingest.files import Metadata
from undercurrent.ingest.reader import load_report

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "seed.records.json"
VOLATILE = {"ingested_at", "ingest_source"}


def _records(extractor) -> dict:
    report = load_report(SEED, Metadata(outlet="Daily NK", published="2019-09-05"))
    data = extractor.extract(report).model_dump(mode="json")
    for key in VOLATILE:
        data["report"].pop(key)
    return data


def test_seed_report_records_match_the_golden_file(extractor):
    data = _records(extractor)
    if os.environ.get("UNDERCURRENT_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert data == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_seed_essentials(extractor):
    """What the golden file must keep saying, whatever else changes."""
    data = _records(extractor)
    arrests = [e for e in data["events"] if (e["type"], e["mode"]) == ("COERCE", "arrest")]
    assert arrests and arrests[0]["status"] == "ordered"
    assert arrests[0]["actors"][0]["institution"] == "ministry_of_social_security"
    assert {(o["value"], o["currency"]) for o in data["observations"]} >= {(100, "CNY"), (200, "CNY")}
    assert {p["id"] for p in data["places"]} == {"KP-09"}
    assert {i["id"] for i in data["institutions"]} == {"ministry_of_social_security", "inminban"}
    assert [s["kind"] for s in data["sources"]][:2] == ["in_country_anonymous", "in_country_anonymous"]
