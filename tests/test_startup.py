"""Startup: a command imports only what it needs (issue 13): no web stack, Dask or pyarrow for
`extract` or `search`, no spaCy for `search`. Checked in a fresh interpreter, as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("fastapi", "starlette", "uvicorn", "dask", "distributed", "pyarrow", "pandas")

_PROBE = """
import json, sys
from undercurrent.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted({name.split('.')[0] for name in sys.modules})) + "\\n")
"""


def _imported(args: list[str], env_extra: dict[str, str]) -> set[str]:
    import os

    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env_extra})
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


@pytest.mark.parametrize("command, unwanted", [
    (["extract", "{txt}"], HEAVY),
    (["search", "phones"], HEAVY + ("spacy", "kiwipiepy")),
    (["--help"], HEAVY + ("spacy", "kiwipiepy", "sqlalchemy")),
])
def test_command_imports_only_what_it_needs(tmp_path, command, unwanted):
    txt = tmp_path / "one.txt"
    txt.write_text("Police in Hyesan arrested three traders who sold phones, a source said.", encoding="utf-8")
    args = [part.format(txt=txt) for part in command]
    modules = _imported(args, {"UNDERCURRENT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})
    assert "undercurrent" in modules
    assert not modules & set(unwanted), sorted(modules & set(unwanted))
