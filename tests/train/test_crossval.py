"""Cross-validation splits by report, trains on the other folds only, and scores like evaluate."""
import json

from fixture_paths import ROOT
from undercurrent.evaluate.runner import evaluate_folder
from undercurrent.train.crossval import cross_validate, fold_of, format_cross_validation

TINY = ROOT / "tests" / "fixtures" / "tiny_eval"


def test_folds_are_seeded_balanced_and_by_report():
    names = [f"r{i}" for i in range(11)]
    folds = fold_of(names, 5, seed=0)
    assert folds == fold_of(list(reversed(names)), 5, seed=0)  # order of listing does not matter
    sizes = [list(folds.values()).count(k) for k in range(5)]
    assert sorted(sizes) == [2, 2, 2, 2, 3]
    assert fold_of(names, 5, seed=1) != folds


def test_cross_validation_scores_every_report_once(tmp_path, extractor):
    training = tmp_path / "en"
    training.mkdir()
    training.joinpath("t.jsonl").write_text("\n".join(json.dumps(x) for x in [
        {"id": "a", "text": "Police arrested four smugglers in Hyesan on Friday.",
         "events": [{"quote": "Police arrested four smugglers", "type": "COERCE", "mode": "arrest"}]},
        {"id": "b", "text": "Smugglers caught at the border are usually arrested.", "events": []},
    ]), encoding="utf-8")
    cv = cross_validate(TINY, folds=2, training_dir=tmp_path, extractor=extractor)
    plain = evaluate_folder(TINY, extractor=extractor)
    assert len(cv.folds) == 2 and cv.pooled.reports == plain.reports == 2
    # what the learned stage does not touch is scored exactly as evaluate scores it
    assert cv.pooled.observations.as_dict() == plain.observations.as_dict()
    assert cv.pooled.events.gold == plain.events.gold
    assert "pooled" in format_cross_validation(cv)
