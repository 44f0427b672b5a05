"""Restatements of one act within a report are one event; distinct acts stay apart. Texts written for these tests."""
from undercurrent.models import Report


def test_lead_and_quote_of_one_arrest_are_one_event(extract_text):
    # No number of people to share: the place stated in both (Hyesan) makes them one act.
    records = extract_text(
        "Police in Hyesan arrested a smuggler of copper wire last week.\n\n"
        "\"Police in Hyesan arrested the copper smuggler at the riverside market,\" a source in Ryanggang Province said.",
        published="2021-03-10")
    arrests = [e for e in records.events if (e.type, e.mode) == ("COERCE", "arrest")]
    assert len(arrests) == 1 and len(arrests[0].evidence) == 2


def test_an_order_and_its_execution_stay_two_events(extract_text):
    records = extract_text(
        "The Ministry of State Security ordered its agents to arrest seven smugglers in Hyesan.\n\n"
        "Agents arrested seven smugglers in Hyesan the next day.",
        published="2021-03-10")
    statuses = sorted(e.status for e in records.events if e.type == "COERCE")
    assert statuses == ["occurred", "ordered"]


def test_two_acts_of_one_ministry_stay_two_events(extract_text):
    # One actor is not enough: a ministry makes many arrests.
    records = extract_text(
        "The Ministry of State Security arrested a broker in Musan in May.\n\n"
        "In July the Ministry of State Security arrested two teachers in Chongjin.",
        published="2021-09-10")
    assert len([e for e in records.events if e.type == "COERCE"]) == 2


def test_korean_lead_and_summary_of_one_arrest_are_one_event(extractor):
    text = "혜산시에서 밀수꾼 7명이 체포됐다.\n\n소식통에 따르면 혜산시에서 체포된 밀수꾼 7명은 모두 보위부로 넘겨졌다고 한다."
    records = extractor.extract(Report.from_fields(text=text, published="2021-03-10", language="ko"))
    assert len([e for e in records.events if e.type == "COERCE"]) == 1


def test_different_numbers_of_people_are_different_acts(extract_text):
    records = extract_text(
        "Police in Hyesan arrested seven smugglers in May.\n\n"
        "Police in Hyesan arrested three smugglers in June.",
        published="2021-09-10")
    assert sorted(e.size.arrested for e in records.events if e.type == "COERCE") == [3, 7]
