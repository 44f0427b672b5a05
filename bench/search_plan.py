"""Search pages and totals, a base revision (A) against the working tree (B), in one run.

    python bench/search_plan.py [--events N] [--base REV] [--rounds R] [--db PATH]

The base's `src` is taken with `git archive REV` into a temporary folder. N generated events
(bench/store_speed.py's generator, default 100,000) are loaded into SQLite by the base's code (or
PATH, a database at the base's schema, is copied), and a copy is upgraded by the working tree's
migrations. Then the 120-query mix of store_speed.py runs A B A B ... in fresh processes, each
query timed for its page (50 rows) and its total: `count_events` (exact) on A, `count_total` (exact
up to 10,000, about N above) on B when the code has it. p50/p95 in milliseconds; the machine is
shared, so read the ratios within a round.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child process with the code under test first on sys.path.
_MEASURE = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[2])
from store_speed import _queries
from undercurrent.store.db import open_store
from undercurrent.store import search
store = open_store(url="sqlite:///" + sys.argv[1])
total = getattr(search, "count_total", search.count_events)
pages, totals = [], []
for f in _queries():
    start = time.perf_counter()
    search.search_events(store, f, limit=50)
    middle = time.perf_counter()
    total(store, f)
    pages.append((middle - start) * 1000)
    totals.append((time.perf_counter() - middle) * 1000)
def p(values, q):
    values = sorted(values)
    return statistics.median(values) if q == 50 else values[int(len(values) * q / 100) - 1]
print(json.dumps({"page": [p(pages, 50), p(pages, 95)], "total": [p(totals, 50), p(totals, 95)]}))
"""


def _python(src: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--base", default="main", help="git revision of A (default main)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", help="a generated database at the base's schema, copied (not generated)")
    args = parser.parse_args()
    bench = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base, "src"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        a, b = Path(tmp) / "a.db", Path(tmp) / "b.db"
        if args.db:
            shutil.copy(args.db, a)
        else:
            start = time.perf_counter()
            _python(base / "src", "-c", "import sys; sys.path.insert(0, sys.argv[1]); from store_speed import _generate;"
                    "from undercurrent.store.db import open_store; _generate(open_store(url='sqlite:///' + sys.argv[2]),"
                    " int(sys.argv[3]))", str(bench), str(a), str(args.events))
            print(f"generated {args.events:,} events in {time.perf_counter() - start:.1f} s")
        shutil.copy(a, b)
        start = time.perf_counter()
        _python(ROOT / "src", "-c", "import sys; from undercurrent.store.db import open_store; open_store(url='sqlite:///' + sys.argv[1])",
                str(b))
        print(f"B's migrations on the copy: {time.perf_counter() - start:.1f} s")
        print(f"A = {args.base}, B = working tree; 120 queries, 50 rows and the total each (ms)")
        for round_ in range(1, args.rounds + 1):
            out = {}
            for label, src, db in (("A", base / "src", a), ("B", ROOT / "src", b)):
                out[label] = json.loads(_python(src, "-c", _MEASURE, str(db), str(bench)))
            ratio = [out["B"][k][i] / out["A"][k][i] for k in ("page", "total") for i in (0, 1)]
            print(f"  round {round_}: page p50/p95 A {out['A']['page'][0]:.1f}/{out['A']['page'][1]:.1f}"
                  f" B {out['B']['page'][0]:.1f}/{out['B']['page'][1]:.1f}; total p50/p95"
                  f" A {out['A']['total'][0]:.1f}/{out['A']['total'][1]:.1f}"
                  f" B {out['B']['total'][0]:.1f}/{out['B']['total'][1]:.1f};"
                  f" B/A {' '.join(f'{r:.2f}' for r in ratio)}")


if __name__ == "__main__":
    main()
