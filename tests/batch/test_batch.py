"""Batch extraction: Dask and in-process give identical records; a killed run resumes to the same end."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from undercurrent.batch.runners import plan, run_dask, run_local
from undercurrent.cli import cli
from undercurrent.errors import BatchError

TEMPLATE = ("Agents of the Ministry of State Security arrested {n} smugglers in {place} on March {d}, "
            "a source in {province} said. Rice cost {p} won per kg.")
PLACES = [("Hyesan", "Ryanggang Province"), ("Hoeryong", "North Hamgyong Province"), ("Sinuiju", "North Pyongan Province")]


def make_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        place, province = PLACES[i % 3]
        text = TEMPLATE.format(n=i % 7 + 2, place=place, d=i % 27 + 1, province=province, p=3000 + 10 * i)
        lines.append(json.dumps({"url": f"https://example.org/{i}", "outlet": "Test Wire", "published": "2021-04-02", "text": text}))
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "one.txt").write_text("Police in Chongjin confiscated phones last week.", encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    return folder


def part_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("part-*.jsonl"))}


def test_local_and_dask_give_identical_records(tmp_path):
    corpus = make_corpus(tmp_path / "in", 23)
    local, dask = tmp_path / "local", tmp_path / "dask"
    parts = plan([str(corpus)], local, partition_size=5)
    summary = run_local(parts, local)
    assert (summary.partitions, summary.reports, summary.failed) == (5, 24, 1)
    dask_parts = plan([str(corpus)], dask, partition_size=5)
    dask_summary = run_dask(dask_parts, dask, workers=2)
    assert dask_summary.reports == 24
    assert part_files(local) == part_files(dask)
    assert len({r.pid for r in dask_summary.results}) == 2  # both workers took partitions
    errors = [json.loads(line) for p in local.glob("*.errors.jsonl") for line in p.read_text().splitlines()]
    assert [e["unit"] for e in errors] == [str(corpus / "broken.json")] and "E005" in errors[0]["error"]


def test_rerun_skips_finished_partitions_and_refuses_other_inputs(tmp_path):
    corpus = make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    run_local(plan([str(corpus)], out, partition_size=3), out)
    again = run_local(plan([str(corpus)], out, partition_size=3), out)
    assert again.skipped == again.partitions and again.reports == 0
    with pytest.raises(BatchError):
        plan([str(tmp_path)], out)


def test_killed_run_resumes_to_the_same_records(tmp_path):
    corpus = make_corpus(tmp_path / "in", 40)
    whole = tmp_path / "whole"
    run_local(plan([str(corpus)], whole, partition_size=4), whole)

    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "undercurrent.cli", "batch", str(corpus), "--out", str(killed), "--partition-size", "4"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(killed.glob("part-*[0-9].jsonl"))) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list(killed.glob("part-*[0-9].jsonl")))
    assert 3 <= finished < 11
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 1  # the broken file is reported, the rest extracted
    assert f"{finished} of 11 partitions already done" in rerun.stdout
    assert part_files(killed) == part_files(whole)


def test_batch_records_load_into_the_store(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "in", 5)
    out = tmp_path / "out"
    run_local(plan([str(corpus)], out, partition_size=10), out)
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--records", str(out)])
    assert first.exit_code == 0 and first.stdout.startswith("6 stored")
    assert first.stderr.startswith("signed 6 of 6 reports")  # the first load's rebuild tells how it goes
    again = runner.invoke(cli, ["ingest", "--records", str(out)])
    assert again.output.startswith("0 stored, 6 unchanged")
    assert json.loads(runner.invoke(cli, ["search", "--json"]).output)["total"] >= 6


def test_a_first_load_corroborates_once_with_the_same_result(tmp_path, monkeypatch):
    """Into an empty store `--records` finds reprints and clusters once at the end: the same clusters and
    reprint marks as corroborating at every save. Into a store with reports it corroborates at each save."""
    import sqlalchemy as sa

    from undercurrent.collect import load_batch_records
    from undercurrent.store import schema
    from undercurrent.store.db import open_store

    corpus = make_corpus(tmp_path / "in", 8)
    out = tmp_path / "out"
    run_local(plan([str(corpus)], out, partition_size=10), out)

    def corroboration(store) -> tuple[dict, dict]:
        m, s = schema.cluster_members, schema.report_signatures
        with store.engine.connect() as conn:
            return (dict(conn.execute(sa.select(m.c.event_id, m.c.cluster_id)).all()),
                    dict(conn.execute(sa.select(s.c.report_id, s.c.reprint_of)).all()))

    first_load = open_store(url=f"sqlite:///{tmp_path / 'first.db'}")
    saved_each = open_store(url=f"sqlite:///{tmp_path / 'each.db'}")
    calls = []
    import undercurrent.store.clusters as clusters
    real_rebuild = clusters.rebuild
    monkeypatch.setattr(clusters, "rebuild", lambda store, **kw: calls.append(store) or real_rebuild(store, **kw))
    heard: list[str] = []
    try:
        assert load_batch_records(out, first_load, corroboration_progress=heard.append).stored == 9
        assert heard[0] == "signed 9 of 9 reports"  # the rebuild after a first load tells how it goes
        assert load_batch_records(out, saved_each, defer_corroboration=False).stored == 9
        assert calls == [first_load]
        clustered, marks = corroboration(first_load)
        assert len(clustered) > 0 and len(marks) == 9
        assert (clustered, marks) == corroboration(saved_each)
        # a second load into the (now not empty) store adds nothing and rebuilds nothing
        assert load_batch_records(out, first_load).unchanged == 9 and calls == [first_load]
    finally:
        first_load.close()
        saved_each.close()
