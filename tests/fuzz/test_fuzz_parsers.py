"""Property-based fuzzing (hypothesis) of every parser the outside world reaches: report files of each
format, feeds, filters and query strings, every API body. The property: no failure other than a coded
error (or a 400/422/403/404 over HTTP), and nothing half-stored. Examples are few here to keep the suite
quick; bench/fuzz.py runs the long fuzz."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_targets import FILE_SUFFIXES, FILTER_FIELDS, json_report, parse_feed, parse_file, query_url, search
from undercurrent.store import schema

# feedparser warns about its own date fallback on every feed without <updated>: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))

scalars = (st.none() | st.booleans() | st.integers(min_value=-2 ** 80, max_value=2 ** 80) | st.floats()
           | st.text(max_size=30) | st.sampled_from(["", "2024-13-45", "2024-02-30", "0000-00-00", "9999-12-31",
                                                      "javascript:alert(1)", "https://example.org/a", "NaN",
                                                      "Infinity", "1e400", "-1", "=cmd()", "KP-09", "kp-09-chongjin",
                                                      "COERCE", "arrest", "\x00", "\ud800"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
words = st.lists(st.sampled_from(["Police", "arrested", "three", "smugglers", "in", "Hyesan", "on", "May", "2",
                                  "a", "source", "said", "rice", "costs", "5,000", "won", ".", ",", "\n", "보위부",
                                  "체포", "혜산", "\"", "'", "*", "(", ")", "NOT", "OR", "AND", "-", "NEAR"]),
                 max_size=30).map(" ".join)
report_fields = st.fixed_dictionaries({"text": words | st.text(max_size=200)},
                                      optional={k: json_values for k in ("url", "outlet", "title", "published",
                                                                        "language")})


@FAST
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(FILE_SUFFIXES))
def test_any_bytes_as_a_report_file(tmp_path_factory, data, suffix):
    parse_file(data, suffix, tmp_path_factory.mktemp("fuzz"))


@FAST
@given(fields=report_fields | st.dictionaries(st.text(max_size=10), json_values, max_size=6) | json_values)
def test_any_json_as_a_report(tmp_path_factory, fields):
    folder = tmp_path_factory.mktemp("fuzz")
    parse_file(json_report(fields), ".json", folder)
    parse_file(json_report(fields) + b"\n" + json_report({"text": "x"}) + b"\n\n{", ".jsonl", folder)


@FAST
@given(body=words | st.text(max_size=300), title=st.text(max_size=40), link=scalars.map(str),
       date=st.text(max_size=30))
def test_any_html_page(tmp_path_factory, body, title, link, date):
    page = (f"<html><head><title>{title}</title><link rel='canonical' href='{link}'>"
            f"<meta name='date' content='{date}'></head><body><article><p>{body}</p><p>{body}</p></article>"
            "</body></html>")
    parse_file(page.encode("utf-8", "surrogatepass"), ".html", tmp_path_factory.mktemp("fuzz"))


@FAST
@given(data=st.binary(max_size=1500) | st.builds(
    lambda link, date, title: (f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
                               f"<title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
                               "</channel></rss>").encode("utf-8", "surrogatepass"),
    scalars.map(str), st.text(max_size=40), st.text(max_size=20)))
def test_any_feed(data):
    parse_feed(data)


@pytest.fixture()
def seeded(app_store):
    return app_store


@SLOW
@given(values=st.dictionaries(st.sampled_from(FILTER_FIELDS), words | st.text(max_size=60) | scalars.map(str),
                              max_size=4))
def test_any_filter_and_query_text_on_the_store(seeded, values):
    search(seeded, values)


def _snapshot(store) -> list:
    with store.engine.connect() as conn:
        return [conn.execute(sa.select(t)).all() for t in (schema.events, schema.observations, schema.sources,
                                                           schema.users, schema.api_tokens)]


def _first(store, table) -> str:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalar()


ALLOWED = {200, 201, 400, 403, 404, 422}


@SLOW
@given(params=st.dictionaries(st.sampled_from(FILTER_FIELDS + ("q", "limit", "offset", "page", "sort", "kind")),
                              words | st.text(max_size=40) | scalars.map(str) | st.integers().map(str), max_size=4),
       path=st.sampled_from(["/api/events", "/api/search", "/api/reports", "/api/observations", "/api/stats",
                             "/events.json", "/reports.json", "/map.json", "/timeline.json", "/api/audit"]))
def test_any_query_string(client_for, params, path):
    response = client_for("ada").get(query_url(path, params))
    assert response.status_code in ALLOWED, (path, params, response.status_code, response.text[:300])


@SLOW
@given(body=st.fixed_dictionaries({"status": st.sampled_from(["accepted", "edited", "rejected"]) | json_values,
                                   "changes": st.dictionaries(st.sampled_from(
                                       ["type", "mode", "status", "place_id", "institutions", "date_start",
                                        "arrested", "dead", "kind", "item", "value", "currency", "unit"]),
                                       json_values, max_size=3)}) | json_values,
       table=st.sampled_from(["events", "observations", "sources"]))
def test_any_review_body(client_for, app_store, body, table):
    record_id = _first(app_store, schema.RECORD_TABLES[table])
    before = _snapshot(app_store)
    response = client_for("ada").post(f"/api/{table}/{record_id}/review", content=json.dumps(body),
                                      headers={"Content-Type": "application/json"})
    assert response.status_code in ALLOWED, (body, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert _snapshot(app_store) == before, "a refused edit changed something"


@SLOW
@given(body=json_values | st.dictionaries(st.sampled_from(["username", "password", "role", "active", "name"]),
                                          json_values, max_size=4),
       route=st.sampled_from([("POST", "/api/users"), ("PATCH", "/api/users/vic"), ("POST", "/api/tokens")]),
       raw=st.booleans())
def test_any_user_and_token_body(client_for, app_store, body, route, raw):
    before = _snapshot(app_store)
    method, path = route
    content = json.dumps(body).encode() if not raw else json.dumps(body).encode()[::-1]
    response = client_for("ada").request(method, path, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code in ALLOWED, (body, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert _snapshot(app_store) == before


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(reports=st.lists(report_fields, min_size=1, max_size=4))
def test_ingest_stores_whole_reports_or_nothing(tmp_path_factory, extractor, reports):
    from undercurrent.collect import ingest_items
    from undercurrent.ingest.items import iter_items
    from undercurrent.store.db import open_store

    folder = tmp_path_factory.mktemp("fuzz")
    store = open_store(url=f"sqlite:///{folder / 'f.db'}")
    try:
        path = folder / "batch.jsonl"
        path.write_bytes(b"\n".join(json_report(r) for r in reports))
        items = list(iter_items([str(path)]))
        good = {i.report.id for i in items if i.error is None}
        summary = ingest_items(items, store, extractor)
        with store.engine.connect() as conn:
            stored = set(conn.execute(sa.select(schema.reports.c.id)).scalars())
            orphans = [conn.execute(sa.select(sa.func.count()).select_from(t).where(
                t.c.report_id.not_in(stored) if stored else sa.true())).scalar_one()
                for t in (schema.events, schema.observations, schema.sources)]
        assert stored == good and orphans == [0, 0, 0]
        assert len(summary.failed) == sum(1 for i in items if i.error is not None)
    finally:
        store.close()


def test_query_text_of_excluded_words_only_is_refused_with_its_code(seeded):
    """Found by the fuzzer: text "-0" is refused with BadQuery (E040), a coded refusal like BadFilter."""
    assert search(seeded, {"text": "-0"}) == -1
