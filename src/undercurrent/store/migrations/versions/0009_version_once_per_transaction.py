"""PostgreSQL: the data version is renewed once per transaction, not once per statement

Revision ID: 0009
Revises: 0008

psycopg runs an executemany as one statement per row (pipeline mode), so the statement-level trigger
of migration 0005 updated the one data_version row once per inserted row: saving 1,000 reports in one
transaction rewrote it tens of thousands of times, and each update walked the row's chain of versions
made earlier in the same transaction (none can be pruned before it commits). Generating 1,000,000
events in one transaction did not finish in an hour. A reader sees the new token only when the
transaction commits, with all its changes, so renewing it once per transaction is enough; the
transaction remembers that it did in a transaction-local setting. SQLite is unchanged (an update of
a row in place, no versions).
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_ONCE = """CREATE OR REPLACE FUNCTION undercurrent_renew_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('undercurrent.version_renewed', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE data_version SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1;
    PERFORM set_config('undercurrent.version_renewed', txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$"""
_EACH = ("CREATE OR REPLACE FUNCTION undercurrent_renew_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
         "UPDATE data_version SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
         "RETURN NULL; END $$")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_EACH)
