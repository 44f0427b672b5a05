"""The migrations make the tables, indexes and keys schema.py declares (alembic's own comparison), on
SQLite and on PostgreSQL: a migration that forgets what schema.py says, or the reverse, fails here."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from undercurrent.store import schema

# Made by migrations for one database only, not declared: SQLite's full-text index (a virtual table and its
# shadow tables) and PostgreSQL's trigram indexes for search
MADE_BY_MIGRATION = {"report_fts", "report_fts_data", "report_fts_idx", "report_fts_docsize", "report_fts_config",
                     "ix_reports_text_trgm", "ix_reports_title_trgm"}
# Declared for both, made differently on PostgreSQL (NULLS LAST, as search orders; SQLite's index has no such
# clause, its NULLs sort first in ascending order, last in descending)
DIALECT_FORM = {"ix_events_sort_desc"}


def _differences(store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    named = [(d[0], d[1].name) for d in found]
    return [(kind, name) for kind, name in named if name not in MADE_BY_MIGRATION
            and not (store.engine.dialect.name == "postgresql" and name in DIALECT_FORM)]


def test_the_migrated_schema_is_the_declared_one(store):
    assert _differences(store) == []
