import pytest

from undercurrent.extract.en.dates import resolve_date


@pytest.mark.parametrize(
    "text, published, start, end, granularity, kind",
    [
        ("a source reported on September 3", "2016-10-27", "2016-09-03", "2016-09-03", "day", "exact"),
        ("arrested last month", "2016-10-27", "2016-09-01", "2016-09-30", "month", "exact"),
        ("early this year", "2016-10-27", "2016-01-01", "2016-12-31", "year", "approximate"),
        ("in early October", "2016-10-27", "2016-10-01", "2016-10-31", "month", "approximate"),
        ("rioted on Dec. 5-6", "2009-12-15", "2009-12-05", "2009-12-06", "day", "range"),
        ("in November", "2016-02-01", "2015-11-01", "2015-11-30", "month", "exact"),
        ("as of Friday", "2011-01-31", "2011-01-28", "2011-01-28", "day", "exact"),
        ("In 2019, agents raided", None, "2019-01-01", "2019-12-31", "year", "exact"),
    ],
)
def test_resolves_against_published(text, published, start, end, granularity, kind):
    date = resolve_date(text, published)
    assert (date.start, date.end, date.granularity, date.kind) == (start, end, granularity, kind)


def test_relative_date_without_published_stays_unresolved():
    date = resolve_date("He was arrested last month.", None)
    assert date.kind == "unresolved" and date.start is None and date.text == "last month"


def test_no_date_is_unresolved_not_the_published_date():
    date = resolve_date("Agents raided the house.", "2020-01-01")
    assert date.kind == "unresolved" and date.start is None


def test_may_as_a_verb_is_not_a_month():
    assert resolve_date("They may be arrested.", "2020-01-01").kind == "unresolved"
