"""band keys carry their report's window of time in their high bits

Revision ID: 0014
Revises: 0013

A save wrote its report's 32 band keys, hashes, at 32 random leaves of the band index; at a million
reports that index (1.66 GB) was not in memory and the inserts took 14 ms a save of the 24 ms by which a
save had grown since 15,000 reports (bench/RESULTS.md). A key is now its report's window of time (its
publication date, else the day it was stored, in blocks of 91 days) above the band's hash
(corroborate/reprints.py), so a day's saves write neighbouring keys, and a report looks for reprints in
its window and the two beside it. Each stored key keeps its hash and gets its report's window; bands
whose report is gone are dropped (no reader takes them: they have no signature). Reprint marks stay as
they are: copies two windows or more apart keep a mark until the next `cluster --rebuild`.
"""
import sqlalchemy as sa
from alembic import context, op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

HASH_BITS = 48  # corroborate/reprints.py, as of this migration
HASH_MASK = (1 << HASH_BITS) - 1
WINDOWS_AT_ONCE = 20_000


def upgrade() -> None:
    """Every band key made again from its hash and its report's window, in one statement over a table of
    windows, then written back in key order."""
    from undercurrent.corroborate.reprints import window

    conn = op.get_bind()
    if conn.execute(sa.text("SELECT key FROM report_bands LIMIT 1")).first() is None:
        return  # a new store (its tables made silently) or one with no report signed
    say = context.config.attributes.get("progress") or (lambda _line: None)
    conn.execute(sa.text("CREATE TEMPORARY TABLE band_windows (id VARCHAR(32) PRIMARY KEY, w BIGINT NOT NULL)"))
    # `published` only: `ingested_at` comes after the text and the original bytes in a row, and reading it
    # for every report read the whole table (minutes at a million reports); undated reports are few.
    rows = conn.execute(sa.text("SELECT id, published FROM reports")).all()
    undated = [row.id for row in rows if not row.published]
    stored: dict[str, str] = {}
    for start in range(0, len(undated), 500):
        stored.update(conn.execute(sa.text("SELECT id, ingested_at FROM reports WHERE id IN :ids")
                                   .bindparams(sa.bindparam("ids", expanding=True)),
                                   {"ids": undated[start:start + 500]}).all())
    for start in range(0, len(rows), WINDOWS_AT_ONCE):
        conn.execute(sa.text("INSERT INTO band_windows (id, w) VALUES (:id, :w)"),
                     [{"id": row.id, "w": window(row.published, stored.get(row.id))}
                      for row in rows[start:start + WINDOWS_AT_ONCE]])
    say(f"band keys: the windows of {len(rows):,} reports found, writing their keys again")
    conn.execute(sa.text("CREATE TEMPORARY TABLE band_keys AS SELECT "
                         f"((w.w << {HASH_BITS}) | (b.key & {HASH_MASK})) AS key, b.report_id AS report_id "
                         "FROM report_bands b JOIN band_windows w ON w.id = b.report_id"))
    conn.execute(sa.text("DELETE FROM report_bands"))
    conn.execute(sa.text("INSERT INTO report_bands (key, report_id) SELECT DISTINCT key, report_id FROM band_keys "
                         "ORDER BY key, report_id"))
    conn.execute(sa.text("DROP TABLE band_keys"))
    conn.execute(sa.text("DROP TABLE band_windows"))
    say(f"band keys of {len(rows):,} reports written in their windows")


def downgrade() -> None:
    """0011's keys (a band's hash alone, 64 bits) from the stored signatures."""
    from undercurrent.corroborate.reprints import bands, from_bytes

    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM report_bands"))
    after = ""
    while rows := conn.execute(sa.text("SELECT report_id, signature FROM report_signatures WHERE report_id > :after "
                                       "ORDER BY report_id LIMIT 20000"), {"after": after}).all():
        keys = sorted({(key, row.report_id) for row in rows for key in bands(from_bytes(row.signature))})
        conn.execute(sa.text("INSERT INTO report_bands (key, report_id) VALUES (:key, :report_id)"),
                     [{"key": key, "report_id": report_id} for key, report_id in keys])
        after = rows[-1].report_id
