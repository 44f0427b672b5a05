"""The benchmark and maintenance scripts import what the package really has.

They run outside the test suite (`make bench`, by hand), so a module or name moved inside the package
would break them unseen; ruff cannot tell, since the name exists nowhere to compare. This reads their
`from undercurrent... import ...` lines, at the top and inside functions, and resolves every name."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*ROOT.glob("bench/*.py"), *ROOT.glob("scripts/*.py")])


def _package_imports(path: Path) -> list[tuple[str, str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "undercurrent":
            found += [(node.module, alias.name, node.lineno) for alias in node.names]
    return found


def test_the_scripts_are_read():
    assert len(SCRIPTS) >= 5
    assert any(_package_imports(path) for path in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_name_a_script_imports_exists(path):
    missing = []
    for module, name, line in _package_imports(path):
        try:
            loaded = importlib.import_module(module)
            if not hasattr(loaded, name):
                importlib.import_module(f"{module}.{name}")  # a submodule (from package import module)
        except ImportError:
            missing.append(f"{path.name}:{line} from {module} import {name}")
    assert missing == []
