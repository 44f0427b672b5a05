"""The event filter's click options, built from EventFilter's fields (store/filters.py) so that the
options of `search`, `export` and `stats` cannot drift from the model or from the API's parameters.

Filter values are checked by EventFilter itself, not by click: the CLI refuses what the API refuses, with
the same message (a usage error, exit 2)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from undercurrent.errors import BadFilter
from undercurrent.store.filters import EventFilter, filter_spec, filter_specs
from undercurrent.store.query import BadQuery

# Longer lists (16 event types) would push every help line aside: their help gives an example instead.
_SHOWN_CHOICES = 6


def filter_option(name: str, *flags: str, **extra: Any) -> Callable:
    """The click option of one EventFilter field: its help, its parameter name (the field's), by default
    the field's own flag (`--source-kind`); `extra` for what one command adds (a default, say)."""
    spec = filter_spec(name)
    if 0 < len(spec.choices) <= _SHOWN_CHOICES:  # shown as click shows a choice; checked by EventFilter
        extra.setdefault("metavar", "[" + "|".join(spec.choices) + "]")
    return click.option(*(flags or ("--" + name.replace("_", "-"),)), name, help=spec.help, **extra)


def filter_options(command: Callable) -> Callable:
    """The filters every filtering command (search, export, stats) takes, in EventFilter's order."""
    for spec in reversed(filter_specs()):
        if spec.option is not None:
            command = filter_option(spec.name, spec.option)(command)
    return command


def filter_from_options(values: dict[str, Any]) -> EventFilter:
    """The EventFilter of a command's options (other keys of `values` are the command's own, left there)."""
    names = {spec.name for spec in filter_specs()}
    try:
        return EventFilter(**{name: values.pop(name) for name in list(values) if name in names})
    except (BadFilter, BadQuery) as exc:
        raise click.UsageError(str(exc)) from None
