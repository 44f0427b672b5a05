"""Search semantics (issue 11): every word counts, phrases, OR, prefixes and NOT, the same on SQLite and
PostgreSQL, in English and Korean, through the library, `/api/search` and `/reports?q=`."""
from __future__ import annotations

import json

import pytest

from undercurrent.errors import BadQuery
from undercurrent.store.query import MAX_TERMS, Clause, Term, parse_query

# Texts written for these tests.
REPORTS = {
    "phones": ("Phones seized", "Security agents seized smartphones from traders in Hyesan. "
                                "The arrests followed a crackdown on calls to China."),
    "radios": ("Radios", "Police in Chongjin arrested two smugglers carrying radios across the river."),
    "rice": ("Rice", "Traders in Hyesan said rice prices rose after the flood in the county."),
    "ko": ("휴대전화 단속", "혜산에서 보위부가 휴대전화를 가진 주민 세 명을 체포했다고 소식통이 전했다."),
}


def test_parse_ands_words_and_reads_operators():
    assert parse_query("xyzzyq phones").clauses == (Clause((Term("xyzzyq"),)), Clause((Term("phones"),)))
    assert parse_query('"Rice  prices" OR radios -flood NOT "the county" arrest*').clauses == (
        Clause((Term("rice prices", phrase=True), Term("radios"))),
        Clause((Term("flood"),), negated=True),
        Clause((Term("the county", phrase=True),), negated=True),
        Clause((Term("arrest", prefix=True),)),
    )
    assert not parse_query("") and not parse_query("  ")


@pytest.mark.parametrize("text", [" ".join(["word"] * 1000), "x" * 1001, "-phones", "NOT phones -radios"])
def test_parse_refuses_with_a_code(text):
    with pytest.raises(BadQuery) as caught:
        parse_query(text)
    assert caught.value.code == "E040"


def test_terms_limit_is_the_documented_one():
    parse_query(" ".join(f"w{i}" for i in range(MAX_TERMS)))
    with pytest.raises(BadQuery):
        parse_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))


@pytest.fixture()
def filled(store, extractor, tmp_path):
    from undercurrent.collect import ingest_items
    from undercurrent.ingest.items import iter_items

    folder = tmp_path / "in"
    folder.mkdir()
    for name, (title, text) in REPORTS.items():
        report = {"title": title, "text": text, "published": "2024-05-01", "outlet": "Test Wire"}
        (folder / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    summary = ingest_items(iter_items([str(folder)]), store, extractor)
    assert summary.stored == len(REPORTS)
    return store


def _titles(store, q):
    from undercurrent.store.queries import list_reports

    rows, total = list_reports(store, text=q, limit=100)
    assert total == len(rows)
    return {row["title"] for row in rows}


@pytest.mark.parametrize("q, expected", [
    ("phones", {"Phones seized"}),
    ("xyzzyq phones", set()),
    ("phones xyzzyq", set()),
    ("phones Hyesan", {"Phones seized"}),
    ("Hyesan", {"Phones seized", "Rice"}),
    ("phones OR radios", {"Phones seized", "Radios"}),
    ("Hyesan -rice", {"Phones seized"}),
    ("Hyesan NOT rice", {"Phones seized"}),
    ('"rice prices"', {"Rice"}),
    ('"prices rice"', set()),
    ("arrest*", {"Phones seized", "Radios"}),
    ("휴대전화", {"휴대전화 단속"}),
    ("휴대전화 혜산", {"휴대전화 단속"}),
    ("휴대전화 xyzzyq", set()),
    ("주민", {"휴대전화 단속"}),           # two letters: below the trigram index
    ("주민 xyzzyq", set()),
    ("휴대전화 -주민", set()),
    ("rice OR 주민", {"Rice", "휴대전화 단속"}),
    ("in -xyzzyq", {"Phones seized", "Radios", "Rice"}),
])
def test_every_term_counts_on_both_databases(filled, q, expected):
    assert _titles(filled, q) == expected


def test_event_search_uses_every_word(filled):
    from undercurrent.store.search import EventFilter, count_events

    assert count_events(filled, EventFilter(text="arrested")) > 0
    assert count_events(filled, EventFilter(text="xyzzyq arrested")) == 0
    assert count_events(filled, EventFilter(text="arrested OR xyzzyq")) == count_events(filled, EventFilter(text="arrested"))


def test_api_and_reports_page_use_every_word(filled):
    from fastapi.testclient import TestClient

    from undercurrent.server import create_app
    from undercurrent.settings import Settings
    from workbench_support import SECRET, add_role_users, sign_in

    add_role_users(filled)
    app = create_app(Settings(database_url=filled.url.replace("+psycopg", ""), secret_key=SECRET), store=filled)
    client = TestClient(app)
    assert sign_in(client, "vic").status_code == 303
    assert client.get("/api/search", params={"q": "arrested"}).json()["total"] > 0
    assert client.get("/api/search", params={"q": "xyzzyq arrested"}).json()["total"] == 0
    assert client.get("/api/reports", params={"q": "phones"}).json()["total"] == 1
    assert client.get("/api/reports", params={"q": "xyzzyq phones"}).json()["total"] == 0
    assert client.get("/reports.json", params={"q": "xyzzyq phones"}).json()["paging"]["total"] == 0
    assert "Phones seized" not in client.get("/reports", params={"q": "xyzzyq phones"}).text
    assert "Phones seized" in client.get("/reports", params={"q": "phones"}).text
    long = " ".join(["phones"] * 1000)
    for path in ("/api/search", "/api/reports", "/reports", "/events.json"):
        response = client.get(path, params={"q": long})
        assert response.status_code == 400, path
        assert "at most 1,000" in response.text


def test_cli_search_uses_every_word(filled, monkeypatch):
    from click.testing import CliRunner

    from undercurrent.cli import cli

    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", filled.url)
    runner = CliRunner()
    one = json.loads(runner.invoke(cli, ["search", "arrested", "--json"]).output)
    assert one["total"] > 0
    assert json.loads(runner.invoke(cli, ["search", "xyzzyq arrested", "--json"]).output)["total"] == 0
    refused = runner.invoke(cli, ["search", " ".join(["arrested"] * 1000)])
    assert refused.exit_code == 2 and "E040" in refused.output
