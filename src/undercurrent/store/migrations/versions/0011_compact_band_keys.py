"""band keys are 64-bit integers in one B-tree, without a rowid, an index by report or a foreign key

Revision ID: 0011
Revises: 0010

A save writes its report's 32 LSH band keys (corroborate/reprints.py). The keys hash to random places,
so each lands in a different leaf of the band index, and a store larger than memory (or than SQLite's
2 GB mapping) must read those leaves before writing them: at 300,000 reports a save cost 1.7-2.1x one at
2,000 (bench/load_speed.py --compare). The table was text keys ("07:9f3c...") in a rowid table with an
index on (key, report) and one on report, 5.5 KB a report. Now it is one B-tree of (integer key,
report), about a third of that, so more of it stays in memory. The keys are written again from the
stored signatures; reprint marks do not change, as the same bands meet the same candidates.
"""
import hashlib

import numpy as np
import sqlalchemy as sa
from alembic import context, op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_report_bands_report_id', table_name='report_bands')
    op.drop_table('report_bands')
    op.create_table('report_bands',
    sa.Column('key', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('key', 'report_id'),
    sqlite_with_rowid=False
    )
    from undercurrent.store.clusters import rewrite_bands

    rewrite_bands(op.get_bind(), progress=context.config.attributes.get("progress"))


def _text_bands(signature: bytes) -> list[str]:
    """0004's keys: "<band>:<hex of the band's rows>" (32 bands of 4 rows)."""
    raw = np.frombuffer(signature, dtype="<u8")
    return [f"{band:02d}:{hashlib.blake2b(raw[band * 4:(band + 1) * 4].tobytes(), digest_size=8).hexdigest()}"
            for band in range(32)]


def downgrade() -> None:
    op.drop_table('report_bands')
    bands = op.create_table('report_bands',
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'report_id')
    )
    op.create_index('ix_report_bands_report_id', 'report_bands', ['report_id'], unique=False)
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT report_id, signature FROM report_signatures")).all():
        op.bulk_insert(bands, [{"key": k, "report_id": row.report_id} for k in _text_bands(row.signature)])
