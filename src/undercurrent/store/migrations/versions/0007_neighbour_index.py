"""an index for corroboration at save: events of one type and province by date

Revision ID: 0007
Revises: 0006

A saved report's records are compared with the records of their type and province nearest their
date (store/clusters.py `_neighbours`, at most NEIGHBOUR_LIMIT on each side). With (type, sort_date)
alone, the database read every province's records of the type in the window and kept one province's:
the cost of a save grew with the store (bench/load_speed.py). With the province in the index the read
stops after the nearest records. The records with no province are read from a partial index of their
own: PostgreSQL otherwise walked (type, sort_date) and filtered, reading ever more rows as the store grew.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_type_admin1_sort_date', 'events', ['type', 'admin1', 'sort_date'], unique=False)
    op.create_index('ix_events_unplaced_type_sort_date', 'events', ['type', 'sort_date'], unique=False,
                    sqlite_where=sa.text('admin1 IS NULL'), postgresql_where=sa.text('admin1 IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_events_unplaced_type_sort_date', table_name='events')
    op.drop_index('ix_events_type_admin1_sort_date', table_name='events')
