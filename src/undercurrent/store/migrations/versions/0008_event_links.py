"""stored links between event records

Revision ID: 0008
Revises: 0007

Corroboration at save re-clustered the records reachable from a new report by judging each reached
record's neighbours again (store/clusters.py): up to 25 neighbour searches and hundreds of judgements
per save once the store was dense, so a save cost three times more at 9,000 reports than at 1,000
(bench/load_speed.py). A link is now judged once, when the later of its records is saved, and kept
here. The links of the records already stored are judged now, as `cluster --rebuild` does (every
record is read into memory once).
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_links',
    sa.Column('a', sa.String(length=32), nullable=False),
    sa.Column('b', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['a'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['b'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('a', 'b')
    )
    op.create_index('ix_event_links_b', 'event_links', ['b'], unique=False)
    from undercurrent.store.cluster_links import rewrite_all

    for _records, _links in rewrite_all(op.get_bind()):
        pass  # each type's links are stored as it goes


def downgrade() -> None:
    op.drop_index('ix_event_links_b', table_name='event_links')
    op.drop_table('event_links')
