"""The program of a worker's helper process (started by helper.py): runs the partitions sent on stdin.

`python -m undercurrent.batch.helper_process` reads one JSON job a line on stdin, writes one JSON
result a line on stdout, and exits when stdin closes (so it never outlives its worker)."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from undercurrent.batch.partition import process_inline
from undercurrent.ingest.reader import Unit


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result = process_inline(job["index"], [Unit(**u) for u in job["units"]], job["out_dir"])
            reply = asdict(result)
        except Exception as exc:  # reported to the worker, which raises it as the task's error
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
