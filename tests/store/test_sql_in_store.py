"""All SQL lives in store/ (issue 14): no module outside it builds or runs a query, so a change of table or
of database touches one package. Modules outside store/ call typed functions of store/ modules."""
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "undercurrent"
SQL = re.compile(
    r"^\s*(import sqlalchemy|from sqlalchemy)"      # the query builder itself
    r"|\bsa\.(select|insert|update|delete|text|func)\b"
    r"|\bschema\.\w+\.(c\.|insert\(|update\(|delete\(|select\()"  # a table of store/schema.py used directly
    r"|\.engine\.(begin|connect)\(|\bexec_driver_sql\(",
    re.MULTILINE,
)
# Reasons a module outside store/ may still hold SQL; empty, and each addition needs its reason here.
ALLOWED: dict[str, str] = {}


def test_no_sql_outside_store():
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("store/") or relative in ALLOWED:
            continue
        hits = [m.group(0).strip() for m in SQL.finditer(path.read_text(encoding="utf-8"))]
        if hits:
            offenders[relative] = hits
    assert offenders == {}


def test_the_check_sees_sql():
    sample = "import sqlalchemy as sa\nrows = conn.execute(sa.select(t))\nschema.users.c.id\nstore.engine.begin()\n"
    assert len(SQL.findall(sample)) == 4
