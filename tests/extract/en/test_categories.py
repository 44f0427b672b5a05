"""Every PLOVER type of RECORDS.md is reachable: one or more sentences written for this test per type.

The sentences are general news in the wording of the PLOVER codebook's category definitions
(agree, consult, support ...), not taken from any evaluation report."""
import pytest

CASES = [
    ("AGREE", "The two governments agreed to reopen the railway line next spring."),
    ("AGREE", "After a week of bargaining the negotiators reached a deal on fishing rights."),
    ("CONSULT", "The foreign minister met his Russian counterpart in Vladivostok on Monday."),
    ("CONSULT", "Officials of both states held talks on the return of the fishing boat."),
    ("SUPPORT", "The council praised the volunteers who cleared the flooded streets."),
    ("SUPPORT", "Several governments voiced support for the new human rights resolution."),
    ("CONCEDE", "The authorities eased the restrictions on travel between the provinces."),
    ("CONCEDE", "The regime granted amnesty to hundreds of inmates on the national holiday."),
    ("COOPERATE", "The two coast guards cooperated in the search for the missing trawler."),
    ("COOPERATE", "Mongolia extradited the fugitive to Seoul."),
    ("AID", "The charity delivered medicine and flour to the villages hit by the storm."),
    ("AID", "The embassy granted asylum to the two sailors."),
    ("RETREAT", "The authorities freed the detained missionary on Sunday."),
    ("RETREAT", "The transport minister resigned over the ferry disaster."),
    ("RETREAT", "Troops withdrew from the disputed hills on Friday."),
    ("REQUEST", "Human rights groups called for the release of the detained activists."),
    ("REQUEST", "The farmers asked the county office for more fertilizer."),
    ("ACCUSE", "The foreign ministry accused Seoul of spreading lies about the executions."),
    ("ACCUSE", "Prosecutors charged the former bank manager with embezzlement."),
    ("REJECT", "The government rejected the offer of talks."),
    ("REJECT", "The ministry declined the request for an interview."),
    ("THREATEN", "The army threatened to turn the border town into a sea of fire."),
    ("THREATEN", "The provincial office issued an ultimatum to the striking miners."),
    ("PROTEST", "Hundreds of traders protested against the new market fees outside the city hall."),
    ("PROTEST", "Dock workers went on strike over unpaid wages."),
    ("PROTEST", "Protesters blocked the road to the harbour."),
    ("SANCTION", "The court sentenced the smuggler to eight years of hard labour."),
    ("SANCTION", "The country recalled its ambassador after the murder."),
    ("MOBILIZE", "The army deployed troops along the river border."),
    ("MOBILIZE", "The military put its forces on high alert."),
    ("COERCE", "Police arrested four men accused of selling phones."),
    ("COERCE", "The authorities banned the sale of foreign cigarettes."),
    ("ASSAULT", "Gunmen attacked a police convoy in the south."),
    ("ASSAULT", "A car bomb exploded near the ministry, killing six people."),
    ("ASSAULT", "Artillery units shelled the island for an hour."),
]


def test_every_type_has_a_case():
    from undercurrent.models import EVENT_TYPES

    assert {t for t, _ in CASES} == set(EVENT_TYPES)


@pytest.mark.parametrize("etype,text", CASES, ids=[f"{t}-{i}" for i, (t, _) in enumerate(CASES)])
def test_sentence_yields_its_type(extract_text, etype, text):
    events = extract_text(text, published="2024-01-15").events
    assert (etype, "occurred") in [(e.type, e.status) for e in events], [(e.type, e.status) for e in events]


@pytest.mark.parametrize("text", [
    "The source accepted a bribe of 100 dollars from the trader.",  # a bribe, not an agreement
    "The report demonstrates that prices rose in the spring.",  # a proof, not a demonstration
    "The farmer's son supports his family by selling firewood.",  # no official act of support
    "The broker charged 500 yuan for the trip.",  # a price, not a charge
    "He suffered a heart attack last year.",  # illness, not an assault
])
def test_a_word_in_another_sense_is_no_event_of_that_type(extract_text, text):
    types = {e.type for e in extract_text(text).events}
    assert not types & {"AGREE", "PROTEST", "SUPPORT", "ACCUSE", "ASSAULT"}, types


def test_an_inflected_form_matches_a_row_the_lemmatiser_misreads(extract_text):
    # spaCy lemmatises "installed" as "instal": the row "install" is found through the form.
    events = extract_text("Border guards installed barbed wire fences along the river.").events
    assert [(e.type, e.mode) for e in events] == [("COERCE", "restrict")]
