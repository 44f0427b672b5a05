"""Chinese police, guards and detention centres are not North Korean institutions, wherever "Chinese" or
"China" qualifies them in the noun phrase or right after it. Sentences written for these tests."""
import pytest


@pytest.mark.parametrize("text", [
    "Chinese border police officers arrested the two women.",
    "The women were held by police officers in China before their repatriation.",
    "Police officers in Dandong, China caught them at a guesthouse.",
])
def test_chinese_police_get_no_north_korean_id(extract_text, text):
    assert [m.id for m in extract_text(text).institutions] == []


@pytest.mark.parametrize("text,expected", [
    ("Police officers arrested Chinese phone users in Hyesan.", ["ministry_of_social_security"]),
    ("Soldiers guarding the Chinese border shot him.", ["korean_peoples_army"]),
    ("Security officers and Chinese police worked together.", ["ministry_of_social_security"]),
])
def test_chinese_elsewhere_in_the_sentence_does_not_qualify_them(extract_text, text, expected):
    assert [m.id for m in extract_text(text).institutions] == expected


@pytest.mark.parametrize("text,expected", [
    ("Thousands are held in political prison camps in the mountains.", ["kwanliso"]),
    ("The two men were sent to political prison camp No. 15.", ["kwanliso"]),
])
def test_plurals_of_institution_names_are_folded(extract_text, text, expected):
    assert [m.id for m in extract_text(text).institutions] == expected


def test_generic_extra_aliases_are_not_folded_to_the_singular(kb):
    # "security officers" links to the police ministry; "a security officer" alone could be anyone's.
    assert kb.institutions.matcher.find("a security officer") == []
