"""The command line on good and bad input: exit codes and messages naming the file."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_paths import SEED, SHARED
from undercurrent.cli import cli

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny_eval"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_extract_one_txt_prints_records(tmp_path):
    result = run("extract", SEED, "--published", "2019-09-05", "--outlet", "Daily NK")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert set(records) == {"report", "events", "observations", "sources", "places", "institutions"}
    assert records["report"]["published"] == "2019-09-05"
    assert records["report"]["outlet"] == "Daily NK"


def test_extract_folder_with_broken_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps({"text": "Police arrested two traders in Hyesan.", "published": "2020-01"}))
    (folder / "empty.txt").write_text("")
    (folder / "notext.json").write_text(json.dumps({"title": "no text here"}))
    (folder / "latin1.txt").write_bytes("Caf\xe9 in Sinuiju".encode("latin-1"))
    (folder / "broken.json").write_text("{not json")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 1
    stderr = result.output
    assert "E002" in stderr and "empty.txt" in stderr
    assert "E006" in stderr and "notext.json" in stderr and "'text'" in stderr
    assert "E003" in stderr and "latin1.txt" in stderr and "UTF-8" in stderr
    assert "E005" in stderr and "broken.json" in stderr
    produced = sorted(p.name for p in out.iterdir())
    assert produced == ["good.json"]
    assert json.loads((out / "good.json").read_text())["events"][0]["type"] == "COERCE"


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["extract", str(big)])
    assert result.exit_code == 1
    assert "E004" in result.output and "big.txt" in result.output and "MB" in result.output


def test_bad_published_date(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--published", "September 3"])
    assert result.exit_code == 1 and "E008" in result.output


def test_evaluate_prints_the_figures_and_json():
    text = run("evaluate", TINY, "--pred", TINY / "pred")
    assert text.exit_code == 0
    assert "events" in text.output and "0.571" in text.output
    as_json = run("evaluate", TINY, "--pred", TINY / "pred", "--json")
    assert json.loads(as_json.output)["events"]["tp"] == 2


def test_evaluate_floor_fails_with_exit_code_1():
    result = CliRunner().invoke(cli, ["evaluate", str(TINY), "--pred", str(TINY / "pred"), "--floor", "events=0.9"])
    assert result.exit_code == 1
    assert "below floor: events" in result.output


def test_installed_command_reports_errors_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "undercurrent.cli", "evaluate", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "E010" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not (SHARED / "eval" / "dev").is_dir(), reason="needs ../shared/eval/dev")
def test_extract_then_score_saved_predictions_equals_direct_evaluation(tmp_path):
    dev = SHARED / "eval" / "dev"
    result = CliRunner().invoke(cli, ["extract", str(dev), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    saved = json.loads(run("evaluate", dev, "--pred", tmp_path, "--json").output)
    direct = json.loads(run("evaluate", dev, "--json").output)
    assert saved == direct
