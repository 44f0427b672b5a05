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


# A later mention that adds nothing of its own (no victims, number, stated place or day) restates the
# earlier event unless it contradicts it (another mode, other actors, a place or date that cannot be the same).
def test_a_later_mention_with_nothing_of_its_own_restates_the_event(extract_text):
    records = extract_text(
        "State security agents detained five traders in Hyesan on March 3 for selling Chinese phones.\n\n"
        "\"The detentions have frightened everyone at the market,\" a source said. "
        "Residents say the detentions were carried out at night.",
        published="2021-03-10")
    arrests = [e for e in records.events if e.type == "COERCE"]
    assert len(arrests) == 1 and len(arrests[0].evidence) >= 2


def test_a_specific_instance_after_a_summary_stays_its_own_event(extract_text):
    # The instance names its own day and town: a summary and an instance are two events (RECORDS.md).
    records = extract_text(
        "Police in Ryanggang Province have been arresting smugglers this year.\n\n"
        "In Hyesan, police arrested a woman on March 3.",
        published="2021-03-10")
    assert len([e for e in records.events if (e.type, e.mode) == ("COERCE", "arrest")]) == 2


def test_vague_mentions_of_two_actors_stay_apart():
    from undercurrent.extract.restatements import restated
    from undercurrent.models import Entity, Event, Evidence

    def arrest(actor: str, at: int) -> Event:
        return Event(type="COERCE", mode="arrest", actors=[Entity(text=actor, institution=actor, sector="COP")],
                     evidence=[Evidence(quote="arrested", start=at, end=at + 8)], trigger="arrested")

    police, security = arrest("ministry_of_social_security", 0), arrest("ministry_of_state_security", 40)
    assert restated(security, [police]) is None
    assert restated(arrest("ministry_of_social_security", 80), [police]) is police
    # "a crackdown" (no mode) and "an arrest" are a summary and an instance, not one act restated
    crackdown = police.model_copy(update={"mode": None})
    assert restated(arrest("ministry_of_social_security", 120), [crackdown]) is None


def test_vague_mentions_in_two_provinces_or_months_stay_apart():
    from undercurrent.extract.restatements import restated
    from undercurrent.models import Event, EventDate, EventPlace, Evidence

    def raid(province: str, month: str) -> Event:
        return Event(type="COERCE", mode="seize", place=EventPlace(id=province, admin1=province, precision=2, basis="source"),
                     date=EventDate(start=f"2021-{month}-01", end=f"2021-{month}-28", granularity="month", kind="approximate"),
                     evidence=[Evidence(quote="raided", start=0, end=6)], trigger="raided")

    assert restated(raid("KP-10", "03"), [raid("KP-09", "03")]) is None
    assert restated(raid("KP-10", "03"), [raid("KP-10", "05")]) is None
    assert restated(raid("KP-10", "03"), [first := raid("KP-10", "03")]) is first
