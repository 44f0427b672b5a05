"""Where the invented corroboration gold lives (reports written for the tests, see its gold.json)."""
from fixture_paths import ROOT

GOLD = ROOT / "tests" / "fixtures" / "corroboration"
HELDOUT = ROOT / "tests" / "fixtures" / "corroboration_heldout"
DEV2 = ROOT / "tests" / "fixtures" / "corroboration_dev2"
