"""Training data is validated: bad input is refused with the file, the line and the field."""
import json

import pytest

from undercurrent.errors import BadTraining
from undercurrent.train.data import read_gold_folder, read_training_file, read_training_set

GOOD = {"id": "en-t-1", "lang": "en", "text": "Police arrested three traders in the market on Monday.",
        "events": [{"quote": "Police arrested three traders", "trigger": "arrested", "type": "COERCE",
                    "mode": "arrest", "status": "occurred"}]}


def write(tmp_path, *records, name="t.jsonl"):
    path = tmp_path / "en" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_good_file_reads(tmp_path):
    write(tmp_path, GOOD, {"id": "en-t-2", "text": "Prices of rice keep rising.", "events": []})
    examples = read_training_set(tmp_path, language="en")
    assert [e.name for e in examples] == ["en-t-1", "en-t-2"]
    assert examples[0].events[0]["type"] == "COERCE" and examples[1].events == []


@pytest.mark.parametrize("change, field", [
    ({"type": "ARREST"}, "type"),
    ({"mode": "beat"}, "mode"),
    ({"status": "rumoured"}, "status"),
    ({"quote": "Soldiers arrested"}, "quote"),
    ({"trigger": "detained"}, "trigger"),
])
def test_bad_event_names_file_line_and_field(tmp_path, change, field):
    bad = json.loads(json.dumps(GOOD))
    bad["events"][0].update(change)
    path = write(tmp_path, GOOD | {"id": "ok"}, bad)
    with pytest.raises(BadTraining) as caught:
        read_training_file(path)
    message = str(caught.value)
    assert message.startswith("E041") and f"{path}:2" in message and f"field '{field}'" in message


def test_bad_json_line_and_duplicate_id_refused(tmp_path):
    with pytest.raises(BadTraining, match=r"t\.jsonl:2: not JSON"):
        read_training_file(write(tmp_path, GOOD, "{not json"))
    with pytest.raises(BadTraining, match="appears twice"):
        read_training_file(write(tmp_path, GOOD, GOOD))
    with pytest.raises(BadTraining, match="field 'lang'"):
        read_training_file(write(tmp_path, GOOD | {"lang": "fr"}))


def test_gold_that_does_not_match_its_report_is_refused(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({"text": "Guards beat a woman at the border.", "published": "2020-01-02"}))
    (tmp_path / "r.gold.json").write_text(json.dumps({"events": [
        {"quote": "Guards shot a woman", "type": "ASSAULT", "mode": "beat", "status": "occurred"}]}))
    with pytest.raises(BadTraining) as caught:
        read_gold_folder(tmp_path)
    assert "r.gold.json event 1" in str(caught.value) and "field 'quote'" in str(caught.value)


def test_the_projects_training_set_is_valid():
    """Every committed training file passes the checks (the train command would refuse it otherwise)."""
    from fixture_paths import ROOT

    for language in ("en", "ko"):
        examples = read_training_set(ROOT / "training", language=language)
        assert examples, f"no {language} training examples"
        assert len({e.name for e in examples}) == len(examples)
