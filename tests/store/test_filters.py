"""One filter model (store/filters.py): the CLI options, the API query parameters and EventFilter's fields
are one list. Nothing here names a filter: a new field is checked without touching this file."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

import click
import pytest

from undercurrent.api.filters import event_filter, filter_query
from undercurrent.cli import cli
from undercurrent.errors import BadFilter
from undercurrent.store.filters import EventFilter, filter_specs

FILTERING_COMMANDS = ("search", "export", "stats")
FIELDS = {f.name for f in fields(EventFilter)}


def _filter_params(command: click.Command) -> dict[str, click.Parameter]:
    return {p.name: p for p in command.params if p.name in FIELDS}


def test_every_field_says_what_it_is_and_where_it_is_offered():
    specs = filter_specs()
    assert [s.name for s in specs] == [f.name for f in fields(EventFilter)]
    for spec in specs:
        assert spec.help and "{" not in spec.help, spec.name
        if spec.param is None and spec.option is None:  # internal: nobody outside sets it, so it filters nothing
            assert not spec.default, spec.name


def test_api_parameters_are_the_fields():
    import inspect

    offered = {s.param: s for s in filter_specs() if s.param is not None}
    assert set(inspect.signature(event_filter).parameters) == set(offered)
    internal = {s.name for s in filter_specs() if s.param is None and s.option is None}
    assert {s.name for s in offered.values()} == FIELDS - internal


def test_openapi_lists_the_fields_with_their_help(app):
    offered = {s.param: s.help for s in filter_specs() if s.param is not None}
    schema = app.openapi()["paths"]
    for path in ("/api/events", "/api/stats", "/api/exports/{fmt}"):
        params = {p["name"]: p.get("description") for p in schema[path]["get"]["parameters"] if p["in"] == "query"}
        assert {name: params.get(name) for name in offered} == offered, path


def test_cli_options_are_the_fields():
    specs = filter_specs()
    shared = {s.name: s for s in specs if s.option is not None}
    offered_on_cli: set[str] = set()
    for name in FILTERING_COMMANDS:
        params = _filter_params(cli.commands[name])
        assert set(shared) <= set(params), name
        for field_name, param in params.items():
            spec = next(s for s in specs if s.name == field_name)
            if field_name in shared:
                assert param.opts == [spec.option], (name, field_name)
            if isinstance(param, click.Option):
                assert param.help == spec.help, (name, field_name)  # the model's words, as in the API
        offered_on_cli |= set(params)
    # Every field the CLI offers, the API offers too (the CLI has no filter of its own).
    assert offered_on_cli <= {s.name for s in specs if s.param is not None}


def test_cli_and_api_refuse_the_same_values(client_for, tmp_path, monkeypatch):
    """A value outside a field's choices is refused by the model: a usage error on the CLI, a 400 from the
    API, with the same message."""
    from click.testing import CliRunner

    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    viewer = client_for("vic")
    for spec in filter_specs():
        if not spec.choices:
            continue
        bad: dict[str, Any] = {spec.name: "no-such-value"}
        with pytest.raises(BadFilter) as refused:
            EventFilter(**bad)
        response = viewer.get("/api/stats", params={spec.param: "no-such-value"})
        assert response.status_code == 400 and str(refused.value) in response.text, spec.name
        if spec.option is not None:
            result = CliRunner().invoke(cli, ["stats", spec.option, "no-such-value"])
            assert result.exit_code == 2 and str(refused.value) in result.output, spec.name


def test_filter_query_gives_the_api_parameters_back():
    f = EventFilter(text="phones", status="occurred", include_rejected=True, count="reports")
    query = filter_query(f)
    assert query == {"q": "phones", "status": "occurred", "count": "reports"}
    params = {s.param: s.name for s in filter_specs() if s.param is not None}
    again: dict[str, Any] = {params[k]: v for k, v in query.items()}
    assert EventFilter(**again) == EventFilter(text="phones", status="occurred", count="reports")
