"""Status and argument structure: what is threatened, demanded, planned, denied, ordered or
supposed is not an act that occurred. Sentences written for these tests."""


def events_of(records):
    return [(e.type, e.mode, e.status) for e in records.events]


def test_threatened_ban_is_a_threat_and_no_ban(extract_text):
    records = extract_text("The provincial committee threatened to ban the sale of Chinese rice.")
    assert events_of(records) == [("THREATEN", "ban", "occurred")]


def test_threatened_with_arrest_is_a_threat_and_no_arrest(extract_text):
    records = extract_text("The official threatened the traders with arrest.")
    assert events_of(records) == [("THREATEN", "arrest", "occurred")]


def test_demanded_disarmament_is_a_request_and_no_retreat(extract_text):
    records = extract_text("The United States demanded that Pyongyang give up its nuclear weapons.")
    assert events_of(records) == [("REQUEST", "yield", "occurred")]


def test_called_for_release_is_a_request_and_no_release(extract_text):
    records = extract_text("Human rights groups called for the release of the detained fishermen.")
    assert events_of(records) == [("REQUEST", "yield", "occurred")]


def test_planned_closure_is_planned(extract_text):
    records = extract_text("The authorities plan to close the market in Hyesan next month.", published="2021-03-10")
    assert events_of(records) == [("COERCE", "restrict", "planned")]


def test_denied_arrest_is_negated(extract_text):
    records = extract_text("The police denied arresting the journalists.")
    assert events_of(records) == [("COERCE", "arrest", "negated")]


def test_denied_execution_in_a_clause_is_negated(extract_text):
    records = extract_text("The ministry denied that it had executed the officials.")
    assert events_of(records) == [("ASSAULT", "execute", "negated")]


def test_ordered_arrest_is_ordered(extract_text):
    records = extract_text("The Ministry of State Security ordered its agents to arrest the smugglers.")
    assert events_of(records) == [("COERCE", "arrest", "ordered")]


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
    from undercurrent.extract import events

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
