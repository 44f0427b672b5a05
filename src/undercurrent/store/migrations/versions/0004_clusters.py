"""corroboration: report signatures and LSH bands, event clusters and their members

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_signatures',
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('reprint_of', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id')
    )
    op.create_index('ix_report_signatures_reprint_of', 'report_signatures', ['reprint_of'], unique=False)
    op.create_table('report_bands',
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'report_id')
    )
    op.create_index('ix_report_bands_report_id', 'report_bands', ['report_id'], unique=False)
    op.create_table('event_clusters',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('n_events', sa.Integer(), nullable=False),
    sa.Column('n_reports', sa.Integer(), nullable=False),
    sa.Column('n_outlets', sa.Integer(), nullable=False),
    sa.Column('n_reprints', sa.Integer(), nullable=False),
    sa.Column('first_reported', sa.String(length=10), nullable=True),
    sa.Column('last_reported', sa.String(length=10), nullable=True),
    sa.Column('type', sa.String(length=12), nullable=False),
    sa.Column('mode', sa.String(length=24), nullable=True),
    sa.Column('admin1', sa.String(length=8), nullable=True),
    sa.Column('place_id', sa.String(length=40), nullable=True),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('disagreements', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_event_clusters_admin1', 'event_clusters', ['admin1'], unique=False)
    op.create_table('cluster_members',
    sa.Column('event_id', sa.String(length=32), nullable=False),
    sa.Column('cluster_id', sa.String(length=32), nullable=False),
    sa.Column('pinned', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('decided_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_index('ix_cluster_members_cluster_id', 'cluster_members', ['cluster_id'], unique=False)
    # The incremental candidate query asks for one type in a window of dates.
    op.create_index('ix_events_type_sort_date', 'events', ['type', 'sort_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_events_type_sort_date', table_name='events')
    op.drop_index('ix_cluster_members_cluster_id', table_name='cluster_members')
    op.drop_table('cluster_members')
    op.drop_index('ix_event_clusters_admin1', table_name='event_clusters')
    op.drop_table('event_clusters')
    op.drop_index('ix_report_bands_report_id', table_name='report_bands')
    op.drop_table('report_bands')
    op.drop_index('ix_report_signatures_reprint_of', table_name='report_signatures')
    op.drop_table('report_signatures')
