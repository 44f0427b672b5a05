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

from collections.abc import Iterable

import sqlalchemy as sa

from undercurrent.record_keys import arrival_key
from undercurrent.store import schema

# Created by migration 0013 on PostgreSQL, where concurrent sessions must not draw the same number
SEQUENCE = "report_arrival"


def keyed(rows: dict[str, list[dict]], arrival: int | None) -> dict[str, list[dict]]:
    """A report's rows with its arrival number and record keys for it: copies, the given rows are not
    changed (a save retried after a conflict keys the same rows again). No number: the hashed keys stay."""
    if arrival is None:
        return rows
    return {name: [{**row, "arrival": arrival, "id": arrival_key(arrival, row["id"])} for row in table_rows]
            if name in schema.RECORD_TABLES else [{**row, "arrival": arrival} for row in table_rows]
            for name, table_rows in rows.items()}


# A report's rows (records and mentions) are found by its number, or by its id when it has none: each of
# the two indexes by report holds one kind of report only (schema.py), and a statement must name the
# kind in its condition for the index to serve it.

def of_report(table: sa.Table, report_id: str, arrival: int | None) -> sa.ColumnElement[bool]:
    """The condition on `table` for the rows of one report, given its arrival number (None: unnumbered)."""
    if arrival is None:
        return sa.and_(table.c.arrival.is_(None), table.c.report_id == report_id)
    return table.c.arrival == arrival


def of_reports(table: sa.Table, arrivals: dict[str, int | None]) -> sa.ColumnElement[bool]:
    """The rows of several reports: `arrivals` maps each report id to its number (`arrivals_of`)."""
    numbered = sorted({a for a in arrivals.values() if a is not None})
    unnumbered = sorted(report for report, a in arrivals.items() if a is None)
    parts = ([table.c.arrival.in_(numbered)] if numbered else []) + (
        [sa.and_(table.c.arrival.is_(None), table.c.report_id.in_(unnumbered))] if unnumbered else [])
    return sa.or_(*parts) if parts else sa.false()


def exists_in_same_report(table: sa.Table, arrival: sa.ColumnElement, report_id: sa.ColumnElement,
                          *where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """A row of `table` meeting `where` in the report of another row of the statement (correlated), given
    that row's arrival number and report id columns, e.g. (events.c.arrival, events.c.report_id). One
    EXISTS per kind of report: SQLite planned a single EXISTS with the OR inside on neither index."""
    numbered = sa.exists().where(table.c.arrival == arrival, *where)
    unnumbered = sa.exists().where(table.c.arrival.is_(None), table.c.report_id == report_id, *where)
    return sa.or_(sa.and_(arrival.is_not(None), numbered), sa.and_(arrival.is_(None), unnumbered))


def joins_its_report(table: sa.FromClause, reports: sa.FromClause) -> sa.ColumnElement[bool]:
    """The join of records or mentions (`table`, or an alias of it) to their reports. The number term is
    redundant but lets the planner go from reports to their rows through either index by report (a
    MULTI-INDEX OR on SQLite, a BitmapOr on PostgreSQL, which needs the id inside the second arm too): a
    text search finds reports first, and by id alone it could only walk every event. For such joins only:
    the number is the reports row's last column, past the text, and a statement that walks events and reads
    it for each reads every report's row (search.py)."""
    return sa.and_(table.c.report_id == reports.c.id,
                   sa.or_(table.c.arrival == reports.c.arrival,
                          sa.and_(reports.c.arrival.is_(None), table.c.arrival.is_(None),
                                  table.c.report_id == reports.c.id)))


def arrival_of(conn: sa.Connection, report_id: str) -> int | None:
    return conn.execute(sa.select(schema.reports.c.arrival).where(schema.reports.c.id == report_id)).scalar()


def arrivals_of(conn: sa.Connection, report_ids: Iterable[str]) -> dict[str, int | None]:
    """report id -> its arrival number (None: stored before the numbering), for the stored ones among them."""
    ids, out = sorted(set(report_ids)), dict[str, int | None]()
    r = schema.reports
    for start in range(0, len(ids), _IDS_AT_ONCE):
        out.update(conn.execute(sa.select(r.c.id, r.c.arrival).where(r.c.id.in_(ids[start:start + _IDS_AT_ONCE]))).all())
    return out


_IDS_AT_ONCE = 500


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
