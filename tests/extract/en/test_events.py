"""Events on texts written for these tests (never copied from the evaluation reports)."""


def events_of(records):
    return [(e.type, e.mode, e.status) for e in records.events]


def test_an_order_to_arrest_is_an_ordered_arrest(extract_text):
    records = extract_text(
        "The Ministry of State Security has instructed its agents to arrest anyone using a Chinese phone, "
        "a source in North Hamgyong Province said."
    )
    assert events_of(records) == [("COERCE", "arrest", "ordered")]
    (event,) = records.events
    assert event.actors[0].institution == "ministry_of_state_security"
    assert event.place.id == "KP-09" and event.place.basis == "source"


def test_an_arrest_that_happened_is_occurred_with_a_stated_place(extract_text):
    records = extract_text("Police in Hyesan arrested seven smugglers last week.", published="2021-03-10")
    (event,) = records.events
    assert (event.type, event.mode, event.status) == ("COERCE", "arrest", "occurred")
    assert (event.place.id, event.place.basis, event.place.precision) == ("kp-10-hyesan", "stated", 4)
    assert event.size.arrested == 7
    assert event.date.kind == "range" and event.date.start == "2021-03-01"
    assert [(o.kind, o.value) for o in records.observations] == [("count", 7)]


def test_a_demand_for_money_is_a_request(extract_text):
    records = extract_text("The Women's Union demanded that every member pay 5,000 won for the construction project.")
    assert events_of(records)[0] == ("REQUEST", "assist", "occurred")


def test_negated_event(extract_text):
    records = extract_text("There was no support from the government for the flood victims.")
    assert events_of(records) == [("AID", None, "negated")]


def test_speculation_and_habits_are_not_events(extract_text):
    records = extract_text(
        "Officials may arrest more traders next year. Smugglers usually bribe the border guards."
    )
    assert records.events == []


def test_conditional_punishment_of_anyone_is_a_threat(extract_text):
    records = extract_text("The notice said anyone who crosses the river will be executed by firing squad.")
    assert events_of(records) == [("THREATEN", "violence", "occurred")]


def test_headlines_are_not_events(extract_text):
    records = extract_text("Smugglers Arrested in Border Crackdown\n\nPrices of rice rose in Musan this week.")
    assert records.events == []


def test_event_abroad_has_no_north_korean_place(extract_text):
    records = extract_text("Chinese police arrested four traffickers in Yanji last month.")
    (event,) = records.events
    assert event.place.id is None and event.place.basis == "abroad"


def test_evidence_is_an_exact_substring(extract_text):
    records = extract_text("Agents from the Ministry of State Security raided three homes in Chongjin and confiscated USB drives.")
    for event in records.events:
        for ev in event.evidence:
            assert records.report.text[ev.start:ev.end] == ev.quote


def test_two_acts_joined_by_and_are_two_events(extract_text):
    records = extract_text("Police arrested a trader in Hyesan and confiscated his goods last week.")
    assert events_of(records) == [("COERCE", "arrest", "occurred"), ("COERCE", "seize", "occurred")]
    one_act = extract_text("Police arrested a trader in Hyesan last week; the arrest followed a raid on his stall.")
    assert [e.mode for e in one_act.events if e.type == "COERCE"].count("arrest") == 1


def test_a_disaster_that_killed_is_no_assault_even_in_a_relative_clause(extract_text):
    assert extract_text("The country suffered a famine that killed two million people in the 1990s.").events == []
    assert ("ASSAULT", None, "occurred") in events_of(extract_text("Soldiers who killed a smuggler in Musan were praised."))


def test_a_practice_in_many_cases_or_every_year_is_not_an_occurred_event(extract_text):
    assert extract_text("In many cases, border guards beat the smugglers they catch.").events == []
    assert extract_text("Every year, the authorities mobilize students to plant rice.").events == []
    assert events_of(extract_text("Border guards beat a smuggler in Hyesan last week.")) == [("ASSAULT", "beat", "occurred")]


def test_what_someone_is_charged_with_is_not_an_event_of_its_own(extract_text):
    records = extract_text("Police in Hyesan arrested three men on charges of beating a guard.")
    assert events_of(records) == [("COERCE", "arrest", "occurred")]
    accused = extract_text("He was accused of beating a guard in Musan.")
    assert [e.type for e in accused.events] == ["ACCUSE"]


def test_taken_away_by_police_is_an_arrest_and_a_camp_term_a_sentence(extract_text):
    assert events_of(extract_text("Three traders were taken away by police in Hyesan.")) == [("COERCE", "arrest", "occurred")]
    assert events_of(extract_text("The five men were given labour camp terms of five years.")) == [("SANCTION", "convict", "occurred")]
    assert extract_text("The families gave the guards cigarettes in Hyesan.").events == []


def test_the_people_described_by_one_act_and_the_act_done_to_them_are_two_events(extract_text):
    records = extract_text("More than 50 North Koreans detained in China were sent back to Sinuiju this month.")
    assert events_of(records) == [("COERCE", "arrest", "occurred"), ("COERCE", "deport", "occurred")]


def test_providing_information_or_distributing_leaflets_is_no_aid(extract_text):
    assert extract_text("The government distributed leaflets to residents in Hyesan.").events == []
    assert extract_text("These notes provide a window into daily life in Hyesan.").events == []
    assert events_of(extract_text("The UN provided rice to families in Ryanggang.")) == [("AID", None, "occurred")]
