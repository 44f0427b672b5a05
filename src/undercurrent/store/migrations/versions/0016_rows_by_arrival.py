"""a report's records and mentions carry its arrival number and are found by it

Revision ID: 0016
Revises: 0015

After 0013 a new report's records were keyed in arrival order, but every index by report was still led by
the report id, a hash: the records' (report_id, review_status) and the mentions' primary key (report_id,
start). A save wrote each of those five trees in a random leaf, 1-1.3 ms a table at a million reports
(bench/RESULTS.md, issue 13). Each of the five tables gets `arrival`, its report's number, and two indexes
by report in place of one: by number for numbered reports, by id for reports stored before 0013 (NULL
number), each partial, so a new report's rows go to the right edge of the first and never into the
second. The mentions lose their primary key for two unique partial indexes; on SQLite that rebuilds their
tables (a minute or two a table at a million reports). Rows of numbered reports get their number: a
record from its key, a mention from its report.
"""
import sqlalchemy as sa
from alembic import context, op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

RECORDS = ('events', 'observations', 'sources')
MENTIONS = {
    'place_mentions': ('report_id VARCHAR(32) NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, '
                       'place_id VARCHAR(40), admin1 VARCHAR(8), text TEXT NOT NULL, candidates TEXT',
                       ('place_id', 'admin1')),
    'institution_mentions': ('report_id VARCHAR(32) NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, '
                             'institution_id VARCHAR(60), name_in_force TEXT, text TEXT NOT NULL, candidates TEXT',
                             ('institution_id',)),
}
COLUMNS = {'place_mentions': 'report_id, start, "end", place_id, admin1, text, candidates',
           'institution_mentions': 'report_id, start, "end", institution_id, name_in_force, text, candidates'}
NUMBERED, UNNUMBERED = sa.text('arrival IS NOT NULL'), sa.text('arrival IS NULL')
# A row's number is its report's, never read from a record's key: a key is only a key (and stores that
# ran unreleased code hold keys in arrival form under reports with no number).
_NUMBERED = ('UPDATE {table} SET arrival = (SELECT r.arrival FROM reports r WHERE r.id = {table}.report_id) '
             'WHERE report_id IN (SELECT id FROM reports WHERE arrival IS NOT NULL)')


def _partial(name: str, table: str, columns: list[str], where, unique: bool = False) -> None:
    op.create_index(name, table, columns, unique=unique, sqlite_where=where, postgresql_where=where)


def _remake(conn, table: str, definition: str, indexed: tuple[str, ...]) -> None:
    """A SQLite mention table made again with `definition`, its rows copied (without their number)."""
    conn.execute(sa.text(f'CREATE TABLE {table}_remade ({definition}, '
                         f'FOREIGN KEY(report_id) REFERENCES reports (id) ON DELETE CASCADE)'))
    conn.execute(sa.text(f'INSERT INTO {table}_remade ({COLUMNS[table]}) SELECT {COLUMNS[table]} FROM {table}'))
    conn.execute(sa.text(f'DROP TABLE {table}'))
    conn.execute(sa.text(f'ALTER TABLE {table}_remade RENAME TO {table}'))
    for column in indexed:
        op.create_index(f'ix_{table}_{column}', table, [column])


def upgrade() -> None:
    conn = op.get_bind()
    say = context.config.attributes.get("progress") or (lambda _line: None)
    busy = conn.execute(sa.text('SELECT id FROM reports LIMIT 1')).first() is not None
    for table in RECORDS:
        op.add_column(table, sa.Column('arrival', sa.BigInteger(), nullable=True))
        if busy:  # (a statement on a table with a data_version trigger renews the token, rows or none)
            conn.execute(sa.text(_NUMBERED.format(table=table)))  # by the index by report, dropped next
        op.drop_index(f'ix_{table}_report_review', table_name=table)
        _partial(f'ix_{table}_report_review', table, ['report_id', 'review_status'], UNNUMBERED)
        _partial(f'ix_{table}_arrival_review', table, ['arrival', 'review_status'], NUMBERED)
        if busy:
            say(f'{table}: indexed by report number')
    for table, (columns, indexed) in MENTIONS.items():
        if conn.dialect.name == 'postgresql':
            op.add_column(table, sa.Column('arrival', sa.BigInteger(), nullable=True))
            op.drop_constraint(f'{table}_pkey', table, type_='primary')
        else:  # a primary key is part of a SQLite table: the table is made again without it
            _remake(conn, table, f'{columns}, arrival BIGINT', indexed)
        _partial(f'ux_{table}_report_start', table, ['report_id', 'start'], UNNUMBERED, unique=True)
        _partial(f'ux_{table}_arrival_start', table, ['arrival', 'start'], NUMBERED, unique=True)
        if busy:
            conn.execute(sa.text(_NUMBERED.format(table=table) + ' AND arrival IS NULL'))
            say(f'{table}: indexed by report number')


def downgrade() -> None:
    conn = op.get_bind()
    for table in RECORDS:
        op.drop_index(f'ix_{table}_arrival_review', table_name=table)
        op.drop_index(f'ix_{table}_report_review', table_name=table)
        op.create_index(f'ix_{table}_report_review', table, ['report_id', 'review_status'])
        op.execute(f'ALTER TABLE {table} DROP COLUMN arrival')  # SQLite 3.35 and later drop in place
    for table, (columns, indexed) in MENTIONS.items():
        op.drop_index(f'ux_{table}_arrival_start', table_name=table)
        op.drop_index(f'ux_{table}_report_start', table_name=table)
        if conn.dialect.name == 'postgresql':
            op.create_primary_key(f'{table}_pkey', table, ['report_id', 'start'])
            op.drop_column(table, 'arrival')
            continue
        _remake(conn, table, f'{columns}, PRIMARY KEY (report_id, start)', indexed)
