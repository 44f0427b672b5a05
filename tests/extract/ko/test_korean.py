"""Korean stages on texts written for these tests."""
from undercurrent.extract.ko.dates import resolve_date_ko
from undercurrent.extract.ko.money import find_amounts_ko, parse_amount
from undercurrent.ingest.language import detect_language
from undercurrent.models import Report


def ko_records(extractor, text, published="2020-02-15", outlet=None):
    return extractor.extract(Report.from_fields(text=text, published=published, outlet=outlet, language="ko"))


def test_language_detection():
    assert detect_language("양강도 혜산시에서 주민 3명이 체포됐다.") == "ko"
    assert detect_language("Police in Hyesan arrested three residents.") == "en"
    assert detect_language("North Korea (북한) said so in English.") == "en"


def test_places_with_particles_and_short_forms(kb, extractor):
    records = ko_records(extractor, "양강도 혜산시에서, 함북 회령에는, 량강도의 삼지연에서 일이 있었다.")
    assert [p.id for p in records.places] == ["KP-10", "kp-10-hyesan", "KP-09", "kp-09-hoeryong", "KP-10", "kp-10-samjiyon"]
    # a neighbourhood is not the county whose name it starts with
    assert [p.id for p in ko_records(extractor, "회령시 신천동에 사는 주민").places] == ["kp-09-hoeryong"]


def test_institutions_korean_and_short_forms(extractor):
    records = ko_records(extractor, "보위부와 보안서, 109 상무, 노동단련대, 로동단련대, 인민반장이 나섰다.")
    assert [i.id for i in records.institutions] == [
        "ministry_of_state_security", "ministry_of_social_security", "group_109", "labor_training_camp",
        "labor_training_camp", "inminban"]


def test_amounts_with_korean_multipliers():
    assert parse_amount("3만 5천") == 35000
    assert parse_amount("1억") == 100_000_000
    amounts = find_amounts_ko("쌀 1kg에 5,000원, 옥수수는 2천원, 뇌물로 100달러와 500위안을 줬다. 한국 돈 10만원.")
    assert [(a.value, a.currency) for a in amounts] == [(5000, "KPW"), (2000, "KPW"), (100, "USD"), (500, "CNY"), (100000, "KRW")]


def test_price_observation_item_and_unit(extractor):
    records = ko_records(extractor, "혜산시장에서 쌀 1kg에 5,000원에 거래되고 있다고 양강도 소식통이 전했다.")
    (obs,) = records.observations
    assert (obs.kind, obs.item, obs.value, obs.currency, obs.unit, obs.place) == ("price", "rice", 5000, "KPW", "kg", "kp-10-hyesan")


def test_korean_dates():
    assert resolve_date_ko("9월 3일 체포됐다", "2016-10-27").start == "2016-09-03"
    last_month = resolve_date_ko("지난달 단속이 있었다", "2016-10-27")
    assert (last_month.start, last_month.end, last_month.granularity) == ("2016-09-01", "2016-09-30", "month")
    assert resolve_date_ko("지난달 단속이 있었다", None).kind == "unresolved"
    assert resolve_date_ko("2019년 3월 재판", None).start == "2019-03-01"


def test_sources_in_country_outside_and_repeats(extractor):
    records = ko_records(extractor, "양강도 소식통은 전했다. 이 소식통은 덧붙였다. 한 대북 소식통에 따르면 그렇다. 통일부는 밝혔다.")
    assert [(s.descriptor, s.kind, s.place) for s in records.sources] == [
        ("양강도 소식통", "in_country_anonymous", "KP-10"), ("한 대북 소식통", "unknown", None),
        ("통일부", "foreign_government", None)]


def test_events_status_and_counts(extractor):
    records = ko_records(extractor,
                         "보위부가 혜산시에서 주민 3명을 체포했다고 양강도 소식통이 전했다. "
                         "당국은 밀수꾼을 모두 체포하라는 지시를 내렸다. "
                         "단속되면 처벌받는다.")
    events = [(e.type, e.mode, e.status) for e in records.events]
    assert events == [("COERCE", "arrest", "occurred"), ("COERCE", "arrest", "ordered")]
    first = records.events[0]
    assert first.actors[0].institution == "ministry_of_state_security"
    assert (first.place.id, first.place.basis) == ("kp-10-hyesan", "stated")
    assert [(o.kind, o.value) for o in records.observations] == [("count", 3)]
    for event in records.events:
        assert records.report.text[event.evidence[0].start:event.evidence[0].end] == event.evidence[0].quote


def test_mixed_languages_in_one_batch(extractor):
    english = Report.from_fields(text="Police in Hyesan arrested two traders.", published="2020-01")
    korean = Report.from_fields(text="혜산시 보안서가 장사꾼 2명을 체포했다.", published="2020-01", language="ko")
    out = list(extractor.extract_many([english, korean, english]))
    assert [r.report.language for r in out] == ["en", "ko", "en"]
    assert [e.type for r in out for e in r.events] == ["COERCE", "COERCE", "COERCE"]
