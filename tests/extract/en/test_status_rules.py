"""Status and argument structure: what is threatened, demanded, planned, denied, ordered or
supposed is not an act that occurred. Sentences written for these tests."""


import pytest


def events_of(records):
    return [(e.type, e.mode, e.status) for e in records.events]


STATUS_CASES = {
    "threatened": ("The provincial committee threatened to ban the sale of Chinese rice.", [("THREATEN", "ban", "occurred")]),
    "threatened-with": ("The official threatened the traders with arrest.", [("THREATEN", "arrest", "occurred")]),
    "demanded": ("The United States demanded that Pyongyang give up its nuclear weapons.", [("REQUEST", "yield", "occurred")]),
    "called-for": ("Human rights groups called for the release of the detained fishermen.", [("REQUEST", "yield", "occurred")]),
    "planned": ("The authorities plan to close the market in Hyesan next month.", [("COERCE", "restrict", "planned")]),
    "denied": ("The police denied arresting the journalists.", [("COERCE", "arrest", "negated")]),
    "denied-clause": ("The ministry denied that it had executed the officials.", [("ASSAULT", "execute", "negated")]),
    "ordered": ("The Ministry of State Security ordered its agents to arrest the smugglers.", [("COERCE", "arrest", "ordered")]),
}


@pytest.mark.parametrize("name", list(STATUS_CASES))
def test_status_of_an_action_under_another_act(extract_text, name):
    """A threatened or demanded action is no event of its own; planned, denied and ordered ones carry that status."""
    text, expected = STATUS_CASES[name]
    assert events_of(extract_text(text, published="2021-03-10")) == expected


def test_conditional_is_no_occurred_event(extract_text):
    records = extract_text("If the traders keep selling, the police would arrest them.")
    assert ("COERCE", "arrest", "occurred") not in events_of(records)


def test_habitual_generic_statement_is_no_occurred_event(extract_text):
    records = extract_text("People caught selling phones are usually sent to labour camps.")
    assert not [e for e in records.events if e.status == "occurred" and e.type == "SANCTION"]


def test_modal_speculation_is_no_occurred_event(extract_text):
    records = extract_text("The police may arrest more traders in the coming weeks.")
    assert not [e for e in records.events if e.status == "occurred"]


def test_conditional_becomes_hypothetical_when_emitted(extract_text, monkeypatch):
    from undercurrent.extract.en import events

    monkeypatch.setattr(events, "EMIT_HYPOTHETICAL", True)
    records = extract_text("If the traders keep selling, the police would arrest them.")
    assert events_of(records) == [("COERCE", "arrest", "hypothetical")]


def test_protesters_blocking_a_road_is_protest_not_state_coercion(extract_text):
    records = extract_text("Protesters blocked the road to the harbour.")
    assert events_of(records) == [("PROTEST", "obstruct", "occurred")]


def test_state_organ_beside_protesters_is_the_recipient(extract_text):
    records = extract_text("Traders protested against the Ministry of Social Security.")
    (event,) = records.events
    assert event.type == "PROTEST" and event.actors == []
    assert [r.institution for r in event.recipients] == ["ministry_of_social_security"]


def test_recipient_is_the_object_of_the_trigger(extract_text):
    records = extract_text("Police in Hyesan arrested five smugglers last week.", published="2021-03-10")
    (event,) = records.events
    assert [(r.text, r.institution, r.sector) for r in event.recipients] == [("five smugglers", None, "CRM")]


def test_passive_subject_is_the_recipient(extract_text):
    records = extract_text("Three women were detained by border guards near the river.")
    (event,) = records.events
    assert [(r.text, r.sector) for r in event.recipients] == [("Three women", "CVL")]


def test_generic_rule_in_the_present_is_no_occurred_event(extract_text):
    # No "usually": the simple present about whoever does something states a rule, not an act.
    records = extract_text("Anyone who watches foreign films is punished severely.")
    assert not [e for e in records.events if e.status == "occurred"]


def test_ongoing_practice_of_named_agents_still_occurs(extract_text):
    records = extract_text("Security agents in Hyesan inspect the bags of every traveller.")
    assert [(e.type, e.status) for e in records.events] == [("COERCE", "occurred")]
