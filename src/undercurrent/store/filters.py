"""The event filter: one model behind the options of `search`, `export` and `stats`, the API's query
parameters and the SQL.

Each field of `EventFilter` carries what a user sees of it (`FilterField` in the field's metadata: help
text, allowed values, its query parameter and whether the CLI commands share it as an option). The CLI
options (`undercurrent.cli_options`) and the FastAPI dependency (`undercurrent.api.filters`) are built
from these fields and `store/conditions.py` turns a filter into SQL, so a new filter is a field here and its
condition there. No database and no web stack here: the CLI reads this module when it starts.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, get_type_hints

from undercurrent.dates import check_date
from undercurrent.errors import BadFilter, BadMetadata, UnsupportedLanguage
from undercurrent.ingest.language import normalize_language
from undercurrent.store.filter_values import filter_problem
from undercurrent.store.query import parse_query
from undercurrent.vocabulary import COUNT_UNITS, EVENT_TYPES, LANGUAGES, REVIEW_STATES, SOURCE_KINDS, STATUSES

_METADATA_KEY = "filter"


@dataclass(frozen=True)
class FilterField:
    """What a user sees of one EventFilter field. `help` may name `{choices}`: the allowed values, joined."""

    help: str
    choices: tuple[str, ...] = ()
    # The API query parameter: the field's name unless another is given; None: not a query parameter.
    param: str | None = ""
    # True: an option of every filtering command (`--source-kind` for `source_kind`); False: a command
    # that offers the field declares it itself (`filter_option`), or the CLI does not offer it.
    shared_option: bool = True


def _filter(help: str, *, choices: tuple[str, ...] = (), param: str | None = "", shared_option: bool = True,
            default: Any = None) -> Any:
    return field(default=default, metadata={_METADATA_KEY: FilterField(help, choices, param, shared_option)})


def _or_list(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


@dataclass(frozen=True)
class EventFilter:
    """Which event records a list, count, map or export covers; every field None (or False) means all
    records but the rejected ones. Constructed once per request or command: refused values raise BadFilter."""

    text: str | None = _filter(
        "Full text over reports and quotes: every word counts; \"phrases\", OR, prefix*, -word.",
        param="q", shared_option=False)  # `search QUERY`, `export --text QUERY`
    type: str | None = _filter("PLOVER event type, e.g. COERCE.", choices=EVENT_TYPES)
    mode: str | None = _filter("PLOVER mode, e.g. arrest.")
    status: str | None = _filter("{choices}.", choices=STATUSES)
    province: str | None = _filter("Province id, e.g. KP-10.")
    place: str | None = _filter("Gazetteer place id, e.g. kp-10-hyesan.")
    institution: str | None = _filter("Actor institution id, e.g. ministry_of_state_security.")
    since: str | None = _filter("From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    until: str | None = _filter("Up to the end of this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    outlet: str | None = _filter("Outlet name contains this.")
    source_kind: str | None = _filter("The report has a source of this kind, e.g. in_country_anonymous.",
                                      choices=SOURCE_KINDS)
    topic: str | None = _filter("Event topic, e.g. smuggling.")
    context: str | None = _filter("PLOVER context, e.g. repression.")
    language: str | None = _filter("Report language: {choices}.", choices=LANGUAGES)
    # The review queue is the workbench's: the CLI has never offered it.
    review: str | None = _filter("{choices}.", choices=REVIEW_STATES, shared_option=False)
    # Internal: the review page and page reads see rejected records too; no user sets it.
    include_rejected: bool = _filter("Rejected records too.", param=None, shared_option=False, default=False)
    # What aggregates count; only `stats` offers it on the CLI (default events).
    count: str | None = _filter("Counts of events (clusters of reports telling one event, the default) or reports "
                                "(every report's record).", choices=COUNT_UNITS, shared_option=False)

    # Totals: exact up to 10,000, "about N" above unless asked for exact (store/search.py count_total).
    exact: bool = _filter("Exact totals: count every match however many (slower for broad searches).",
                          shared_option=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "exact", bool(self.exact))  # `?exact=` (None) and False are one filter
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    check_date(value, what=name)
                except BadMetadata as exc:  # E008, as for published dates; "2019-02-30" was a traceback
                    raise BadFilter.because(exc) from None
        if self.language is not None:  # "KO" or "ko-KR" finds Korean reports, "fr" is refused (E009)
            try:
                object.__setattr__(self, "language", normalize_language(self.language))
            except UnsupportedLanguage as exc:
                raise BadFilter.because(exc) from None
        problem = filter_problem({f.name: getattr(self, f.name) for f in fields(self)})
        if problem:
            raise BadFilter(problem)
        if self.text:
            parse_query(self.text)  # BadQuery (E040) now rather than when the query runs
        if self.review is not None and self.review not in REVIEW_STATES:
            raise BadFilter(f"review {self.review!r}: use one of {', '.join(REVIEW_STATES)}")
        if self.count is not None and self.count not in COUNT_UNITS:
            raise BadFilter(f"count {self.count!r}: use events (one per real-world event) or reports")

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, False)}


@dataclass(frozen=True)
class FilterSpec:
    """One EventFilter field as the CLI and the API offer it (FilterField with its name and type resolved)."""

    name: str
    type: Any  # the field's type, e.g. `str | None`
    help: str
    choices: tuple[str, ...]
    param: str | None  # the API query parameter, None when the API does not offer the field
    option: str | None  # the shared CLI option, None when the commands do not share it
    default: Any


@lru_cache(maxsize=1)
def filter_specs() -> tuple[FilterSpec, ...]:
    """The fields of EventFilter, in order, as the CLI and the API offer them (built once: the CLI asks
    for them once per option while it starts)."""
    types = get_type_hints(EventFilter)
    specs = []
    for f in fields(EventFilter):
        meta: FilterField = f.metadata[_METADATA_KEY]
        help = meta.help.format(choices=_or_list(meta.choices))
        param = f.name if meta.param == "" else meta.param
        option = "--" + f.name.replace("_", "-") if meta.shared_option else None
        specs.append(FilterSpec(f.name, types[f.name], help, meta.choices, param, option, f.default))
    return tuple(specs)


def filter_spec(name: str) -> FilterSpec:
    """The spec of one EventFilter field (KeyError for a name that is not a field: a programming error)."""
    return _specs_by_name()[name]


@lru_cache(maxsize=1)
def _specs_by_name() -> dict[str, FilterSpec]:
    return {spec.name: spec for spec in filter_specs()}
