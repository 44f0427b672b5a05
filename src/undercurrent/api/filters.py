"""The event filter as query parameters, shared by the API, the pages and the map.

The parameters are built from EventFilter's fields (store/filters.py): their names, types and
descriptions are the model's, and the values are checked by the model (a refused value is a BadFilter,
a 400 in api/app.py), as they are for the CLI."""
from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import Depends, Query

from undercurrent.store.filters import EventFilter, filter_specs

# Past this an offset is no paging anyone does, and 2^63 overflowed the database driver (a 500).
MAX_OFFSET = 1_000_000_000


def _filter_dependency():
    """A FastAPI dependency taking one query parameter per offered EventFilter field, giving the EventFilter.
    FastAPI reads a dependency's parameters from its signature: the signature is built from the fields."""
    offered = {spec.param: spec for spec in filter_specs() if spec.param is not None}

    def event_filter(**values: Any) -> EventFilter:
        # An empty parameter (a form's blank select, `?type=`) is no filter.
        given: dict[str, Any] = {offered[param].name: (value or None) for param, value in values.items()}
        return EventFilter(**given)

    event_filter.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(param, inspect.Parameter.KEYWORD_ONLY, default=spec.default,
                           annotation=Annotated[spec.type, Query(description=spec.help)])
         for param, spec in offered.items()],
        return_annotation=EventFilter)
    return event_filter


event_filter = _filter_dependency()
FILTER_NAMES: tuple[str, ...] = tuple(inspect.signature(event_filter).parameters)
Filters = Annotated[EventFilter, Depends(event_filter)]


def filter_query(f: EventFilter) -> dict[str, str]:
    """The filter as query parameters again (for links that keep the user's filters)."""
    param_of = {spec.name: spec.param for spec in filter_specs() if spec.param is not None}
    return {param_of[k]: str(v) for k, v in f.as_dict().items() if k in param_of}
