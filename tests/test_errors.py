"""errors.py is the one catalogue of coded errors: one class per code, all of them there, the docs table
generated from it. These tests fail if a coded error is defined elsewhere again or two share a code."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import undercurrent
from undercurrent import errors

ROOT = Path(__file__).resolve().parents[1]


def _every_error_class() -> list[type]:
    """Every UndercurrentError subclass of the package, once every module is imported."""
    for module in pkgutil.walk_packages(undercurrent.__path__, "undercurrent."):
        if not module.name.startswith("undercurrent.store.migrations"):  # run only under alembic
            importlib.import_module(module.name)
    found, pending = [], list(errors.UndercurrentError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("undercurrent."):
            found.append(cls)
    return found


def test_every_error_class_is_defined_in_the_catalogue():
    outside = [f"{cls.__module__}.{cls.__name__}" for cls in _every_error_class() if cls.__module__ != "undercurrent.errors"]
    assert not outside, f"define these in undercurrent/errors.py: {outside}"


def test_no_two_classes_share_a_code():
    codes = [cls.code for cls in errors.catalogue()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(re.fullmatch(r"E\d{3}", code) for code in codes)
    assert errors.UndercurrentError.code not in codes  # E000 is the base class only


def test_every_code_has_a_one_line_meaning():
    for cls in errors.catalogue():
        assert cls.meaning.strip() and "\n" not in cls.meaning and "|" not in cls.meaning, cls.__name__


def test_subclasses_without_their_own_code_share_their_parents_row():
    assert errors.NoSuchUser.code == errors.BadCode.code == errors.BadUser.code
    assert errors.NoSuchUser not in errors.catalogue() and errors.BadUser in errors.catalogue()


def test_the_catalogue_imports_nothing_of_the_package():
    """Any layer may raise these errors, so errors.py must sit below all of them."""
    tree = ast.parse((ROOT / "src" / "undercurrent" / "errors.py").read_text(encoding="utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in imported if name.startswith("undercurrent")]


def _docs_table() -> str:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Error codes\n", 1)[1]
    return section.split("\n## ", 1)[0].strip() + "\n"


def test_docs_error_table_is_generated_from_the_catalogue():
    assert _docs_table() == errors.markdown_table(), \
        "docs/cli.md's error codes are stale: run python scripts/error_table.py --write"


def test_bad_filter_has_a_code_and_names_no_cli_flag():
    from undercurrent.store.search import EventFilter

    with pytest.raises(errors.BadFilter) as refused:
        EventFilter(type="NOT_A_TYPE")
    assert refused.value.code == "E042" and str(refused.value).startswith("E042: type 'NOT_A_TYPE'")
    assert isinstance(refused.value, ValueError)  # callers that caught ValueError still do
    with pytest.raises(errors.BadFilter) as refused:
        EventFilter(until="2019-13")
    # A bad date keeps its own code (E008): its row in the table names the filters.
    assert str(refused.value) == "E008: until '2019-13': there is no month 13"
    assert "--" not in refused.value.message and errors.BadFilter.code == "E042"


def test_not_found_is_not_a_key_error():
    """A KeyError from a bug must not be taken for "no such record" (a 404)."""
    assert not issubclass(errors.NotFound, KeyError) and errors.NotFound.code == "E050"
