"""Counts by events (clusters) or reports, exports with cluster ids, and `undercurrent cluster --rebuild`."""
from __future__ import annotations

import csv
import json

import pytest

from undercurrent.errors import BadFilter
from undercurrent.export import export_events
from undercurrent.store import queries
from undercurrent.store.search import EventFilter, count_events, search_events, stats


def test_stats_count_events_or_reports(gold_store):
    store, _gold, _ids = gold_store
    by_events = dict(stats(store, EventFilter(type="ASSAULT"), by=("type",))["type"])
    by_reports = dict(stats(store, EventFilter(type="ASSAULT", count="reports"), by=("type",))["type"])
    # Chongjin told by five reports (one of them a reprint) plus a look-alike in Hamhung: two events,
    # and at least six records (some reports state the execution twice)
    assert by_events["ASSAULT"] == len({r["cluster_id"] for r in search_events(store, EventFilter(type="ASSAULT"), limit=None)})
    assert by_reports["ASSAULT"] == count_events(store, EventFilter(type="ASSAULT")) >= 6
    assert by_events["ASSAULT"] < by_reports["ASSAULT"]
    months = queries.events_by_month_and_type(store, EventFilter(type="COERCE", mode="deport", province="KP-03"))
    assert [(m["month"], m["events"]) for m in months] == [("2024-06", 1)]
    months = queries.events_by_month_and_type(store, EventFilter(type="COERCE", mode="deport", province="KP-03",
                                                                 count="reports"))
    assert [(m["month"], m["events"]) for m in months] == [("2024-06", 2)]
    with pytest.raises(BadFilter):
        EventFilter(count="articles")


def test_exports_carry_cluster_id_and_counts(gold_store, tmp_path):
    store, _gold, ids = gold_store
    export_events(store, "csv", tmp_path / "e.csv", filters=EventFilter(province="KP-03"))
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    deport = [r for r in rows if r["sub_event_type"] == "deport"]
    assert len(deport) == 2 and len({r["cluster_id"] for r in deport}) == 1
    assert {(r["cluster_reports"], r["cluster_outlets"]) for r in deport} == {("2", "2")}
    export_events(store, "plover", tmp_path / "e.jsonl", filters=EventFilter(place="kp-10-hyesan", mode="arrest",
                                                                          since="2024-03", until="2024-03"))
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    reprinted = next(r for r in records if r["report_id"] == ids["a4"])
    assert reprinted["cluster_reports"] == 4 and reprinted["cluster_outlets"] == 3


def test_cli_cluster_rebuild(tmp_path, monkeypatch, extractor):
    from click.testing import CliRunner

    from corroboration_support import GOLD
    from undercurrent.cli import cli
    from undercurrent.evaluate.corroboration import ingest_gold_reports, read_gold
    from undercurrent.store.db import open_store

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url=url)
    ingest_gold_reports(store, read_gold(GOLD)[0], extractor)
    store.close()
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["cluster", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert "clusters; 2 reprints" in result.output
    assert "reports marked as reprints: 2" in result.stderr  # the rebuild tells how it goes
    assert "COERCE: " in result.stderr
    counts = {}
    for unit in ("reports", "events"):
        result = CliRunner().invoke(cli, ["stats", "--type", "COERCE", "--mode", "deport", "--count", unit, "--json"])
        assert result.exit_code == 0, result.output
        counts[unit] = json.loads(result.output)["type"][0]["events"]
    assert counts["events"] == counts["reports"] - 1  # the Sinuiju repatriation is told twice
    assert CliRunner().invoke(cli, ["cluster"]).exit_code != 0
    result = CliRunner().invoke(cli, ["search", "--mode", "deport", "--province", "KP-03"])
    assert result.exit_code == 0 and "2 of 2 events (1 real-world events)" in result.output
