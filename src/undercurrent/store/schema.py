"""Tables of the collection (SQLAlchemy Core). Changes go through an Alembic migration too."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from undercurrent.vocabulary import REVIEW_STATES
from undercurrent.vocabulary import ROLES as ROLES

metadata = sa.MetaData()

# Review states of a machine record. Only `pending` records are replaced when a report is re-extracted.
PENDING, ACCEPTED, EDITED, REJECTED = REVIEW_STATES

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10), index=True),
    sa.Column("language", sa.String(8), nullable=False, server_default="en"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=False),  # read by id, never looked up (migration 0015)
    sa.Column("original", sa.LargeBinary, nullable=False),
    sa.Column("original_sha256", sa.String(64), nullable=False),
    sa.Column("original_media_type", sa.String(80)),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("ingest_source", sa.Text),
    sa.Column("extracted_at", sa.String(32)),
    sa.Column("extractor_version", sa.String(32)),
    # The order this store first saved reports in; record keys start with it (store/arrival.py, migration
    # 0013). None for a report saved before the numbering: its records keep hashed keys.
    sa.Column("arrival", sa.BigInteger, index=True, unique=True),
)

_review: tuple[tuple[str, sa.types.TypeEngine, dict[str, Any]], ...] = (
    ("review_status", sa.String(12), {"nullable": False, "server_default": PENDING, "index": True}),
    ("reviewed_by", sa.String(80), {}),
    ("reviewed_at", sa.String(32), {}),
)


def _review_columns() -> list[sa.Column]:
    return [sa.Column(name, type_, **options) for name, type_, options in _review]


def _arrival_column() -> sa.Column:
    """The arrival number of the row's report (reports.arrival), NULL for a report stored before the
    numbering: a report's rows are found by it, in the order they were written (store/arrival.py)."""
    return sa.Column("arrival", sa.BigInteger)


# Not part of a record as users, exports and the audit log see it: where the store keeps it.
STORAGE_ONLY = frozenset({"arrival"})


def shown_columns(table: sa.Table) -> list[sa.Column]:
    return [column for column in table.c if column.name not in STORAGE_ONLY]


events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("type", sa.String(12), nullable=False, index=True),
    sa.Column("mode", sa.String(24)),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("contexts", sa.Text, nullable=False, server_default="|"),  # "|a|b|": LIKE-filterable everywhere
    sa.Column("topics", sa.Text, nullable=False, server_default="|"),
    sa.Column("actor_institutions", sa.Text, nullable=False, server_default="|"),
    sa.Column("actors", sa.JSON, nullable=False),
    sa.Column("recipients", sa.JSON, nullable=False),
    sa.Column("place_id", sa.String(40), index=True),
    sa.Column("place_text", sa.Text),
    sa.Column("admin1", sa.String(8), index=True),
    sa.Column("precision", sa.Integer),
    sa.Column("basis", sa.String(10), nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("date_start", sa.String(10)),
    sa.Column("date_end", sa.String(10)),
    sa.Column("date_granularity", sa.String(8), nullable=False),
    sa.Column("date_kind", sa.String(12), nullable=False),
    sa.Column("date_text", sa.Text),
    sa.Column("sort_date", sa.String(10)),  # event date, else the report's published date; indexes below
    sa.Column("arrested", sa.Integer),
    sa.Column("dead", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    *_review_columns(),
    _arrival_column(),
)

observations = sa.Table(
    "observations", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, index=True),
    sa.Column("item", sa.Text),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("value_max", sa.Float),
    sa.Column("currency", sa.String(3)),
    sa.Column("unit", sa.String(24)),
    sa.Column("place_id", sa.String(40)),
    sa.Column("admin1", sa.String(8)),
    sa.Column("date_start", sa.String(10)),
    sa.Column("sort_date", sa.String(10), index=True),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    *_review_columns(),
    _arrival_column(),
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("descriptor", sa.Text, nullable=False),
    sa.Column("kind", sa.String(24), nullable=False, index=True),
    sa.Column("place_id", sa.String(40)),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    *_review_columns(),
    _arrival_column(),
)

place_mentions = sa.Table(
    "place_mentions", metadata,
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("place_id", sa.String(40), index=True),
    sa.Column("admin1", sa.String(8), index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("candidates", sa.Text),
    _arrival_column(),
)

institution_mentions = sa.Table(
    "institution_mentions", metadata,
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("institution_id", sa.String(60), index=True),
    sa.Column("name_in_force", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("candidates", sa.Text),
    _arrival_column(),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False, index=True),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("table_name", sa.String(40)),
    sa.Column("record_id", sa.String(64)),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("detail", sa.Text),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(12), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.String(32), nullable=False),
    # Two-factor sign-in: the TOTP secret once confirmed, one awaiting confirmation, and the last time step
    # accepted (a code is good once).
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_pending", sa.String(64)),
    sa.Column("totp_last_step", sa.BigInteger),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.String(80), nullable=False),
    # Only a SHA-256 of the token is kept: a leaked database does not leak working tokens.
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("expires_at", sa.String(32)),
)

# Server-side sessions: the signed cookie carries a random key whose SHA-256 is kept here, so a session can
# be ended (sign-out, password or role change) and has an absolute end however often the cookie is sent.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("key_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
    sa.Column("ended_at", sa.String(32)),
    sa.Column("address", sa.String(64)),
)

# Failed sign-ins by client address and name: what the throttle counts. Rows older than the window go.
login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False, index=True),
    sa.Column("username", sa.String(80), nullable=False),
)

# Single-use recovery codes of two-factor sign-in, kept as SHA-256 (they are random, like API tokens).
recovery_codes = sa.Table(
    "recovery_codes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("code_sha256", sa.String(64), nullable=False),
    sa.Column("used_at", sa.String(32)),
)

RECORD_TABLES = {"events": events, "observations": observations, "sources": sources}
MENTION_TABLES = {"place_mentions": place_mentions, "institution_mentions": institution_mentions}

# A report's rows are found by its arrival number, or, for a report stored before the numbering, by its id
# (store/arrival.py, migration 0016): an index led by the report id, a hash, took each save's rows in a
# random leaf, read from the disk once the index outgrew memory. Each index holds one kind of report only,
# so a save writes neither random leaves nor entries no statement reads. The re-extraction delete
# (report, review_status = 'pending') must not be planned on the review_status index alone: that scans
# every pending record of the store (migration 0005), hence review_status in the records' indexes.
NUMBERED, UNNUMBERED = "arrival IS NOT NULL", "arrival IS NULL"


def _by_report(name: str, table: sa.Table, first: str, second: str, where: str, *, unique: bool = False) -> None:
    condition = sa.text(where)
    sa.Index(name, table.c[first], table.c[second], unique=unique, sqlite_where=condition, postgresql_where=condition)


for _table in RECORD_TABLES.values():
    _by_report(f"ix_{_table.name}_report_review", _table, "report_id", "review_status", UNNUMBERED)
    _by_report(f"ix_{_table.name}_arrival_review", _table, "arrival", "review_status", NUMBERED)
for _table in MENTION_TABLES.values():  # a mention is one per report and offset
    _by_report(f"ux_{_table.name}_report_start", _table, "report_id", "start", UNNUMBERED, unique=True)
    _by_report(f"ux_{_table.name}_arrival_start", _table, "arrival", "start", NUMBERED, unique=True)

# One row whose token triggers renew on every change to reports, events, sources or clusters (migration 0005):
# cached search answers are valid while the token is unchanged (store/cache.py).
data_version = sa.Table(
    "data_version", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("token", sa.String(40), nullable=False),
)

# Corroboration (issue 12). A report's MinHash signature and LSH band keys find its reprints;
# `reprint_of` names the earliest copy. Each event record is a member of one cluster (one
# real-world event); `pinned` members were placed by a reviewer and are never moved by the machine.
report_signatures = sa.Table(
    "report_signatures", metadata,
    sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("signature", sa.LargeBinary, nullable=False),
    sa.Column("reprint_of", sa.String(32), index=True),
)

# One B-tree of (band key, report) and nothing else (migration 0011): a save writes 32 keys that hash to
# random places in it, so its size decides how much of it a large store keeps in memory. Text keys in a
# rowid table with two indexes took 5.5 KB a report (1.6 GB at 300,000 reports). There is no foreign key:
# SQLite would scan the whole table for each deleted report, having no index by report; a band whose report
# is gone has no signature, so no reader takes it for a candidate.
report_bands = sa.Table(
    "report_bands", metadata,
    sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("report_id", sa.String(32), primary_key=True),
    sqlite_with_rowid=False,
)

event_clusters = sa.Table(
    "event_clusters", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("n_reports", sa.Integer, nullable=False),
    sa.Column("n_outlets", sa.Integer, nullable=False),
    sa.Column("n_reprints", sa.Integer, nullable=False),
    sa.Column("first_reported", sa.String(10)),
    sa.Column("last_reported", sa.String(10)),
    sa.Column("type", sa.String(12), nullable=False),
    sa.Column("mode", sa.String(24)),
    sa.Column("admin1", sa.String(8), index=True),
    sa.Column("place_id", sa.String(40)),
    sa.Column("date_start", sa.String(10)),
    sa.Column("disagreements", sa.JSON, nullable=False),
)

cluster_members = sa.Table(
    "cluster_members", metadata,
    sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cluster_id", sa.String(32), nullable=False, index=True),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("decided_by", sa.String(80)),
    sa.Column("decided_at", sa.String(32)),
)

# Links between records, judged when the later one was saved (store/cluster_links.py, migration 0008):
# re-clustering walks them instead of judging every reached record's neighbours again. a < b.
event_links = sa.Table(
    "event_links", metadata,
    sa.Column("a", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("b", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True),
    sa.Column("score", sa.Float, nullable=False),
)

# Corroboration at save reads the records of one type (and province, or none) nearest a date and applies
# the vetoes of status, mode and place to them before reading any row: the indexes carry those columns and
# the id that breaks ties of date (migration 0010; before, (type, sort_date) and 0007's (type, admin1,
# sort_date) only).
NEIGHBOUR_COLUMNS = ("sort_date", "id", "review_status", "status", "mode", "place_id", "precision", "report_id")
sa.Index("ix_events_type_neighbours", events.c.type, *(events.c[n] for n in NEIGHBOUR_COLUMNS))
sa.Index("ix_events_neighbours", events.c.type, events.c.admin1, *(events.c[n] for n in NEIGHBOUR_COLUMNS))
sa.Index("ix_events_unplaced_neighbours", events.c.type, *(events.c[n] for n in NEIGHBOUR_COLUMNS),
         sqlite_where=events.c.admin1.is_(None), postgresql_where=events.c.admin1.is_(None))

# Pages in the default order (date, then report, offset, id) read in index order and stop after the
# page (migration 0006; the descending one is NULLS LAST on PostgreSQL, as search.py orders).
sa.Index("ix_events_sort_desc", events.c.sort_date.desc(), events.c.report_id, events.c.start, events.c.id)
sa.Index("ix_events_sort_asc", events.c.sort_date, events.c.report_id, events.c.start, events.c.id)
