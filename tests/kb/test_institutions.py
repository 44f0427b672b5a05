from undercurrent.extract.en.institutions import find_institutions


def found(text, kb, published=None):
    return [(m.id, m.name_in_force) for m in find_institutions(text, kb, published=published)]


def test_rename_resolves_to_one_id_with_the_name_in_force(kb):
    old = found("The Ministry of People's Security issued a notice.", kb, published="2016-05-01")
    new = found("The Ministry of Social Security issued a notice.", kb, published="2021-05-01")
    assert old[0][0] == "ministry_of_social_security"
    assert old[0][1].startswith("Ministry of People's Security")
    assert new == [("ministry_of_social_security", "Ministry of Social Security")]


def test_mss_before_2020_is_state_security(kb):
    assert found("The MSS arrested twelve people.", kb, published="2019-12-03")[0][0] == "ministry_of_state_security"


def test_mss_after_2020_without_context_is_unresolved(kb):
    mention = find_institutions("The MSS arrested twelve people.", kb, published="2022-01-01")[0]
    assert mention.id is None
    assert set(mention.candidates) == {"ministry_of_state_security", "ministry_of_social_security"}


def test_mss_defined_in_the_text_wins(kb):
    text = "The Ministry of Social Security (MSS) said so. Later the MSS arrested twelve people."
    assert [i for i, _ in found(text, kb, published="2022-01-01")] == ["ministry_of_social_security"] * 2


def test_abbreviations_are_case_sensitive(kb):
    assert found("the mss and kpa were mentioned in lowercase", kb) == []


def test_foreign_police_are_not_north_korean(kb):
    assert found("Chinese police raided the house.", kb) == []
