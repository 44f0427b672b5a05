"""A type's links judged on several forked processes (corroborate/parallel.py) are the links one process
judges, through the pure function and through `cluster --rebuild`; a worker that fails is an error with
its cause, not a hang or a silently smaller set of links."""
from __future__ import annotations

import itertools
import re

import pytest
import sqlalchemy as sa

from corroboration_support import dense_rows
from undercurrent.corroborate import parallel
from undercurrent.corroborate.clusters import links
from undercurrent.corroborate.compat import linked
from undercurrent.corroborate.neighbours import Blocks
from undercurrent.store import cluster_links, clusters, schema


@pytest.fixture()
def dense_store(store):
    rows = dense_rows(600, seed=11)
    with store.engine.begin() as conn:  # stored without corroboration, as a first load does
        conn.execute(schema.reports.insert(), [r for r, _ in rows])
        conn.execute(schema.events.insert(), [ev for _, ev in rows])
    return store


def _views(store):
    with store.engine.connect() as conn:
        return [cluster_links.view(row) for row in conn.execute(cluster_links.view_query().order_by(schema.events.c.id))]


@pytest.mark.parametrize("workers", [2, 3])
def test_links_judged_on_several_processes_are_the_links_of_one(dense_store, monkeypatch, workers):
    views = _views(dense_store)
    one = links(views)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    assert links(views, workers=workers) == one
    # the workers' parts matter: some links are found from their records only
    blocks = Blocks(views)
    parent = parallel._judge_part(blocks.in_order(), blocks, linked, 0, workers)
    assert len(one) > 200 and len(parent) < len(one)


def test_few_records_are_judged_in_process(dense_store, monkeypatch):
    views = _views(dense_store)
    monkeypatch.setattr(parallel, "_can_fork", lambda: pytest.fail("forked for fewer than PARALLEL_MIN records"))
    assert links(views, workers=2) == links(views)


def test_a_worker_that_fails_is_an_error_with_its_cause(dense_store, monkeypatch):
    views = _views(dense_store)
    ordered = Blocks(views).in_order()
    worker_records = {v.id for v in ordered[len(ordered) // 2:]}  # the second of two runs

    def link(a, b):
        if a.id in worker_records:
            raise ValueError(f"cannot judge {a.id}")
        return linked(a, b)

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    with pytest.raises(RuntimeError, match=r"(?s)a process judging links failed.*ValueError: cannot judge"):
        links(views, link=link, workers=2)


def test_a_rebuild_on_two_processes_stores_what_one_stores(dense_store, monkeypatch):
    def stored():
        with dense_store.engine.connect() as conn:
            found = conn.execute(sa.select(schema.event_links.c.a, schema.event_links.c.b, schema.event_links.c.score)).all()
            members = conn.execute(sa.select(schema.cluster_members.c.event_id, schema.cluster_members.c.cluster_id)).all()
            summaries = conn.execute(sa.select(schema.event_clusters).order_by(schema.event_clusters.c.id)).all()
        return sorted(found), sorted(members), summaries

    one = clusters.rebuild(dense_store, workers=1)
    before = stored()
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    assert clusters.rebuild(dense_store, workers=2) == {**one, "signed": 0}  # signed by the first
    assert stored() == before and len(before[0]) > 200


def test_a_long_judging_tells_how_it_goes(dense_store, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    monkeypatch.setattr(parallel, "PROGRESS_EVERY", 100)
    heard: list[str] = []
    clusters.rebuild(dense_store, progress=heard.append, workers=2)
    judging = [line for line in heard if "links judged" in line]
    counts = {type_: len(list(views)) for type_, views in itertools.groupby(sorted(_views(dense_store), key=lambda v: v.type),
                                                                               key=lambda v: v.type)}
    assert judging and all(line.startswith(("ASSAULT", "COERCE")) for line in judging)
    for line in judging:  # "COERCE: links judged for about 200 of 370 records"
        type_, done, total = re.fullmatch(r"(\w+): links judged for about (\d+) of (\d+) records", line.replace(",", "")).groups()
        assert int(done) % 100 == 0 and int(done) <= int(total) == counts[type_]


def test_workers_are_held_to_what_the_memory_available_can_take(dense_store, monkeypatch):
    gb = 2**30
    monkeypatch.setattr(parallel, "_memory", lambda: (4 * gb, 5 * gb))
    assert parallel.affordable(4) == (2, "judging on 2 of 4 processes: 5.0 GB of memory available, and each would hold about 4.0 GB")
    assert parallel.affordable(1) == (1, None)
    monkeypatch.setattr(parallel, "_memory", lambda: (4 * gb, 64 * gb))
    assert parallel.affordable(4) == (4, None)
    monkeypatch.setattr(parallel, "_memory", lambda: (None, None))  # not Linux: as asked
    assert parallel.affordable(3) == (3, None)

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    monkeypatch.setattr(parallel, "_memory", lambda: (4 * gb, 1 * gb))
    monkeypatch.setattr(parallel.multiprocessing, "get_context", lambda _method: pytest.fail("forked without the memory"))
    heard: list[str] = []
    views = _views(dense_store)
    assert links(views, workers=2, progress=heard.append) == links(views)
    assert heard == ["judging on 1 of 2 processes: 1.0 GB of memory available, and each would hold about 4.0 GB"]


def test_the_memory_is_read_from_the_system():
    own, available = parallel._memory()
    assert own is not None and available is not None  # Linux, as CI
    assert 10 * 2**20 < own < available * 10 and available > 2**28
