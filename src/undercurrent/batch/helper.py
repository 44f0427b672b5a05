"""A worker's helper process, the worker's side: start it once, send it partitions over a pipe.

The helper runs `python -m undercurrent.batch.helper_process` (the other side): it holds the spaCy
pipeline, reads one JSON job a line on stdin, writes one JSON result a line on stdout, and exits when
stdin closes (so it never outlives its worker)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict

from undercurrent.batch.units import PartitionResult
from undercurrent.ingest.reader import Unit


class Helper:
    def __init__(self) -> None:
        # Dask sets MALLOC_TRIM_THRESHOLD_=65536 for its workers; inherited here it makes glibc
        # return memory after every few allocations and slows the parser by a quarter.
        env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "undercurrent.batch.helper_process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, bufsize=1, env=env,
        )
        self.lock = threading.Lock()

    def run(self, index: int, units: list[Unit], out_dir: str) -> PartitionResult:
        job = {"index": index, "out_dir": out_dir, "units": [asdict(u) for u in units]}
        with self.lock:
            stdin, stdout = self.process.stdin, self.process.stdout
            assert stdin is not None and stdout is not None  # both are pipes (__init__)
            stdin.write(json.dumps(job) + "\n")
            stdin.flush()
            line = stdout.readline()
        if not line:
            raise RuntimeError(f"batch helper process exited (code {self.process.poll()}) on partition {index}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"partition {index} failed in the helper: {reply['error']}")
        return PartitionResult(**reply)


_shared: Helper | None = None
_shared_lock = threading.Lock()


def shared_helper() -> Helper:
    """The helper of this worker process, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.process.poll() is not None:
            _shared = Helper()
        return _shared
