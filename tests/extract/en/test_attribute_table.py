"""The attribute table and the lemma cache give every token the same attributes as the spaCy components
they replace (the attribute ruler, the rule lemmatizer)."""
import json

import pytest
import spacy

from fixture_paths import ROOT, SEED
from undercurrent.extract.en.attribute_table import COMPONENT, AttributeTable, replace_attribute_ruler
from undercurrent.extract.en.lemma_cache import LemmaCache, replace_lemmatizer
from undercurrent.extract.en.pipeline import DEFAULT_MODEL, load_nlp

# Written for this test: the ruler's two-word patterns and its exceptions by word and dependency.
TRICKY = [
    "Y'all gonna see it, ain't it? Let's go. C'mon, we gotta leave before there are more guards.",
    "There is a checkpoint. There's none left, and it isn't open; I'd say they won't, but he did n't.",
    "Whether or not the market opens, traders will sell rice once prices fall, unless police raid it.",
]


def _texts() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8"), *TRICKY]
    for path in sorted((ROOT / "training" / "en").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((ROOT / "tests" / "fixtures").glob("general_news_en*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def _attributes(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def both():
    stock = spacy.load(DEFAULT_MODEL)
    table = spacy.load(DEFAULT_MODEL)
    assert replace_attribute_ruler(table) and replace_lemmatizer(table)
    return stock, table


def test_the_table_and_the_stock_ruler_give_the_same_tokens(both):
    stock, table = both
    texts = _texts()
    assert len(texts) > 1000
    compared = 0
    for a, b in zip(stock.pipe(texts), table.pipe(texts), strict=True):
        assert _attributes(a) == _attributes(b), a.text[:80]
        compared += len(a)
    assert compared > 20_000


def test_later_rules_win_as_in_the_stock_ruler(both):
    """"not" is tagged RB; the tag map makes RB an ADV, and a later exception makes "not" a PART."""
    _, table = both
    doc = table("They did not go.")
    assert (doc[2].pos_, doc[2].lemma_) == ("PART", "not")


def test_the_extractor_runs_the_table_and_the_cache():
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    assert isinstance(nlp.get_pipe("lemmatizer"), LemmaCache)
    assert nlp.get_pipe_meta("attribute_ruler").factory == COMPONENT


def test_a_pattern_it_cannot_test_keeps_the_stock_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "police", "OP": "+"}]], {"POS": "NOUN"})
    assert not replace_attribute_ruler(nlp)
    assert nlp.get_pipe_meta("attribute_ruler").factory == "attribute_ruler"


def test_a_lemma_is_remembered_per_word_part_of_speech_and_morphology(both):
    _, table = both
    doc = table("Police arrested smugglers. The arrested smugglers were fined; the police arrest smugglers.")
    assert [t.lemma_ for t in doc if t.lower_ in {"arrested", "arrest", "smugglers"}] == ["arrest", "smuggler"] * 2 + ["arrest", "smuggler"]
    assert len(table.get_pipe("lemmatizer").lemmas) > 0
