"""The scorer on a tiny corpus whose figures were computed by hand (see the comments in pred/)."""
from pathlib import Path

import pytest

from undercurrent.errors import BadGold
from undercurrent.evaluate.matching import Sentences, max_matching
from undercurrent.evaluate.runner import check_floors, evaluate_folder, parse_floors

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_eval"


@pytest.fixture(scope="module")
def scores():
    return evaluate_folder(TINY, pred_dir=TINY / "pred").as_dict()


def test_events(scores):
    # gold 3; predicted 4; the arrest matches by sentence, the ban by span, the third sentence-mate has
    # another type and report b's only prediction sits in the other sentence.
    assert (scores["events"]["tp"], scores["events"]["pred"], scores["events"]["gold"]) == (2, 4, 3)
    assert scores["events"]["precision"] == 0.5
    assert scores["events"]["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert scores["events"]["f1"] == pytest.approx(0.5714, abs=1e-4)
    assert scores["events"]["by_type"]["SANCTION"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "pred": 1, "gold": 0}
    assert scores["events"]["status"]["accuracy"] == 0.5
    assert scores["events"]["mode"]["accuracy"] == 1.0
    assert scores["events"]["place"]["accuracy"] == 1.0


def test_observations_ranges_count_as_their_ends(scores):
    # gold atoms 5000 KPW, 2, 300 CNY; predicted atoms 5000, 2, 7, 300 and 400 (a range's upper end)
    assert (scores["observations"]["tp"], scores["observations"]["pred"], scores["observations"]["gold"]) == (3, 5, 3)
    assert scores["observations"]["place"]["right"] == 1


def test_mentions_are_micro_averaged_sets(scores):
    assert (scores["places"]["tp"], scores["places"]["pred"], scores["places"]["gold"]) == (3, 4, 3)
    assert (scores["institutions"]["tp"], scores["institutions"]["pred"], scores["institutions"]["gold"]) == (1, 2, 1)


def test_sources_match_on_overlap_then_kind(scores):
    assert scores["sources"]["f1"] == 1.0
    assert scores["sources"]["kind"] == {"accuracy": 0.5, "right": 1, "total": 2}


def test_floors():
    from undercurrent.evaluate.scoring import Scores

    floors = parse_floors(["events=0.6", "sources=0.5"])
    failures = check_floors(evaluate_folder(TINY, pred_dir=TINY / "pred"), floors)
    assert failures == ["events 0.571 < 0.6"]
    with pytest.raises(BadGold):
        parse_floors(["speed=1"])
    assert check_floors(Scores(), {}) == []


def test_sentences_and_matching_are_one_to_one():
    s = Sentences("One. Two three.\nFour")
    assert [s.of(0), s.of(5), s.of(17)] == [0, 1, 2]
    pairs = max_matching([1, 2], [2, 1, 1], lambda g, p: g == p)
    assert len(pairs) == 2
