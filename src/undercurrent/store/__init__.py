"""The collection: reports and records in SQLite (default) or PostgreSQL, search, stats."""
