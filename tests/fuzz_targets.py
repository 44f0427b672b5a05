"""Parsers the outside world reaches, as fuzz targets shared by tests/fuzz and bench/fuzz.py. Each target
takes one input and raises Unexpected when the code under test fails other than with a coded error (an
UndercurrentError, or a BadFilter for filters, which the API turns into a 400)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from undercurrent.errors import BadFilter, BadQuery, UndercurrentError
from undercurrent.ingest.feeds import feed_entries
from undercurrent.ingest.items import iter_items
from undercurrent.models import Report
from undercurrent.store.filters import filter_specs
from undercurrent.store.search import EventFilter

FILE_SUFFIXES = (".txt", ".json", ".jsonl", ".html")
# The filters the outside world can set: those the API offers (the CLI offers no others).
FILTER_FIELDS = tuple(spec.name for spec in filter_specs() if spec.param is not None)
_counter = itertools.count()


class Unexpected(AssertionError):
    """The input made the code fail other than with a coded error."""


def parse_file(data: bytes, suffix: str, folder: Path) -> list:
    """Read `data` as a report file with `suffix` the way `ingest` does: every item is a Report or a coded error."""
    path = folder / f"fuzz{next(_counter)}{suffix}"
    path.write_bytes(data)
    try:
        items = list(iter_items([str(path)]))
    except UndercurrentError:
        return []
    except Exception as exc:  # noqa: BLE001  (what the fuzzer is looking for)
        raise Unexpected(f"{suffix} file: {type(exc).__name__}: {exc}") from exc
    finally:
        path.unlink(missing_ok=True)
    for item in items:
        if item.error is not None:
            if not isinstance(item.error, UndercurrentError):
                raise Unexpected(f"{suffix} item error is not coded: {item.error!r}")
            continue
        if not isinstance(item.report, Report) or not item.report.text.strip():
            raise Unexpected(f"{suffix} item without a usable report: {item!r}")
        if item.report.url is not None and not item.report.url.lower().startswith(("http://", "https://")):
            raise Unexpected(f"{suffix} report kept a URL that is not http(s): {item.report.url!r}")
    return items


def parse_feed(data: bytes) -> list:
    try:
        entries = feed_entries(data, name="fuzz-feed")
    except UndercurrentError:
        return []
    except Exception as exc:  # noqa: BLE001
        raise Unexpected(f"feed: {type(exc).__name__}: {exc}") from exc
    for entry in entries:
        if not isinstance(entry.link, str) or not entry.link:
            raise Unexpected(f"feed entry without a link: {entry!r}")
    return entries


def make_filter(values: dict) -> EventFilter | None:
    """An EventFilter from outside values, or None when they are refused with a coded error: BadFilter, or
    BadQuery (E040) for query text that cannot run ("-0": nothing but an excluded word)."""
    try:
        return EventFilter(**{k: v for k, v in values.items() if k in FILTER_FIELDS})
    except (BadFilter, BadQuery):
        return None
    except Exception as exc:  # noqa: BLE001
        raise Unexpected(f"filter {values!r}: {type(exc).__name__}: {exc}") from exc


def search(store, values: dict) -> int:
    """Run a search the way the CLI and API do; rows found, -1 when the filter is refused."""
    from undercurrent.store.search import count_events, search_events

    f = make_filter(values)
    if f is None:
        return -1
    try:
        rows = search_events(store, f, limit=5)
        count_events(store, f)
    except BadFilter:
        return -1
    except Exception as exc:  # noqa: BLE001
        raise Unexpected(f"search {values!r}: {type(exc).__name__}: {exc}") from exc
    return len(rows)


def json_report(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")


def query_url(path: str, params: dict) -> str:
    """`path?params` with any text, lone surrogates included (sent as the bytes a raw client would send)."""
    from urllib.parse import quote

    pairs = [f"{quote(k.encode('utf-8', 'surrogatepass'))}={quote(str(v).encode('utf-8', 'surrogatepass'))}"
             for k, v in params.items()]
    return path + ("?" + "&".join(pairs) if pairs else "")
