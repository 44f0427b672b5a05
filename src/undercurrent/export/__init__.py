"""Exports in the formats the field uses: ACLED-style CSV, PLOVER JSONL, GeoJSON, Parquet."""
from __future__ import annotations

from pathlib import Path

from undercurrent.export.formats import FORMATS, export_events

__all__ = ["FORMATS", "export_events", "Path"]
