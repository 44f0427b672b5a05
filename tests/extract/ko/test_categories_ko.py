"""Every PLOVER type is reachable in Korean: a sentence written for this test per type."""
import pytest

from undercurrent.models import EVENT_TYPES, Report

CASES = [
    ("AGREE", "두 정부는 철도 연결 사업을 재개하기로 합의했다."),
    ("CONSULT", "외무상은 러시아 외무장관과 모스크바에서 회담했다."),
    ("SUPPORT", "정부는 유엔의 결정을 환영했다."),
    ("CONCEDE", "당국은 국경 도시의 봉쇄를 해제했다."),
    ("COOPERATE", "양국 해경은 실종 어선 수색에 협력했다."),
    ("AID", "적십자는 수해 지역에 의약품을 전달했다."),
    ("RETREAT", "당국은 억류했던 어부들을 석방했다."),
    ("REQUEST", "인권단체들은 정부에 수감자들의 석방을 촉구했다."),
    ("ACCUSE", "외무성은 남한 당국을 강하게 비난했다."),
    ("REJECT", "정부는 회담 제안을 거부했다."),
    ("THREATEN", "군은 도발이 계속되면 강력히 응징하겠다고 경고했다."),
    ("PROTEST", "광부들은 임금 체불에 항의하며 파업했다."),
    ("SANCTION", "재판소는 밀수꾼에게 징역 5년을 선고했다."),
    ("MOBILIZE", "당국은 모내기에 대학생들을 동원했다."),
    ("COERCE", "보안원들은 휴대전화를 판 주민 두 명을 체포했다."),
    ("ASSAULT", "괴한들이 경찰 초소를 습격했다."),
]


def ko_events(extractor, text):
    report = Report.from_fields(text=text, published="2024-01-15", language="ko")
    return [(e.type, e.mode, e.status) for e in extractor.extract(report).events]


def test_every_type_has_a_case():
    assert {t for t, _ in CASES} == set(EVENT_TYPES)


@pytest.mark.parametrize("etype,text", CASES, ids=[t for t, _ in CASES])
def test_sentence_yields_its_type(extractor, etype, text):
    events = ko_events(extractor, text)
    assert etype in [t for t, _, s in events if s == "occurred"], events


def test_a_threatened_arrest_is_a_threat_not_an_arrest(extractor):
    events = ko_events(extractor, "보위부는 장사를 계속하면 모두 체포하겠다고 엄포를 놓았다.")
    assert events == [("THREATEN", "arrest", "occurred")]


def test_a_demanded_release_is_a_request_not_a_release(extractor):
    events = ko_events(extractor, "가족들은 당국에 선원들의 석방을 요구했다.")
    assert [t for t, _, _ in events] == ["REQUEST"]


def test_a_named_act_that_is_not_reported_is_no_event(extractor):
    # "협력으로 제정된 법": cooperation named as the way a law was made, not an act reported
    assert ko_events(extractor, "이 법은 여야의 협력으로 제정된 법이다.") == []


def test_a_consequence_of_a_condition_is_no_event(extractor):
    # a rule: "if caught watching, they are sent to a labour camp"
    assert ko_events(extractor, "한국 영화를 보다가 단속되면 노동단련대에 보낸다.") == []


def test_according_to_is_no_condition(extractor):
    events = ko_events(extractor, "소식통에 따르면 보위부가 지난달 밀수꾼 다섯 명을 체포했다.")
    assert ("COERCE", "arrest", "occurred") in events


def test_habitual_practice_is_no_event(extractor):
    assert ko_events(extractor, "보안원들은 수시로 주민들의 집을 수색한다.") == []


def test_on_charges_of_is_the_reason_not_an_accusation(extractor):
    events = ko_events(extractor, "주민 두 명이 밀수 혐의로 체포됐다.")
    assert [t for t, _, _ in events] == ["COERCE"]
    assert "ACCUSE" in [t for t, _, _ in ko_events(extractor, "그 간부는 뇌물을 받은 혐의를 받고 있다.")]


def test_a_verb_of_a_regular_conjugation_class_is_a_trigger(extractor):
    # Kiwi tags 붙잡 as VV-R (regular verb): it was skipped when only "VV" counted as a verb.
    assert ("COERCE", "arrest", "occurred") in ko_events(extractor, "경비대가 밀수꾼 두 명을 붙잡았다.")
