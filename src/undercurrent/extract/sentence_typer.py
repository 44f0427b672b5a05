"""The learned stage's second part: a sentence typer that proposes events the trigger lexicon has no word for.

For each sentence, one logistic model per PLOVER type scores the words of the sentence (lemmas or Korean
morphemes, and their pairs). Where a type scores at or above the threshold and the rules found no event of
that type in the sentence, the typer proposes one, resting on the sentence itself; status comes from the
same plain cues the filter uses (a question or a conditional is hypothetical, a denial negated, a plan
planned, an order ordered). Trained with the filter by `undercurrent train`; weights ship as JSON.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import cast

from undercurrent.extract.event_filter import BUCKETS, FilterInput, Token, bucket
from undercurrent.models import EVENT_TYPES, Event, EventType, Evidence, Status

MODEL_FILES = {"en": "sentence_typer_en.json", "ko": "sentence_typer_ko.json"}
_SKIP_TAGS = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "PUNCT", "SPACE", "NUM", "SYM", "X",
              "JKS", "JKO", "JKB", "JKG", "JX", "JC", "EC", "EF", "ETM", "ETN", "EP", "SF", "SP", "SS", "SE", "SO", "SW"}

_STATUS_CUES: tuple[tuple[Status, re.Pattern[str]], ...] = (
    ("negated", re.compile(r"\b(?:not|never|denied|denies|deny|no)\b|n't|않았|않는다|부인|없었")),
    ("hypothetical", re.compile(r"\?|\b(?:if|would|could|might|may)\b|다면|경우|수\s*있")),
    ("ordered", re.compile(r"\b(?:ordered|order|instructed|directive|decree)\b|지시|명령|포치")),
    ("planned", re.compile(r"\b(?:will|plans?|planned|to be|expected|intends?)\b|예정|계획|하겠")),
)


def sentence_features(words: list[Token]) -> list[str]:
    forms = [w.form for w in words if w.tag not in _SKIP_TAGS]
    feats = ["bias"] + [f"w={f}" for f in forms]
    feats += [f"b={a}_{b}" for a, b in pairwise(forms)]
    return feats


def sentence_words(doc: FilterInput, start: int, end: int) -> list[Token]:
    return doc.words(start, end)


def status_of(sentence: str) -> Status:
    for status, pattern in _STATUS_CUES:
        if pattern.search(sentence):
            return status
    return "occurred"


@dataclass(frozen=True)
class SentenceTyper:
    weights: dict[str, dict[int, float]]  # per type
    threshold: float
    meta: dict

    def scores(self, features: list[str]) -> dict[str, float]:
        buckets = [bucket(f) for f in features]
        out = {}
        for etype, weights in self.weights.items():
            z = sum(weights.get(b, 0.0) for b in buckets)
            out[etype] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        return out

    def propose(self, doc: FilterInput, events: list[Event], *, place_of, date_of) -> list[Event]:
        """New events for sentences where a type scores high and the rules found none of that type.
        place_of(start, end) and date_of(sentence) give the place and date the language pipeline resolves."""
        found = {(doc.sentence_index(min(x.start for x in e.evidence)), e.type) for e in events}
        proposed = []
        for index, (start, end) in enumerate(doc.sentences):
            words = sentence_words(doc, start, end)
            if len(words) < 4:  # headlines and fragments
                continue
            text = doc.text[start:end]
            stripped = text.strip()
            if stripped and stripped[-1] not in ".!?\"”’:;)다":
                continue  # a headline or caption, as the rules judge them
            scored = self.scores(sentence_features(words))
            etype, p = max(scored.items(), key=lambda kv: kv[1])
            if p < self.threshold or (index, etype) in found:
                continue
            left = start + len(text) - len(text.lstrip())
            right = start + len(text.rstrip())
            proposed.append(Event(
                type=cast(EventType, etype), status=status_of(text), place=place_of(left, right), date=date_of(text),
                evidence=[Evidence(quote=doc.text[left:right], start=left, end=right)],
                confidence=round(p, 3), trigger=None))
        return proposed

    def to_json(self) -> str:
        weights = {t: {str(k): round(v, 5) for k, v in sorted(w.items()) if abs(v) >= 1e-4}
                   for t, w in sorted(self.weights.items())}
        return json.dumps({"format": 1, "buckets": BUCKETS, "threshold": round(self.threshold, 4),
                           "meta": self.meta, "weights": weights}, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> SentenceTyper:
        data = json.loads(text)
        if data.get("format") != 1 or data.get("buckets") != BUCKETS:
            raise ValueError("sentence typer weights of an unknown format")
        weights = {t: {int(k): float(v) for k, v in w.items()} for t, w in data["weights"].items() if t in EVENT_TYPES}
        return cls(weights, float(data["threshold"]), data.get("meta", {}))


def typer_path(language: str) -> Path:
    return Path(str(resources.files("undercurrent.extract").joinpath("models", MODEL_FILES[language])))


@lru_cache(maxsize=4)
def shipped_typer(language: str) -> SentenceTyper | None:
    path = typer_path(language)
    if not path.exists():
        return None
    return SentenceTyper.from_json(path.read_text(encoding="utf-8"))
