"""reports have no index by content hash

Revision ID: 0015
Revises: 0014

No statement looks a report up by the hash of its text (a report is found by its id, and a changed text
is told from the stored row's hash, read by id), but every save wrote a 64-character hash into the
index at a random leaf: at a million reports one more page read from the disk for nothing.
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_reports_content_sha256', table_name='reports')


def downgrade() -> None:
    op.create_index('ix_reports_content_sha256', 'reports', ['content_sha256'], unique=False)
