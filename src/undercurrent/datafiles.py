"""Reading the CSV and JSON data files shipped inside the package (reference data, lexicons)."""
from __future__ import annotations

import csv
import json
from importlib import resources
from typing import Any


def kb_rows(name: str) -> list[dict[str, str]]:
    """Rows of src/undercurrent/kb/data/<name>."""
    return _rows("undercurrent.kb", "data", name)


def lexicon_rows(name: str) -> list[dict[str, str]]:
    """Rows of src/undercurrent/extract/lexicons/<name>."""
    return _rows("undercurrent.extract", "lexicons", name)


def lexicon_json(name: str) -> Any:
    """The parsed src/undercurrent/extract/lexicons/<name> (rule data with more shape than rows)."""
    return json.loads(resources.files("undercurrent.extract").joinpath("lexicons", name).read_text(encoding="utf-8"))


def _rows(package: str, folder: str, name: str) -> list[dict[str, str]]:
    with resources.files(package).joinpath(folder, name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
