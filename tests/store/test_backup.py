"""Backup and restore give back every row of every table, on SQLite and PostgreSQL."""
import json

import pytest
import sqlalchemy as sa

from undercurrent.auth.users import add_user
from undercurrent.collect import ingest_items
from undercurrent.errors import UndercurrentError
from undercurrent.ingest.items import iter_items
from undercurrent.store import schema
from undercurrent.store.backup import backup, restore, table_rows
from undercurrent.store.records import review

REPORT = {"url": "https://example.org/backup", "outlet": "Test Wire", "published": "2021-03-04",
          "text": "Security agents arrested four traders in Chongjin on March 1, a source in North Hamgyong "
                  "Province said. Rice sold for 5,000 won per kilogram at the market."}


def test_backup_then_restore_gives_back_every_table(store, extractor, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REPORT), encoding="utf-8")
    ingest_items(iter_items([str(path)]), store, extractor)
    add_user(store, "keeper", "a long password 1", "admin", by="test")
    with store.engine.connect() as conn:
        event_id = conn.execute(sa.select(schema.events.c.id)).scalars().first()
    review(store, "events", event_id, status="accepted", user="keeper")
    before = table_rows(store)
    assert before["events"] and before["reports"] and before["users"] and before["audit_log"]
    assert "alembic_version" in before

    result = backup(store, tmp_path / "store.backup")
    assert result.bytes > 0 and not (tmp_path / "store.backup.tmp").exists()

    # Everything changes after the backup ...
    with store.engine.begin() as conn:
        conn.execute(schema.reports.delete())
        conn.execute(schema.users.delete())
    add_user(store, "intruder", "a long password 2", "admin", by="test")
    assert table_rows(store) != before

    # ... and the restore brings back exactly what was backed up.
    restore(store, tmp_path / "store.backup")
    assert table_rows(store) == before
    # The restored store still works: a new row can be written after it (sequences included).
    add_user(store, "after", "a long password 3", "viewer", by="test")


def test_restore_refuses_what_is_not_a_backup(store, tmp_path):
    before = table_rows(store)
    (tmp_path / "junk").write_bytes(b"not a backup at all")
    with pytest.raises(UndercurrentError, match="E062"):
        restore(store, tmp_path / "junk")
    with pytest.raises(UndercurrentError, match="E062"):
        restore(store, tmp_path / "missing")
    with pytest.raises(UndercurrentError, match="E062"):
        backup(store, tmp_path / "no-such-folder" / "x.backup")
    assert table_rows(store) == before


def test_sqlite_backup_cannot_go_into_another_kind_of_database(tmp_path):
    import sqlite3

    from undercurrent.store.db import open_store

    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE x (a)")
    other.commit()
    other.close()
    store = open_store(url=f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(UndercurrentError, match="not an Undercurrent store"):
        restore(store, tmp_path / "other.db")
    store.close()
