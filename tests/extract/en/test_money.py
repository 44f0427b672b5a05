import pytest

from undercurrent.extract.en.money import find_amounts
from undercurrent.extract.en.numbers import parse_number


@pytest.mark.parametrize(
    "text, value, value_max, currency",
    [
        ("capped at 100 Chinese yuan", 100, None, "CNY"),
        ("a fine of 1.5 million won", 1_500_000, None, "KPW"),
        ("it costs 7,000 won", 7000, None, "KPW"),
        ("KPW 5,000 to KPW 10,000 per person", 5000, 10000, "KPW"),
        ("between 2,200 and 2,400 won", 2200, 2400, "KPW"),
        ("receive 50-120 RMB per guest", 50, 120, "CNY"),
        ("a bill of $1,000", 1000, None, "USD"),
        ("US$17.18 per kilogram", 17.18, None, "USD"),
        ("2150won per 1kg", 2150, None, "KPW"),
        ("10,000 South Korean won", 10000, None, "KRW"),
    ],
)
def test_amounts(kb, text, value, value_max, currency):
    (amount,) = find_amounts(text, kb)
    assert (amount.value, amount.value_max, amount.currency) == (value, value_max, currency)


def test_number_words():
    assert parse_number("eighteen") == 18
    assert parse_number("2 million") == 2_000_000
    assert parse_number("hundreds") is None


def test_prices_units_items_and_rates(extract_text):
    records = extract_text(
        "In Sinuiju, rice sold for 5,000 won per kg on Monday. "
        "The dollar was trading at 8,000 won in Hyesan, a source in Ryanggang Province said."
    )
    rice, rate = records.observations
    assert (rice.kind, rice.item, rice.value, rice.currency, rice.unit, rice.place) == (
        "price", "rice", 5000, "KPW", "kg", "kp-03-sinuiju")
    assert (rate.kind, rate.item, rate.value, rate.currency, rate.unit) == (
        "exchange_rate", "US dollar", 8000, "KPW", "per USD")
    for obs in records.observations:
        assert records.report.text[obs.evidence.start:obs.evidence.end] == obs.evidence.quote


def test_converted_amounts_in_brackets_are_two_observations(extract_text):
    records = extract_text("Cabbage was trading at 1,950 KPW (0.23 USD) per kilogram in Hyesan.")
    assert [(o.value, o.currency) for o in records.observations] == [(1950, "KPW"), (0.23, "USD")]


def test_each_clause_of_a_compound_sentence_is_read_on_its_own(extract_text):
    records = extract_text("Rice was selling for 7,900 won per kilogram in Sinuiju, and one US dollar bought 32,500 won.")
    kinds = {(o.kind, o.item, o.value) for o in records.observations}
    assert ("price", "rice", 7900) in kinds
    assert ("exchange_rate", "US dollar", 32500) in kinds


def test_a_rate_given_for_more_than_one_unit_is_divided_down(extract_text):
    records = extract_text("In Hyesan, 10 yuan is equivalent to 16,500 North Korean won, the source said.")
    assert [(o.kind, o.value, o.currency, o.unit) for o in records.observations] == [("exchange_rate", 1650.0, "KPW", "per CNY")]


def test_an_earlier_figure_down_or_up_from_is_the_same_quantity(extract_text):
    rate = extract_text("The Chinese yuan was trading for 400 North Korean won, down from 520 last month.")
    assert [(o.kind, o.value, o.currency) for o in rate.observations] == [("exchange_rate", 400.0, "KPW"), ("exchange_rate", 520.0, "KPW")]
    price = extract_text("Rice sold for 5,000 won per kilogram, up from 4,200 a week earlier.")
    assert [(o.kind, o.item, o.value) for o in price.observations] == [("price", "rice", 5000.0), ("price", "rice", 4200.0)]
    share = extract_text("Corn cost 2,000 won, up from 10 percent of a wage.")
    assert [o.value for o in share.observations] == [2000.0]
