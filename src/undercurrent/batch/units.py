"""What a partition gives back to a batch run, whether it ran inline or in a worker's helper process.

Kept apart from partition.py so the helper (helper.py, helper_process.py) and the partition code can
both use it without importing each other. The units themselves (`Unit`) are the reader's
(ingest/reader.py): batch reads its input as extract and ingest do."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartitionResult:
    partition: int
    reports: int
    failed: int
    seconds: float
    peak_rss_mb: float
    pid: int
