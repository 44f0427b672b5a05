"""Links between records are judged once, when the later record is saved, and stored (store/cluster_links.py):
a save judges its own records only, the stored links are the rebuild's where the bounds are not reached,
a rejected record links to nothing, and migration 0008 judges the links of a store saved before."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from corroboration_support import event_rows, save_rows
from undercurrent.store import cluster_links, clusters, schema
from undercurrent.store.db import open_store
from undercurrent.store.records import review


def stored_links(store) -> set[tuple[str, str, float]]:
    t = schema.event_links
    with store.engine.connect() as conn:
        return {(a, b, round(w, 9)) for a, b, w in conn.execute(sa.select(t.c.a, t.c.b, t.c.score)).all()}


def memberships(store) -> dict[str, str]:
    m = schema.cluster_members
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(m.c.event_id, m.c.cluster_id)).all())


def test_links_stored_at_save_are_the_rebuilds(gold_store):
    store, _gold, _ids = gold_store
    incremental, grouped = stored_links(store), memberships(store)
    assert incremental and all(a < b for a, b, _w in incremental)
    clusters.rebuild(store)
    assert stored_links(store) == incremental
    assert memberships(store) == grouped


def test_a_rejected_record_links_to_nothing(gold_store):
    store, _gold, _ids = gold_store
    event = sorted(stored_links(store))[0][0]
    review(store, "events", event, status="rejected", user="ana")
    assert not [link for link in stored_links(store) if event in link[:2]]
    assert event not in memberships(store)


def _save(store, n: int, day: date) -> str:
    report, event = event_rows(n, day=day, place="kp-09-hyesan", precision=4, quote="guards arrested phone traders")
    save_rows(store, report, event)
    return event["id"]


def test_a_save_judges_its_own_records_only(store, monkeypatch):
    """Twelve mentions of one event: the twelfth save judges its one record's neighbours, not again those
    of the eleven it reaches (before links were stored it judged up to CLOSURE_LIMIT records per save)."""
    ids = [_save(store, n, date(2021, 8, 14)) for n in range(11)]
    judged: list[str] = []
    real = cluster_links.neighbours
    monkeypatch.setattr(cluster_links, "neighbours", lambda conn, record: judged.append(record.id) or real(conn, record))
    ids.append(_save(store, 11, date(2021, 8, 14)))
    assert judged == [ids[-1]]
    grouped = memberships(store)
    assert len({grouped[i] for i in ids}) == 1  # still one cluster, reached through stored links
    links = stored_links(store)
    assert any(ids[-1] in link[:2] for link in links)
    clusters.rebuild(store)
    assert memberships(store) == grouped


def test_migration_0008_judges_the_links_of_a_store_saved_before(gold_store):
    from alembic import command

    from undercurrent.store.db import _alembic_config

    store, _gold, _ids = gold_store
    clusters.rebuild(store)
    before = stored_links(store)
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
        assert "event_links" not in sa.inspect(conn).get_table_names()
    reopened = open_store(url=store.url)
    try:
        assert before and stored_links(reopened) == before
    finally:
        reopened.close()


def test_postgresql_judges_with_generic_plans_and_no_parallel_workers_and_restores_the_settings(store, monkeypatch):
    """The neighbour statement was planned afresh at every run on PostgreSQL, and its generic plan started
    parallel workers in a large store; `judge` asks for generic plans without workers while it judges and
    gives the transaction back as it was."""
    seen: list[str] = []
    real = cluster_links.neighbours

    def spying(conn, record):
        if conn.dialect.name == "postgresql":
            seen.append(tuple(conn.exec_driver_sql(f"SHOW {name}").scalar_one() for name in ("plan_cache_mode", "max_parallel_workers_per_gather")))
        return real(conn, record)

    monkeypatch.setattr(cluster_links, "neighbours", spying)
    first = _save(store, 0, date(2021, 8, 14))
    _save(store, 1, date(2021, 8, 14))
    with store.engine.begin() as conn:
        cluster_links.drop(conn, [first])
        assert cluster_links.judge(conn, list(cluster_links.views(conn, [first]).values()))
        if store.dialect == "postgresql":
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "auto"
            assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar_one() != "0"
    assert seen == ([("force_generic_plan", "0")] * 3 if store.dialect == "postgresql" else [])
