"""spaCy's rule lemmatizer with every answer remembered.

The stock English lemmatizer caches its rule lookups but not the words it finds already in their base
form (a singular noun, a verb's infinitive ...), about two words in three of a report, which it tests
again at every occurrence. A lemma depends only on the word, its part of speech and its morphology
(`Lemmatizer.rule_lemmatize` keys its own cache on those three), so remembering every answer under that
key gives the same lemmas; `tests/extract/en/test_attribute_table.py` compares both pipelines' tokens.
"""
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

COMPONENT = "undercurrent_lemma_cache"


class LemmaCache:
    """Lemmas by (word, part of speech, morphology), asked of the wrapped lemmatizer once per key."""

    def __init__(self) -> None:
        self.lemmatizer: Lemmatizer | None = None
        self.lemmas: dict[tuple[int, int, int], str] = {}

    def wrap(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.lemmas.clear()

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None:
            raise RuntimeError(f"{COMPONENT} wraps no lemmatizer (use replace_lemmatizer)")
        lemmas = self.lemmas
        overwrite = lemmatizer.overwrite
        for token in doc:
            if overwrite or token.lemma == 0:  # a lemma the attribute ruler set stays, as in the stock one
                key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
                lemma = lemmas.get(key)
                if lemma is None:
                    lemma = lemmas[key] = lemmatizer.lemmatize(token)[0]
                token.lemma_ = lemma
        return doc


@Language.factory(COMPONENT)
def make_lemma_cache(nlp: Language, name: str) -> LemmaCache:
    return LemmaCache()


def replace_lemmatizer(nlp: Language) -> bool:
    """Put the cache in front of the model's rule lemmatizer; False (nothing changed) for another mode."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    cache = nlp.replace_pipe("lemmatizer", COMPONENT)
    assert isinstance(cache, LemmaCache)
    cache.wrap(lemmatizer)
    return True
