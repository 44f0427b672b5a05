"""Workbench fixtures (see tests/workbench_support.py)."""
from workbench_support import app, client_for, store, template_db  # noqa: F401
