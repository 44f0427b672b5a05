"""Issue 15 item 6: one date check (E008) for published dates, CLI filters and API filters."""
import json
from datetime import date

import pytest
from click.testing import CliRunner

from undercurrent.cli import cli
from undercurrent.dates import check_date, is_future
from undercurrent.errors import BadMetadata

INVALID = ["9999-12-31", "2019-13-45", "2020-02-30", "2010-00", "2019-02-29", "2021-04-31", "19", "2020-1-5", "0000", "2020-02-01T00"]


@pytest.mark.parametrize("value", INVALID)
def test_invalid_dates_are_refused(value):
    with pytest.raises(BadMetadata) as caught:
        check_date(value, what="published date", path="r.json")
    assert caught.value.code == "E008" and "r.json" in str(caught.value)


@pytest.mark.parametrize("value", ["2019", "2019-02", "2020-02-29", "2019-12-31"])
def test_valid_dates_pass_unchanged(value):
    assert check_date(value) == value


def test_future_is_a_warning_not_an_error():
    from datetime import date

    next_year = str(date.today().year + 1)
    assert check_date(next_year) == next_year and is_future("2099", today=date(2026, 1, 1))
    assert not is_future("2026-01", today=date(2026, 1, 15))


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'dates.db'}")
    return tmp_path


@pytest.mark.parametrize("option", ["--until", "--since"])
@pytest.mark.parametrize("value", ["2019-02-30", "2010-00", "2019-13"])
def test_cli_filters_refuse_invalid_dates(env, option, value):
    for command in (["search", "phones"], ["stats"]):
        result = CliRunner().invoke(cli, [*command, option, value])
        assert result.exit_code == 2, result.output  # a usage error, never a traceback or 2009-12
        assert "E008" in result.output and value in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_ingest_refuses_impossible_published_and_warns_on_future(env):
    folder = env / "in"
    folder.mkdir()
    text = "Police in Hyesan arrested two traders for smuggling phones, a source said."
    for name, published in (("bad.json", "2019-13-45"), ("feb.json", "2020-02-30"), ("future.json", f"{date.today().year + 1}-01-01")):
        (folder / name).write_text(json.dumps({"text": text, "url": f"https://e.org/{name}", "published": published}))
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--quiet"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 stored, 0 re-extracted, 0 unchanged, 2 failed"
    assert "E008" in result.output and "bad.json" in result.output and "feb.json" in result.output
    assert "warning:" in result.output and "future.json" in result.output and "in the future" in result.output


@pytest.mark.parametrize("query", ["until=2019-02-30", "since=2019-13", "until=2010-00"])
def test_api_filters_refuse_invalid_dates(client_for, query):
    client = client_for("vic")
    for path in ("/api/events", "/api/search", "/events.json"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, response.status_code)  # was a 500
        assert "E008" in response.json()["detail"]


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_published_option_is_checked_once(env, command):
    report = env / "r.txt"
    report.write_text("Police in Hyesan arrested two traders for smuggling phones, a source said.", encoding="utf-8")
    result = CliRunner().invoke(cli, [command, str(report), "--published", "2020-02-30"])
    assert result.exit_code == 1 and "E008" in result.output and "--published" in result.output
    assert result.output.count("E008") == 1


def test_language_filter_is_normalised(env):
    from undercurrent.errors import BadFilter
    from undercurrent.store.search import EventFilter

    assert EventFilter(language="KO").language == "ko" and EventFilter(language="en-GB").language == "en"
    with pytest.raises(BadFilter, match="E009"):
        EventFilter(language="fr")
