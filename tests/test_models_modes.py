"""Every mode the extractor can emit is one a reviewer can choose in the edit form."""
import csv
from importlib import resources

from undercurrent.models import EVENT_TYPES, PLOVER_MODES


def test_lexicon_modes_are_valid_choices():
    for name in ("en_event_triggers.csv", "ko_event_triggers.csv"):
        text = resources.files("undercurrent.extract").joinpath("lexicons", name).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            assert row["type"] in EVENT_TYPES
            if row["mode"]:
                assert row["mode"] in PLOVER_MODES.get(row["type"], ()), (name, row)


def test_mode_table_names_only_plover_types():
    assert set(PLOVER_MODES) <= set(EVENT_TYPES)
