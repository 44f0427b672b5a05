from undercurrent.extract.en.places import find_places
from undercurrent.kb.gazetteer import same_place


def ids(text, kb):
    return [m.id for m in find_places(text, kb)]


def test_variants_and_romanisations_resolve_to_one_id(kb):
    text = "Reports came from Hoeryong, Hoiryeong and HOERYONG City, and from North Hamkyung Province."
    assert ids(text, kb) == ["kp-09-hoeryong", "kp-09-hoeryong", "kp-09-hoeryong", "KP-09"]


def test_diacritics_apostrophes_and_possessives(kb):
    assert ids("P'yŏngyang and Hyesan’s markets", kb) == ["kp-01-pyongyang", "kp-10-hyesan"]


def test_lowercase_common_words_are_not_places(kb):
    assert ids("an anak of the sil was quiet", kb) == []


def test_ambiguous_name_left_unresolved_without_context(kb):
    mention = find_places("Officials in Unsan were dismissed.", kb)[0]
    assert mention.id is None
    assert set(mention.candidates) == {"kp-02-unsan", "kp-03-unsan"}


def test_ambiguous_name_resolved_by_named_province(kb):
    mentions = find_places("In North Pyongan Province, officials in Unsan were dismissed.", kb)
    assert [m.id for m in mentions] == ["KP-03", "kp-03-unsan"]


def test_kangwon_in_a_south_korean_sentence_is_not_guessed(kb):
    assert ids("Floods hit Kangwon Province in South Korea on Monday.", kb) == [None]
    assert ids("Floods hit Kangwon Province in North Korea on Monday.", kb) == ["KP-07"]


def test_first_level_city_equals_its_province():
    assert same_place("kp-01-pyongyang", "KP-01")
    assert not same_place("kp-09-hoeryong", "KP-09")


def test_misspelling_accepted_only_inside_the_named_province(kb):
    assert ids("Rice sold well in Hyesen (Ryanggang Province) last week.", kb) == ["kp-10-hyesan", "KP-10"]
    assert ids("Rice sold well in Hyesen last week.", kb) == []
