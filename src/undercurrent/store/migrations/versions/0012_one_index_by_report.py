"""records have one index by report: (report_id, review_status), not also one on report_id alone

Revision ID: 0012
Revises: 0011

Migration 0005 added (report_id, review_status) to events, observations and sources, and every query by
report (re-extraction, a report's page, the cascade from reports) can use it, as report_id is its first
column. The index on report_id alone was kept and written at every save: 250 MB at 300,000 reports, with
keys (hashed report ids) that land in a different leaf for each report.
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('events', 'observations', 'sources')


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f'ix_{table}_report_id', table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f'ix_{table}_report_id', table, ['report_id'], unique=False)
