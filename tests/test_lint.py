"""The linter and the type checker stay part of `make test`, pinned and configured as docs/decisions.md says."""
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _recipe(target: str) -> list[str]:
    """The recipe lines of one Makefile target, in order."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_test_lints_before_the_tests_run():
    recipe = _recipe("test")
    lint = recipe.index("$(MAKE) lint")
    pytest_line = next(i for i, line in enumerate(recipe) if "pytest" in line)
    assert lint < pytest_line


def test_make_lint_runs_ruff_over_all_python_folders_and_mypy():
    recipe = " ".join(_recipe("lint"))
    assert "$(BIN)/ruff check src tests bench scripts" in recipe
    assert "$(BIN)/mypy" in recipe


def test_ruff_and_mypy_are_pinned_exactly_in_the_test_extra():
    extra = PYPROJECT["project"]["optional-dependencies"]["test"]
    pins = {re.split(r"[=<>~!\[]", spec, maxsplit=1)[0]: spec for spec in extra}
    for tool in ("ruff", "mypy"):
        assert re.fullmatch(rf"{tool}==\d+(\.\d+)+", pins.get(tool, "")), f"{tool} must be pinned with =="


def test_ruff_rule_set():
    ruff = PYPROJECT["tool"]["ruff"]
    assert ruff["target-version"] == "py311"
    assert ruff["line-length"] == 120
    assert {"E", "F", "W", "I", "B", "UP"} <= set(ruff["lint"]["select"])
    # Only the line length is waived (see docs/decisions.md "The house"); every other rule holds.
    assert set(ruff["lint"].get("ignore", [])) <= {"E501"}


def test_mypy_checks_the_package_without_blanket_exemptions():
    mypy = PYPROJECT["tool"]["mypy"]
    assert mypy["files"] == ["src/undercurrent"]
    assert mypy["check_untyped_defs"] is True and mypy["warn_unused_ignores"] is True
    assert "ignore_missing_imports" not in mypy, "list untyped libraries by name in [[tool.mypy.overrides]]"
    for override in mypy.get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not any(m.startswith("undercurrent") for m in modules), "the package itself is never exempted"


def test_type_ignores_name_their_error_code():
    """A bare `# type: ignore` hides every error on its line; each one names the code it silences."""
    bare = [f"{path.relative_to(ROOT)}:{n}"
            for path in sorted((ROOT / "src").rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"#\s*type:\s*ignore(?!\[)", line)]
    assert bare == []


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is installed by `make setup` (test extra)")
def test_ruff_is_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "scripts"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
