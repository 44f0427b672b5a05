"""Korean analysis with kiwipiepy: sentences (never across a line break) and morphemes with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str  # Sejong tags: NNG, NNP, VV, XSV, EC, EF, JKS, SN, ...
    start: int
    end: int


@dataclass(frozen=True)
class KoSentence:
    start: int
    end: int
    text: str
    morphemes: tuple[Morpheme, ...]


@dataclass(frozen=True)
class KoDoc:
    text: str
    sentences: tuple[KoSentence, ...]

    def sentence_at(self, offset: int) -> KoSentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@lru_cache(maxsize=1)
def kiwi():
    """The Kiwi analyser, loaded once per process (its model ships in kiwipiepy_model)."""
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=-1)


def analyse(text: str) -> KoDoc:
    sentences = []
    analyser = kiwi()
    for paragraph in re.finditer(r"[^\n]+", text):
        base = paragraph.start()
        for sent in analyser.split_into_sents(paragraph.group(), return_tokens=True):
            morphemes = tuple(Morpheme(t.form, t.tag, base + t.start, base + t.start + t.len) for t in sent.tokens)
            start, end = base + sent.start, base + sent.end
            sentences.append(KoSentence(start, end, text[start:end], morphemes))
    return KoDoc(text, tuple(sentences))
