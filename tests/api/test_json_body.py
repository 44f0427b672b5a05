"""API answers are encoded by orjson: the bytes must be what the standard library wrote before."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from undercurrent.api.serialize import json_body


def _stdlib(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def test_json_body_matches_the_standard_library():
    data = {
        "total": 12, "total_exact": False, "limit": 50, "offset": 0, "next": None,
        "events": [{"id": "e1", "quote": "보안원들이 \"검열\" — 1,000 yuan\n", "confidence": 0.8, "latitude": 41.3959,
                    "dead": None, "topics": ["smuggling", "phones"], "evidence": [{"start": 0, "end": 12}],
                    "big": 12345678901234, "neg": -0.0, "half": 2.5}],
        "nested": {"a": [1, 2.0, [3]], "b": {}},
    }
    assert json_body(data) == _stdlib(data)


def test_json_body_keeps_the_value_of_tiny_and_huge_floats():
    # The one difference in bytes: the standard library writes 1e-07, orjson 1e-7 (the same number).
    data = {"values": [1e-7, 3.2e21, 123456.789, 0.1 + 0.2]}
    assert json.loads(json_body(data)) == json.loads(_stdlib(data)) == data


def test_json_body_writes_other_types_with_str_as_before():
    data = {"at": datetime(2026, 12, 6, 5, 40, 1), "day": date(2026, 12, 6), "price": Decimal("4.50")}
    assert json_body(data) == _stdlib(data)
