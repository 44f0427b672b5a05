"""Record keys in arrival order: a report's records are keyed by the report's place in the store.

A key made only of a hash (`rows.stable_id`) puts each new record in a random leaf of every B-tree keyed by
record: the records' own tables, cluster memberships, links and cluster summaries. Once those trees outgrow
memory, each save reads a leaf per tree from the disk, and a save at 1,000,000 reports cost about twice one
at 1,000 (bench/RESULTS.md, issue 13). A key that starts with the report's arrival number writes each new
record at the right edge of those trees, where the pages of the last saves already are.

`reports.arrival` numbers reports in the order this store first saved them (migration 0013). A key is
the report's number and part of the record's stable hash (record_keys.py). A re-extraction reads the
stored number, so a record gets the same key again and its review survives. Reports stored before the
numbering have none: their records keep hashed keys, now and at every re-extraction (docs/decisions.md).
"""
from __future__ import annotations

import sqlalchemy as sa

from undercurrent.record_keys import arrival_key
from undercurrent.store import schema

# Created by migration 0013 on PostgreSQL, where concurrent sessions must not draw the same number
SEQUENCE = "report_arrival"


def keyed(rows: dict[str, list[dict]], arrival: int | None) -> dict[str, list[dict]]:
    """A report's rows with record keys for its arrival number: copies, the given rows are not changed
    (a save retried after a conflict keys the same rows again). No number: the hashed keys stay."""
    if arrival is None:
        return rows
    return {name: [{**row, "id": arrival_key(arrival, row["id"])} for row in table_rows]
            if name in schema.RECORD_TABLES else table_rows for name, table_rows in rows.items()}


def next_arrivals(conn: sa.Connection, n: int) -> list[int]:
    """The next `n` arrival numbers, in the caller's transaction, which must be `Store.writing()`.

    SQLite has one writer at a time: the largest stored number is read under the write lock the
    transaction took first, so two saves never take the same number. PostgreSQL writes concurrently and
    draws from a sequence."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        drawn = conn.execute(sa.text(f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, :n)"), {"n": n})
        return sorted(row[0] for row in drawn)
    last = conn.execute(sa.select(sa.func.max(schema.reports.c.arrival))).scalar_one() or 0
    return list(range(last + 1, last + 1 + n))
