"""initial schema

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('language', sa.String(length=8), server_default='en', nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('original', sa.LargeBinary(), nullable=False),
    sa.Column('original_sha256', sa.String(length=64), nullable=False),
    sa.Column('original_media_type', sa.String(length=80), nullable=True),
    sa.Column('ingested_at', sa.String(length=32), nullable=False),
    sa.Column('ingest_source', sa.Text(), nullable=True),
    sa.Column('extracted_at', sa.String(length=32), nullable=True),
    sa.Column('extractor_version', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_content_sha256'), ['content_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_published'), ['published'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=12), nullable=False),
    sa.Column('mode', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('contexts', sa.Text(), server_default='|', nullable=False),
    sa.Column('topics', sa.Text(), server_default='|', nullable=False),
    sa.Column('actor_institutions', sa.Text(), server_default='|', nullable=False),
    sa.Column('actors', sa.JSON(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('place_id', sa.String(length=40), nullable=True),
    sa.Column('place_text', sa.Text(), nullable=True),
    sa.Column('admin1', sa.String(length=8), nullable=True),
    sa.Column('precision', sa.Integer(), nullable=True),
    sa.Column('basis', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('date_end', sa.String(length=10), nullable=True),
    sa.Column('date_granularity', sa.String(length=8), nullable=False),
    sa.Column('date_kind', sa.String(length=12), nullable=False),
    sa.Column('date_text', sa.Text(), nullable=True),
    sa.Column('sort_date', sa.String(length=10), nullable=True),
    sa.Column('arrested', sa.Integer(), nullable=True),
    sa.Column('dead', sa.Integer(), nullable=True),
    sa.Column('injured', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('review_status', sa.String(length=12), server_default='pending', nullable=False),
    sa.Column('reviewed_by', sa.String(length=80), nullable=True),
    sa.Column('reviewed_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_admin1'), ['admin1'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_review_status'), ['review_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_sort_date'), ['sort_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_type'), ['type'], unique=False)

    op.create_table('institution_mentions',
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.String(length=60), nullable=True),
    sa.Column('name_in_force', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('candidates', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'start')
    )
    with op.batch_alter_table('institution_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_mentions_institution_id'), ['institution_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('value_max', sa.Float(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('unit', sa.String(length=24), nullable=True),
    sa.Column('place_id', sa.String(length=40), nullable=True),
    sa.Column('admin1', sa.String(length=8), nullable=True),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('sort_date', sa.String(length=10), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('review_status', sa.String(length=12), server_default='pending', nullable=False),
    sa.Column('reviewed_by', sa.String(length=80), nullable=True),
    sa.Column('reviewed_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_review_status'), ['review_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_sort_date'), ['sort_date'], unique=False)

    op.create_table('place_mentions',
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.String(length=40), nullable=True),
    sa.Column('admin1', sa.String(length=8), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('candidates', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'start')
    )
    with op.batch_alter_table('place_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_mentions_admin1'), ['admin1'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_mentions_place_id'), ['place_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('descriptor', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('place_id', sa.String(length=40), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('review_status', sa.String(length=12), server_default='pending', nullable=False),
    sa.Column('reviewed_by', sa.String(length=80), nullable=True),
    sa.Column('reviewed_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_review_status'), ['review_status'], unique=False)
    _create_full_text_search()


def _create_full_text_search() -> None:
    """Substring search, case-insensitive, that works for Korean as for English, on both databases:
    an FTS5 trigram index on SQLite, pg_trgm GIN indexes on PostgreSQL."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE report_fts USING fts5(title, text, content='reports', content_rowid='rowid', tokenize='trigram')")
        op.execute("CREATE TRIGGER reports_fts_ai AFTER INSERT ON reports BEGIN "
                   "INSERT INTO report_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text); END")
        op.execute("CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN "
                   "INSERT INTO report_fts(report_fts, rowid, title, text) VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text); END")
        op.execute("CREATE TRIGGER reports_fts_au AFTER UPDATE OF title, text ON reports BEGIN "
                   "INSERT INTO report_fts(report_fts, rowid, title, text) VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text); "
                   "INSERT INTO report_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text); END")
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_reports_text_trgm ON reports USING gin (text gin_trgm_ops)")
        op.execute("CREATE INDEX ix_reports_title_trgm ON reports USING gin (title gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS report_fts")
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_review_status'))
        batch_op.drop_index(batch_op.f('ix_sources_report_id'))
        batch_op.drop_index(batch_op.f('ix_sources_kind'))

    op.drop_table('sources')
    with op.batch_alter_table('place_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_mentions_place_id'))
        batch_op.drop_index(batch_op.f('ix_place_mentions_admin1'))

    op.drop_table('place_mentions')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_sort_date'))
        batch_op.drop_index(batch_op.f('ix_observations_review_status'))
        batch_op.drop_index(batch_op.f('ix_observations_report_id'))
        batch_op.drop_index(batch_op.f('ix_observations_kind'))

    op.drop_table('observations')
    with op.batch_alter_table('institution_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_mentions_institution_id'))

    op.drop_table('institution_mentions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_type'))
        batch_op.drop_index(batch_op.f('ix_events_sort_date'))
        batch_op.drop_index(batch_op.f('ix_events_review_status'))
        batch_op.drop_index(batch_op.f('ix_events_report_id'))
        batch_op.drop_index(batch_op.f('ix_events_place_id'))
        batch_op.drop_index(batch_op.f('ix_events_admin1'))

    op.drop_table('events')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_published'))
        batch_op.drop_index(batch_op.f('ix_reports_content_sha256'))

    op.drop_table('reports')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    # ### end Alembic commands ###
