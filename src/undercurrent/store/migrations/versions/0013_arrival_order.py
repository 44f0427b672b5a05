"""reports are numbered in the order the store saved them; new records are keyed by that number

Revision ID: 0013
Revises: 0012

Record keys were hashes, so each save wrote every B-tree keyed by record (records, cluster members,
links, cluster summaries) in a random leaf; at 1,000,000 reports a save read those leaves from the disk
(bench/RESULTS.md, issue 13). Reports saved from now on get an arrival number and their records keys that
start with it (store/arrival.py). Reports already stored get no number: their records keep their keys,
so reviews, the audit log and links that name them stay valid. Adding a column without a value and an
index of nothing but NULLs rewrites no table.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

SEQUENCE = 'report_arrival'  # store/arrival.py draws from it on PostgreSQL


def upgrade() -> None:
    op.add_column('reports', sa.Column('arrival', sa.BigInteger(), nullable=True))
    op.create_index('ix_reports_arrival', 'reports', ['arrival'], unique=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'CREATE SEQUENCE {SEQUENCE}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP SEQUENCE {SEQUENCE}')
    op.drop_index('ix_reports_arrival', table_name='reports')
    op.execute('ALTER TABLE reports DROP COLUMN arrival')  # SQLite 3.35 and later drop in place
