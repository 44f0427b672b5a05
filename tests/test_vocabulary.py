"""Each closed list (types, statuses, roles, review states, export formats ...) is written once, in
vocabulary.py, and every other place reads it from there."""
from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import click

from undercurrent import vocabulary
from undercurrent.cli import cli

SRC = Path(vocabulary.__file__).parent
LISTS = {name: value for name, value in vars(vocabulary).items()
         if name.isupper() and isinstance(value, tuple) and len(value) >= 2}
# Modules left to another part of issue 14 (language pipelines as peers rewrite the dispatch by language).
NOT_YET = {"extract/pipeline.py"}


def test_tuples_are_read_from_their_literals():
    literals = [value for name, value in vars(vocabulary).items() if get_args(value) and name[0].isupper()
                and not name.isupper()]
    assert {tuple(get_args(lit)) for lit in literals} >= set(LISTS.values())
    assert vocabulary.REVIEW_STATES == ("pending",) + get_args(vocabulary.ReviewDecision)


def test_no_list_is_written_twice_in_the_code():
    """The first two values of a list, quoted side by side, appear nowhere but in vocabulary.py."""
    found = []
    for name, values in LISTS.items():
        first, second = (re.escape(value) for value in values[:2])
        pattern = re.compile(rf"[\"']{first}[\"'],\s*[\"']{second}[\"']")
        for path in SRC.rglob("*.py"):
            relative = path.relative_to(SRC).as_posix()
            if relative == "vocabulary.py" or relative in NOT_YET:
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                found.append(f"{name} in {relative}")
    assert not found


def test_the_other_places_use_the_same_lists(app):
    from undercurrent import models
    from undercurrent.api import access
    from undercurrent.api.routers.stats import MEDIA_TYPES
    from undercurrent.auth import users
    from undercurrent.export import FORMATS
    from undercurrent.export.profiles import PROFILES
    from undercurrent.ingest.language import SUPPORTED
    from undercurrent.store import schema

    assert models.EVENT_TYPES is vocabulary.EVENT_TYPES and models.STATUSES is vocabulary.STATUSES
    assert get_args(models.Event.model_fields["type"].annotation) == vocabulary.EVENT_TYPES
    assert schema.ROLES is users.ROLES is access.ROLES is vocabulary.ROLES
    assert (schema.PENDING, schema.ACCEPTED, schema.EDITED, schema.REJECTED) == vocabulary.REVIEW_STATES
    assert tuple(FORMATS) == tuple(MEDIA_TYPES) == vocabulary.EXPORT_FORMATS
    assert PROFILES is vocabulary.EXPORT_PROFILES and SUPPORTED is vocabulary.LANGUAGES
    export_params = {p["name"]: p for p in app.openapi()["paths"]["/api/exports/{fmt}"]["get"]["parameters"]}
    assert tuple(export_params["fmt"]["schema"]["enum"]) == vocabulary.EXPORT_FORMATS


def test_cli_choices_are_the_lists():
    def choices(command: click.Command, name: str) -> tuple[str, ...]:
        param = next(p for p in command.params if p.name == name)
        assert isinstance(param.type, click.Choice)
        return tuple(param.type.choices)

    users = cli.commands["users"]
    assert isinstance(users, click.Group)
    assert choices(users.commands["add"], "role") == choices(users.commands["set"], "role") == vocabulary.ROLES
    assert choices(cli.commands["export"], "fmt") == vocabulary.EXPORT_FORMATS
    assert choices(cli.commands["export"], "profile") == vocabulary.EXPORT_PROFILES
    assert choices(cli.commands["evaluate"], "language") == choices(cli.commands["train"], "languages") \
        == vocabulary.LANGUAGES
