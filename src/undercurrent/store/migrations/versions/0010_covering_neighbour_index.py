"""the neighbour indexes carry the columns corroboration's vetoes read

Revision ID: 0010
Revises: 0009

A save reads, for each of its records, the 30 records of its type and province nearest its date and
keeps the 5 nearest that no veto of status, mode or place excludes (store/cluster_links.py). With
(type, admin1, sort_date) alone every one of the 30 was looked up in the table, with its report and
signature, before the vetoes ran: in a store larger than the page cache those lookups were most of a
save's reads and grew with the store (bench/load_speed.py --probe). The indexes now carry the vetoed
columns, so only the kept records are read. The index for a record with no province, which reads
every province, replaces (type, sort_date): with ties of date broken by id, PostgreSQL's generic plan
sorted all of a type's records for it (300 ms a record at 100,000 reports).
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = ['sort_date', 'id', 'review_status', 'status', 'mode', 'place_id', 'precision', 'report_id']


def upgrade() -> None:
    op.drop_index('ix_events_type_sort_date', table_name='events')
    op.drop_index('ix_events_unplaced_type_sort_date', table_name='events')
    op.drop_index('ix_events_type_admin1_sort_date', table_name='events')
    op.create_index('ix_events_type_neighbours', 'events', ['type', *COLUMNS], unique=False)
    op.create_index('ix_events_neighbours', 'events', ['type', 'admin1', *COLUMNS], unique=False)
    op.create_index('ix_events_unplaced_neighbours', 'events', ['type', *COLUMNS], unique=False,
                    sqlite_where=sa.text('admin1 IS NULL'), postgresql_where=sa.text('admin1 IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_events_unplaced_neighbours', table_name='events')
    op.drop_index('ix_events_neighbours', table_name='events')
    op.drop_index('ix_events_type_neighbours', table_name='events')
    op.create_index('ix_events_type_sort_date', 'events', ['type', 'sort_date'], unique=False)
    op.create_index('ix_events_type_admin1_sort_date', 'events', ['type', 'admin1', 'sort_date'], unique=False)
    op.create_index('ix_events_unplaced_type_sort_date', 'events', ['type', 'sort_date'], unique=False,
                    sqlite_where=sa.text('admin1 IS NULL'), postgresql_where=sa.text('admin1 IS NULL'))
