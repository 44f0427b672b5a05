"""The learned stage: a trained filter over the events the rules propose.

The rules find candidates with high recall and middling precision: restatements, background, habits and
words in a non-event sense all become candidates. A logistic model over features of each candidate (its type,
mode and status, the trigger and its neighbours, the words of its sentence, where it stands in the report,
whether the same type was already found) keeps those it scores at or above its threshold.

Weights are trained by `undercurrent train` (undercurrent.training) and ship inside the package as JSON:
hashed feature buckets and their weights, no words of any training text. Scoring is plain Python, so
`extract` needs neither scikit-learn nor anything downloaded at run time.
"""
from __future__ import annotations

import json
import math
import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from undercurrent.models import Event, EventDate

BUCKETS = 1 << 20
MODEL_FILES = {"en": "event_filter_en.json", "ko": "event_filter_ko.json"}


@dataclass(frozen=True)
class Token:
    """A word (English lemma, Korean morpheme) with its offsets and tag."""

    start: int
    end: int
    form: str
    tag: str


@dataclass(frozen=True)
class FilterInput:
    """What the filter sees of a parsed report, the same for every language; and the calendar of that
    language (sentence, published -> date), with which the sentence typer dates what it proposes."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    resolve_date: Callable[[str, str | None], EventDate] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def sentence_index(self, offset: int) -> int:
        """The sentence holding offset (the one before it when offset falls between sentences)."""
        return max(0, min(bisect_right(self._sentence_starts, offset) - 1, len(self.sentences) - 1))

    def words(self, start: int, end: int) -> list[Token]:
        """The tokens that start in [start, end)."""
        starts = self._token_starts
        return list(self.tokens[bisect_left(starts, start):bisect_left(starts, end)])


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def _size_bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


_CUES = {
    "quote": re.compile(r"[\"“”]"),
    "modal": re.compile(r"\b(?:would|could|might|may|can|if|unless|whether|likely)\b", re.I),
    "future": re.compile(r"\b(?:will|shall|plan|plans|planned|to be)\b", re.I),
    "negation": re.compile(r"\b(?:not|no|never|deny|denied|denies|without)\b|n't", re.I),
    "habit": re.compile(r"\b(?:usually|often|typically|generally|sometimes|normally|commonly|always|every)\b", re.I),
    "source": re.compile(r"\b(?:source|sources|told|said|according)\b|소식통|전했다|말했다|따르면", re.I),
    "ko_spec": re.compile(r"수\s*있|것으로\s*보|가능성|우려|전망|듯"),
    "ko_neg": re.compile(r"않|못|없|부인"),
    "ko_plan": re.compile(r"예정|계획|방침|하겠|할\s*것"),
    "ko_habit": re.compile(r"종종|흔히|일반적|자주|곤\s*한|일쑤"),
}


def event_features(event: Event, index: int, events: Sequence[Event], doc: FilterInput) -> list[str]:
    """The features of events[index]: strings, hashed into buckets by the model."""
    start = min(e.start for e in event.evidence)
    sent_no = doc.sentence_index(start)
    s_start, s_end = doc.sentences[sent_no] if doc.sentences else (0, len(doc.text))
    sentence = doc.text[s_start:s_end]
    words = doc.words(s_start, s_end)
    trig = _trigger_token(event, words, start, doc.text)
    t, m, st = event.type, event.mode or "-", event.status
    feats = ["bias", f"t={t}", f"tm={t}|{m}", f"st={st}", f"tst={t}|{st}"]
    if trig is not None:
        position = words.index(trig)
        prev = words[position - 1].form if position > 0 else "<s>"
        nxt = words[position + 1].form if position + 1 < len(words) else "</s>"
        feats += [f"tr={trig.form}", f"ttr={t}|{trig.form}", f"tag={trig.tag}", f"ttag={t}|{trig.tag}",
                  f"p1={prev}", f"n1={nxt}", f"tp1={trig.form}|{prev}", f"tn1={trig.form}|{nxt}",
                  f"rel={_size_bucket(position, (0, 2, 5, 10, 20))}"]
    feats += [f"w={w.form}" for w in words]
    feats.append(f"sent={_size_bucket(sent_no, (0, 1, 2, 4, 8))}")
    feats.append(f"len={_size_bucket(len(words), (6, 12, 20, 35, 60))}")
    stripped = sentence.strip()
    if stripped and stripped[-1] not in ".!?\"”’:;)다":
        feats.append("no_final_punct")
    if stripped.endswith("?"):
        feats.append("question")
    for name, pattern in _CUES.items():
        if pattern.search(sentence):
            feats += [f"cue={name}", f"tcue={t}|{name}"]
    same_sentence = [e for j, e in enumerate(events) if j != index
                     and doc.sentence_index(min(x.start for x in e.evidence)) == sent_no]
    feats.append(f"nsent={_size_bucket(len(same_sentence), (0, 1, 2))}")
    earlier = [e for e in events[:index] if e.type == t]
    if earlier:
        feats.append("dup_type")
        if any(e.mode == event.mode for e in earlier):
            feats.append("dup_tm")
        last = doc.sentence_index(min(x.start for x in earlier[-1].evidence))
        feats.append(f"dup_gap={_size_bucket(sent_no - last, (0, 1, 3, 6))}")
    feats.append(f"actor={bool(event.actors)}")
    feats.append(f"tactor={t}|{bool(event.actors)}")
    feats.append(f"basis={event.place.basis}")
    feats.append(f"date={event.date.kind}")
    if event.size is not None:
        feats.append("size")
    feats.append(f"conf={event.confidence:.1f}")
    return feats


def _trigger_token(event: Event, words: list[Token], start: int, text: str) -> Token | None:
    """The word at the trigger's first occurrence in the evidence (else the evidence's first word)."""
    if not words:
        return None
    at = text.find(event.trigger, start) if event.trigger else -1
    if at >= 0:
        for w in words:
            if w.start <= at < w.end or w.start >= at:
                return w
    inside = [w for w in words if w.start >= start]
    return inside[0] if inside else words[0]


@dataclass(frozen=True)
class CandidateFilter:
    """A trained logistic model: weights per hashed feature, a bias and the threshold chosen in training."""

    weights: dict[int, float]
    threshold: float
    meta: dict

    def probability(self, features: list[str]) -> float:
        z = sum(self.weights.get(bucket(f), 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, events: list[Event], doc: FilterInput) -> list[Event]:
        """The events the model keeps, their confidence set to its probability."""
        kept = []
        for i, event in enumerate(events):
            p = self.probability(event_features(event, i, events, doc))
            if p >= self.threshold:
                kept.append(event.model_copy(update={"confidence": round(p, 3)}))
        return kept

    def to_json(self) -> str:
        weights = {str(k): round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}
        return json.dumps({"format": 1, "buckets": BUCKETS, "threshold": round(self.threshold, 4),
                           "meta": self.meta, "weights": weights}, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CandidateFilter:
        data = json.loads(text)
        if data.get("format") != 1 or data.get("buckets") != BUCKETS:
            raise ValueError("event filter weights of an unknown format")
        return cls({int(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"]), data.get("meta", {}))


def model_path(language: str) -> Path:
    return Path(str(resources.files("undercurrent.extract").joinpath("models", MODEL_FILES[language])))


@lru_cache(maxsize=4)
def shipped_filter(language: str) -> CandidateFilter | None:
    """The filter trained for a language and shipped in the package, or None when none ships."""
    path = model_path(language)
    if not path.exists():
        return None
    return CandidateFilter.from_json(path.read_text(encoding="utf-8"))
