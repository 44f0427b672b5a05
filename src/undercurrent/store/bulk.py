"""Writing millions of rows at once (`cluster --rebuild`, migration 0008): how, on each database.

On SQLite, three costs of an ordinary insert dominate a rebuild's writes, none of which a rebuild needs
(bench/RESULTS.md, 1.27 million links at 100,000 reports: 12.2 s as a save writes them, 3.7 s without):
- SQLAlchemy's work per row (binding each dict to the compiled statement): rows go to the driver's
  executemany as tuples, through the column types' own bind processors;
- a foreign-key lookup of both records of each link in the events index: the rebuild writes only ids it
  has just read in its own transaction, which holds the only write lock, so the checks are off on its
  connection (`foreign_keys_off`) and back on when it is done;
- a random insert into each secondary index of the table, per row: the indexes of the rewritten tables
  are dropped and created again, by one sort each, inside the same transaction (`indexes_set_aside`), so
  a failure leaves them as they were.
PostgreSQL keeps SQLAlchemy's batched multi-row VALUES; its indexes and checks stay (dropping an index
would lock readers out of the table until the rebuild commits)."""
from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Iterable, Iterator

import sqlalchemy as sa


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[dict], chunk: int = 5000) -> None:
    """Many rows (dicts with the same keys) in statements of `chunk` rows, made as they are written: a
    million reports' rows are never in memory at once."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    rows = itertools.chain([first], rows)
    if conn.dialect.name != "sqlite":
        while batch := list(itertools.islice(rows, chunk)):
            conn.execute(table.insert(), batch)
        return
    columns = tuple(first)
    sql, processors = _plain_insert(conn.dialect, table, columns)
    while batch := list(itertools.islice(rows, chunk)):
        conn.exec_driver_sql(sql, [tuple(row[c] if p is None else p(row[c])
                                         for c, p in zip(columns, processors, strict=True)) for row in batch])


@functools.cache
def _plain_insert(dialect: sa.Dialect, table: sa.Table, columns: tuple[str, ...]) -> tuple[str, list]:
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    return sql, [table.c[c].type.bind_processor(dialect) for c in columns]


@contextlib.contextmanager
def foreign_keys_off(conn: sa.Connection) -> Iterator[None]:
    """SQLite: foreign keys unchecked on this connection while the block runs (the pragma takes effect only
    outside a transaction: call it before `conn.begin()`). Elsewhere: nothing."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


@contextlib.contextmanager
def indexes_set_aside(conn: sa.Connection, tables: Iterable[sa.Table]) -> Iterator[None]:
    """SQLite: the secondary indexes of `tables` dropped while the block writes, and created again after it
    (in the caller's transaction). Elsewhere: nothing."""
    if conn.dialect.name != "sqlite":
        yield
        return
    if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # Python's sqlite3 opens its transaction at the first write: a DROP before it would commit at once.
        conn.exec_driver_sql("BEGIN")
    names = [t.name for t in tables]
    found = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                 "AND tbl_name IN :tables ORDER BY name").bindparams(
        sa.bindparam("tables", expanding=True)), {"tables": names}).all()
    for name, _sql in found:
        conn.exec_driver_sql(f"DROP INDEX {conn.dialect.identifier_preparer.quote(name)}")
    yield
    for _name, sql in found:
        conn.exec_driver_sql(sql)
