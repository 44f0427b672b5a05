from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "src" / "undercurrent" / "samples" / "daily-nk-prostitution-crackdown.txt"


@pytest.fixture(scope="session")
def extractor():
    """The real spaCy pipeline, loaded once for the whole run."""
    from undercurrent.extract.pipeline import default_extractor

    return default_extractor()


@pytest.fixture(scope="session")
def kb():
    from undercurrent.kb import load_kb

    return load_kb()


@pytest.fixture()
def extract_text(extractor):
    from undercurrent.models import Report

    def run(text: str, *, published: str | None = "2020-10-15", outlet: str | None = None):
        return extractor.extract(Report.from_fields(text=text, published=published, outlet=outlet))

    return run
