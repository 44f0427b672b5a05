"""Keyset paging (store/keyset.py): walking a search by cursor gives exactly the rows of OFFSET pages and
of one unpaged query, in their order, for every sort, with NULL sort values and ties (both databases)."""
from __future__ import annotations

import base64
import json
import random

import pytest

from undercurrent.errors import BadFilter
from undercurrent.store import keyset, schema
from undercurrent.store.cache import ResultCache
from undercurrent.store.conditions import order_keys
from undercurrent.store.search import SORT_KEYS, EventFilter, search_events, search_page

SORTS = [prefix + key for key in SORT_KEYS for prefix in ("", "-")]


def _fill(store, reports: int = 30, seed: int = 5) -> None:
    """Events whose every sort column has NULLs where it may and few distinct values (many ties), on
    reports that share offsets, so every tie-breaker decides some order; some rejected rows too."""
    rng = random.Random(seed)
    report_rows, event_rows = [], []
    for r in range(reports):
        text = f"report {r} about phones"
        report_rows.append({"id": f"r{r:03d}", "url": f"https://k.example/{r}", "outlet": "Daily NK", "title": None,
                            "published": "2020-01", "language": "en", "text": text, "content_sha256": f"c{r}",
                            "original": text.encode(), "original_sha256": f"o{r}",
                            "ingested_at": "2026-12-01T00:00:00+00:00"})
        for e in range(rng.randint(1, 6)):
            day = rng.choice([None, None, "2019-03-01", "2019-03-01", "2020-07-01", "2021-01-01"])
            event_rows.append({"id": f"r{r:03d}e{e}", "report_id": f"r{r:03d}", "type": rng.choice(["COERCE", "AID"]),
                               "mode": rng.choice([None, "arrest", "seize"]), "status": rng.choice(["occurred", "planned"]),
                               "admin1": rng.choice([None, "KP-09", "KP-10"]), "contexts": "|", "topics": "|",
                               "actor_institutions": "|", "actors": [], "recipients": [], "basis": "stated",
                               "date_start": day, "date_granularity": "day", "date_kind": "exact", "sort_date": day,
                               "quote": text, "start": rng.choice([0, 0, 5]), "end": 10, "evidence": [],
                               "confidence": 0.5,
                               "review_status": rng.choice(["pending", "pending", "accepted", "rejected"])})
    with store.engine.begin() as conn:
        conn.execute(schema.reports.insert(), report_rows)
        conn.execute(schema.events.insert(), event_rows)


def _walk(store, f, limit, sort) -> tuple[list[list[str]], list[str | None]]:
    pages, cursors, after = [], [], None
    while True:
        page = search_page(store, f, limit=limit, after=after, sort=sort)
        pages.append([row["id"] for row in page.rows])
        cursors.append(page.next)
        if page.next is None:
            return pages, cursors
        assert len(pages) < 1000, "the walk does not end"
        after = page.next


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_pages_are_offset_pages_and_the_unpaged_order(store, sort):
    _fill(store)
    filters = [EventFilter(), EventFilter(include_rejected=True, text="phones"), EventFilter(type="AID")]
    for f in filters:
        everything = [row["id"] for row in search_events(store, f, limit=None, sort=sort)]
        assert len(everything) > 20
        # 1: every row is a page's last, so the cursor stands at every NULL and every tie; a limit that
        # divides the total exactly ends on a full page, whose next must be None all the same.
        for limit in (1, 4, 7, len(everything), len(everything) + 3):
            pages, cursors = _walk(store, f, limit, sort)
            offset_pages = [[row["id"] for row in search_events(store, f, limit=limit, offset=o, sort=sort)]
                            for o in range(0, len(everything), limit)]
            assert pages == offset_pages, (f, limit)
            assert sum(pages, []) == everything, (f, limit)
            assert cursors[-1] is None and all(cursors[:-1]), (f, limit)
            assert all(len(page) == limit for page in pages[:-1]) and 0 < len(pages[-1]) <= limit


def test_the_data_has_what_the_walk_must_get_right(store):
    """The walk test would pass on data without NULLs or ties whatever the NULL handling did: make sure
    the data has them, in every column a sort leads with."""
    _fill(store)
    rows = search_events(store, EventFilter(include_rejected=True), limit=None)
    for column in ("sort_date", "mode", "admin1"):
        assert any(row[column] is None for row in rows) and any(row[column] is not None for row in rows)
    pairs = [(row["sort_date"], row["report_id"], row["start"]) for row in rows]
    assert len(set(pairs)) < len(pairs)  # ties down to the id


@pytest.mark.parametrize("sort", ["-date", "date", "mode", "-province"])
def test_an_unpaged_read_after_a_cursor_is_the_rest(store, sort):
    _fill(store)
    everything = search_events(store, limit=None, sort=sort)
    for i in (0, 5, len(everything) // 2, len(everything) - 1):
        cursor = keyset.cursor_of(everything[i], sort)
        assert [r["id"] for r in search_events(store, limit=None, after=cursor, sort=sort)] == \
            [r["id"] for r in everything[i + 1:]]


def _encode(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_bad_cursors_are_refused_with_the_filter_code(store):
    _fill(store)
    first = search_page(store, limit=3, sort="-date")
    assert first.next is not None
    values = json.loads(base64.urlsafe_b64decode(first.next + "=" * (-len(first.next) % 4)))[1]
    bad = ["", "not a cursor", "%%%", "A" * 600, first.next[:-3], _encode({"sort": "-date"}),
           _encode(["-date", values[:-1]]), _encode(["-date", [*values[:-1], 7]]),
           _encode(["-date", [values[0], values[1], "zero", values[3]]]),
           _encode(["-date", [values[0], None, values[2], values[3]]]),  # report_id is never NULL
           _encode(["-date", [values[0], values[1], True, values[3]]])]
    for cursor in bad:
        with pytest.raises(BadFilter) as refused:
            search_page(store, limit=3, after=cursor, sort="-date")
        assert refused.value.code == "E042", cursor
    with pytest.raises(BadFilter, match="sorted by 'type'"):  # a cursor of another order
        search_page(store, limit=3, after=first.next, sort="type")
    with pytest.raises(BadFilter, match="after and offset"):
        search_page(store, limit=3, offset=3, after=first.next, sort="-date")


def test_cursors_name_the_sort_and_the_last_row(store):
    _fill(store)
    page = search_page(store, limit=5, sort="-province")
    assert page.next == keyset.cursor_of(page.rows[-1], "-province")
    assert keyset.read_cursor(page.next, "-province") == [page.rows[-1][c.name] for c, _ in order_keys("-province")]
    assert set(page.next) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")  # safe in a URL


def test_the_cache_keeps_pages_apart_by_cursor(store):
    _fill(store)
    store.cache = ResultCache()
    first = search_page(store, limit=5)
    second = search_page(store, limit=5, after=first.next)
    assert second.rows and {r["id"] for r in second.rows}.isdisjoint(r["id"] for r in first.rows)
    assert search_page(store, limit=5, after=first.next) == second and store.cache.hits >= 1
