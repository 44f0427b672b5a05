"""`undercurrent train` writes the same weights twice and refuses bad data naming the file and field."""
import json

from click.testing import CliRunner
from test_fit import LINES

from undercurrent.cli import cli


def test_train_twice_gives_the_same_bytes(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "t.jsonl").write_text("\n".join(json.dumps(x) for x in LINES), encoding="utf-8")
    runner = CliRunner()
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        result = runner.invoke(cli, ["train", "--training", str(tmp_path), "--lang", "en", "--parts", "filter",
                                     "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append((out / "event_filter_en.json").read_bytes())
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["meta"]["training_texts"] == len(LINES)


def test_bad_training_data_is_refused_with_file_line_and_field(tmp_path):
    (tmp_path / "en").mkdir()
    bad = dict(LINES[0], events=[dict(LINES[0]["events"][0], type="ARREST")])
    (tmp_path / "en" / "t.jsonl").write_text(json.dumps(LINES[1]) + "\n" + json.dumps(bad), encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--training", str(tmp_path), "--lang", "en", "--parts", "filter",
                                      "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "E041" in str(result.exception) and "t.jsonl:2" in str(result.exception) and "'type'" in str(result.exception)
    assert not (tmp_path / "o" / "event_filter_en.json").exists()


def test_unknown_part_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--training", str(tmp_path), "--parts", "filtre"])
    assert result.exit_code == 2 and "unknown part" in result.output
