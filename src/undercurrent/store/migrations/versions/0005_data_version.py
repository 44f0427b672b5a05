"""data version token; record indexes by report and review state

Revision ID: 0005
Revises: 0004

The workbench caches search pages and totals under the token (store/cache.py). Triggers renew it,
so no writer (ingest, review, a restore, a hand-written UPDATE) can leave a cached answer stale.

(report_id, review_status): without it the re-extraction delete "report_id = ? AND review_status =
'pending'" was planned on the review_status index, a scan of every pending record, so each save
cost more the larger the store (bench/load_speed.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Cluster tables too: counts by real-world event change when a reviewer merges or splits clusters.
_TABLES = ("reports", "events", "sources", "event_clusters", "cluster_members")
_RECORD_TABLES = ("events", "observations", "sources")


def upgrade() -> None:
    for table in _RECORD_TABLES:
        op.create_index(f'ix_{table}_report_review', table, ['report_id', 'review_status'], unique=False)
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO data_version (id, token) VALUES (1, 'initial')")
    if op.get_bind().dialect.name == "sqlite":
        for table in _TABLES:
            for action in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_version_{action.lower()} AFTER {action} ON {table} BEGIN "
                           "UPDATE data_version SET token = hex(randomblob(16)) WHERE id = 1; END")
    else:
        op.execute("CREATE FUNCTION undercurrent_renew_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE data_version SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
                   "RETURN NULL; END $$")
        for table in _TABLES:
            # Once per statement: a bulk insert of 5,000 events renews the token once.
            op.execute(f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION undercurrent_renew_data_version()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _TABLES:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{action}")
    else:
        for table in _TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS undercurrent_renew_data_version()")
    op.drop_table('data_version')
    for table in _RECORD_TABLES:
        op.drop_index(f'ix_{table}_report_review', table_name=table)
