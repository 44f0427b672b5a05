"""A SIGKILL in the middle of an ingest: the database opens, no report is half-stored, a re-run finishes."""
import json
import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from undercurrent.store import schema
from undercurrent.store.db import open_store

TEXT = ("Agents of the Ministry of State Security arrested {n} smugglers in Hyesan on March {d}, "
        "a source in Ryanggang Province said. Rice cost {p} won per kg in the market.")


def test_sigkill_midway_then_rerun(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    total = 120
    for i in range(total):
        report = {"url": f"https://example.org/{i}", "outlet": "Test Wire", "published": "2020-04-01",
                  "text": TEXT.format(n=i % 9 + 2, d=i % 27 + 1, p=4000 + i)}
        (folder / f"r{i:03d}.json").write_text(json.dumps(report), encoding="utf-8")
    db = tmp_path / "crash.db"
    env = {**os.environ, "UNDERCURRENT_DATABASE_URL": f"sqlite:///{db}"}
    command = [sys.executable, "-m", "undercurrent.cli", "ingest", str(folder)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stored = 0
    deadline = time.time() + 120
    for line in proc.stderr:  # kill once some reports are in, well before the end
        stored += line.startswith("[") and "stored" in line
        if stored >= 20 or time.time() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = open_store(url=f"sqlite:///{db}")
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
        reports = conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar_one()
        without_records = conn.execute(sa.text(
            "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id) "
            "OR NOT EXISTS (SELECT 1 FROM observations o WHERE o.report_id = r.id)")).scalar_one()
    store.close()
    assert 20 <= reports < total
    assert without_records == 0  # every stored report came with all its records

    rerun = subprocess.run(command + ["--quiet"], env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - reports} stored" in rerun.stdout and f"{reports} unchanged" in rerun.stdout
