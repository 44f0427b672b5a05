"""What crosses between a batch run, its partitions and a worker's helper process: units and results.

Kept apart from partition.py so the helper (helper.py, helper_process.py) and the partition code can
both use them without importing each other."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One report to extract: a file, or one line of a .jsonl file."""

    path: str
    line: int | None = None
    offset: int | None = None  # byte offset of the line, so a worker seeks instead of rereading

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class PartitionResult:
    partition: int
    reports: int
    failed: int
    seconds: float
    peak_rss_mb: float
    pid: int
