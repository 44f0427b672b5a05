"""ingest / search / export / stats from the command line, on the real dev reports when present."""
import csv
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from fixture_paths import SHARED
from undercurrent.cli import cli

DEV = SHARED / "eval" / "dev"


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/eval/dev")
def test_dev_round_trip(env):
    first = run("ingest", DEV, "--quiet")
    assert first.exit_code == 0 and first.output.startswith("48 stored")
    again = run("ingest", DEV, "--quiet")
    assert again.output.startswith("0 stored, 0 re-extracted, 48 unchanged")
    total = json.loads(run("search", "--json", "--limit", "1").output)["total"]
    assert total > 100
    stats = json.loads(run("stats", "--json").output)
    assert sum(row["events"] for row in stats["type"]) == total and stats["reports"][0]["events"] == 48

    for fmt, name in (("csv", "e.csv"), ("plover", "e.jsonl"), ("geojson", "e.geojson"), ("parquet", "e.parquet")):
        result = run("export", "--format", fmt, "-o", env / name)
        assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader((env / "e.csv").open(encoding="utf-8")))) == total
    assert len((env / "e.jsonl").read_text(encoding="utf-8").splitlines()) == total
    with_coordinates = [r for r in csv.DictReader((env / "e.csv").open(encoding="utf-8")) if r["latitude"]]
    assert len(json.loads((env / "e.geojson").read_text())["features"]) == len(with_coordinates)
    assert pq.read_table(env / "e.parquet").num_rows == total

    phones = run("search", "phones", "--type", "COERCE", "--province", "KP-09", "--since", "2016-01")
    assert phones.exit_code == 0 and "COERCE" in phones.output


def test_ingest_reports_bad_items_and_keeps_good_ones(env):
    folder = env / "in"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps({"text": "Police in Hyesan arrested two traders.", "url": "https://e.org/1"}))
    (folder / "bad.json").write_text("{oops")
    (folder / "bad.html").write_text("<p>")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--quiet"])
    assert result.exit_code == 1
    assert "1 stored" in result.output and "2 failed" in result.output
    assert "bad.json" in result.output and "bad.html" in result.output
    assert json.loads(run("search", "--json").output)["total"] == 1


def test_bad_filter_is_a_usage_error(env):
    result = CliRunner().invoke(cli, ["search", "x", "--since", "last year"])
    assert result.exit_code == 2 and "YYYY" in result.output
