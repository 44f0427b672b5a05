"""Keyset paging: a page named by the last row of the one before it, not by how many rows to skip.

OFFSET reads and throws away every earlier row, so page 40 costs 40 pages. A cursor holds the values of
the order columns (conditions.order_keys) of a page's last row, and the next page is the rows strictly
after them in the same order: the database seeks to them on the sort index (migration 0006) and reads one
page. Cursors are opaque to users (urlsafe base64 of compact JSON) and carry their sort, so a cursor of
one order is never read as a position in another.

NULLs sort last in the leading columns, and no comparison is true for NULL, so "after" is spelled out per
column rather than as one row value; the sort key may be descending while the tie-breakers ascend, which
rules a single row value out too. The tie-breakers (report, offset, id) are never NULL and all ascend:
they are one row-value comparison, which both databases answer from an index.
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from undercurrent.errors import BadFilter
from undercurrent.store.conditions import TIE_BREAK, order_keys

# A cursor holds a handful of short values; anything far longer is not one of ours.
MAX_CURSOR = 512


def cursor_of(row: Mapping[str, Any], sort: str) -> str:
    """The cursor naming `row` as the last row of a page in `sort` order."""
    values = [row[column.name] for column, _ in order_keys(sort)]
    raw = json.dumps([sort, values], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(cursor: str, sort: str) -> list[Any]:
    """The order-column values a cursor holds; BadFilter (a 400) for anything that is not a cursor of
    this sort, so a mangled link is a clear refusal, never a 500 or a page of some other order."""
    keys = order_keys(sort)
    refused = BadFilter(f"after {cursor[:40]!r}: not a cursor of this search (use the 'next' of a page "
                        f"sorted by {sort!r})")
    if not cursor or len(cursor) > MAX_CURSOR:
        raise refused
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):  # bad base64, bytes that are not UTF-8, not JSON
        raise refused from None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list) and len(data[1]) == len(keys)):
        raise refused
    if data[0] != sort:
        raise BadFilter(f"after: a cursor of sort {str(data[0])[:20]!r}, this search is sorted by {sort!r}: "
                        "start again from the first page")
    for (column, _), value in zip(keys, data[1], strict=True):
        if value is None and column.nullable:
            continue
        expected = int if isinstance(column.type, sa.Integer) else str
        # bool is an int to Python, never an offset.
        if not isinstance(value, expected) or isinstance(value, bool):
            raise refused
    return data[1]


def _tie_break(keys: list[tuple[sa.Column[Any], bool]], values: list[Any]) -> sa.ColumnElement[bool]:
    return sa.tuple_(*(column for column, _ in keys)) > sa.tuple_(*(sa.literal(v) for v in values))


def _beyond(column: sa.Column[Any], descending: bool, value: Any) -> sa.ColumnElement[bool]:
    return column < value if descending else column > value


def _strictly_after(keys: list[tuple[sa.Column[Any], bool]], values: list[Any]) -> sa.ColumnElement[bool]:
    """Rows after `values` on `keys` (NULLs last), column by column down to the tie-breakers."""
    if len(keys) == TIE_BREAK:
        return _tie_break(keys, values)
    (column, descending), value = keys[0], values[0]
    later = _strictly_after(keys[1:], values[1:])
    if value is None:  # nothing sorts after NULL in this column but other NULLs, ordered by the rest
        return sa.and_(column.is_(None), later)
    beyond = _beyond(column, descending, value)
    if column.nullable:
        beyond = sa.or_(beyond, column.is_(None))
    return sa.or_(beyond, sa.and_(column == value, later))


def branches(sort: str, values: list[Any]) -> list[sa.ColumnElement[bool]]:
    """The rows after the cursor `values` as conditions to read one after the other, each ordered the
    search's way: every row of the first comes before every row of the second. The leading column gets
    a plain bound (`sort_date <= v`) that the database can seek on; with `OR sort_date IS NULL` in the
    same condition SQLite scans the index from its first row instead (EXPLAIN: SCAN, not SEARCH), so the
    NULLs that follow a non-NULL key are a branch of their own."""
    keys = order_keys(sort)
    (column, descending), value = keys[0], values[0]
    rest = _strictly_after(keys[1:], values[1:])
    if value is None:
        return [sa.and_(column.is_(None), rest)]
    bound = column <= value if descending else column >= value
    out = [sa.and_(bound, sa.or_(_beyond(column, descending, value), sa.and_(column == value, rest)))]
    if column.nullable:
        out.append(column.is_(None))
    return out


def after_condition(sort: str, values: list[Any]) -> sa.ColumnElement[bool]:
    """Every row after the cursor as one condition (for unpaged reads, where one statement is simpler)."""
    return sa.or_(*branches(sort, values))
