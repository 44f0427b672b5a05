"""The learned stage trains deterministically, round-trips through JSON and ships inside the package."""
import json

from undercurrent.extract.event_filter import CandidateFilter, FilterInput, Token, event_features
from undercurrent.models import Event, Evidence
from undercurrent.train.data import read_training_file
from undercurrent.train.fit import FitOptions, build_candidates, fit_filter

LINES = [
    {"id": "a", "text": "Police arrested four smugglers in Hyesan on Friday.",
     "events": [{"quote": "Police arrested four smugglers", "type": "COERCE", "mode": "arrest"}]},
    {"id": "b", "text": "Border guards detained two women who tried to cross the river.",
     "events": [{"quote": "Border guards detained two women", "type": "COERCE", "mode": "arrest"}]},
    {"id": "c", "text": "People caught selling phones are usually arrested.", "events": []},
    {"id": "d", "text": "Arrests could rise if the campaign goes on.", "events": []},
    {"id": "e", "text": "The authorities arrested a broker in Musan last week.",
     "events": [{"quote": "The authorities arrested a broker", "type": "COERCE", "mode": "arrest"}]},
    {"id": "f", "text": "Traders fear they may be detained at the market.", "events": []},
    # the annotation, not the rules, decides the label: an arrest the annotator left out is labelled 0
    {"id": "g", "text": "Guards arrested three brokers near the river last month.", "events": []},
]


def examples(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in LINES), encoding="utf-8")
    return read_training_file(path)


def test_training_is_deterministic_and_round_trips(tmp_path, extractor):
    items = build_candidates(examples(tmp_path), extractor)
    assert sum(sum(i.labels) for i in items) == 3  # the three reported arrests are matched candidates
    assert any(0 in i.labels for i in items)  # and the rules propose some that are no event
    options = FitOptions(seed=3, inner_folds=2)
    first, second = fit_filter(items, options), fit_filter(items, options)
    assert first.to_json() == second.to_json()
    again = CandidateFilter.from_json(first.to_json())
    assert again.threshold == first.threshold
    for item in items:
        for feats in item.features:
            assert abs(again.probability(feats) - first.probability(feats)) < 1e-3


def test_features_see_type_status_trigger_and_restatement():
    text = "Police arrested two men. Police arrested two men again."
    doc = FilterInput(text, ((0, 24), (25, len(text))), (Token(7, 15, "arrest", "VERB"), Token(32, 40, "arrest", "VERB")))
    events = [Event(type="COERCE", mode="arrest", evidence=[Evidence(quote="arrested", start=7, end=15)], trigger="arrested"),
              Event(type="COERCE", mode="arrest", evidence=[Evidence(quote="arrested", start=32, end=40)], trigger="arrested")]
    first, second = event_features(events[0], 0, events, doc), event_features(events[1], 1, events, doc)
    assert {"t=COERCE", "tm=COERCE|arrest", "st=occurred", "tr=arrest"} <= set(first)
    assert "dup_type" not in first and {"dup_type", "dup_tm", "sent=1"} <= set(second)


def test_shipped_weights_load_from_the_installed_package():
    """What ships is what SHIPPED_PARTS says, loaded from the package's own folder (since 2026-12-05
    no part: cross-validation found none better than the rules, docs/decisions.md "Learned stage")."""
    from undercurrent.extract.learned import shipped_stage
    from undercurrent.train.fit import SHIPPED_PARTS

    for language, parts in SHIPPED_PARTS.items():
        stage = shipped_stage(language)
        assert (stage.filter is not None) == ("filter" in parts), language
        assert (stage.typer is not None) == ("typer" in parts), language
        if stage.filter is not None:
            assert stage.filter.weights and 0.0 < stage.filter.threshold < 1.0
            assert stage.filter.meta["language"] == language
            assert stage.filter.meta["keep_dropped"] == ("dropped" in parts)


def test_unknown_part_is_refused():
    import pytest

    from undercurrent.train.fit import options_for

    with pytest.raises(ValueError, match="unknown part"):
        options_for("en", parts=["filtre"])
    assert not options_for("en", parts=["none"]).filter
