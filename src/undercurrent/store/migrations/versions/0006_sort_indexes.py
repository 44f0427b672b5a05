"""sort indexes on events for the default order, both directions

Revision ID: 0006
Revises: 0005

A page of events sorted by date (newest first is the default) is ordered by sort_date, then
report_id, start and id. With an index in exactly that order the database reads a page by walking
the index and stops after it; with the old single-column ix_events_sort_date it sorted every
matching row first (a temp B-tree over ~900,000 rows for a broad text query at a million events).
The text planner (store/plan.py) walks these indexes. PostgreSQL needs NULLS LAST spelled out for
the descending index (its default puts NULLs first there); SQLite puts NULLs last in a descending
index already and does not accept NULLS LAST in an index definition.
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    nulls = "" if op.get_bind().dialect.name == "sqlite" else " NULLS LAST"
    op.execute(f"CREATE INDEX ix_events_sort_desc ON events (sort_date DESC{nulls}, report_id, start, id)")
    op.execute("CREATE INDEX ix_events_sort_asc ON events (sort_date, report_id, start, id)")
    # Both new indexes begin with sort_date: the single-column index only cost writes.
    op.drop_index('ix_events_sort_date', table_name='events')


def downgrade() -> None:
    op.create_index('ix_events_sort_date', 'events', ['sort_date'], unique=False)
    op.drop_index('ix_events_sort_asc', table_name='events')
    op.drop_index('ix_events_sort_desc', table_name='events')
