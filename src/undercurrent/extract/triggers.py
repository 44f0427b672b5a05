"""Event triggers: the lexicon of PLOVER types and modes as a spaCy Matcher."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

_POS = {"VERB": {"VERB", "AUX"}, "NOUN": {"NOUN", "PROPN"}, "ADJ": {"ADJ"}, "ANY": None}


@dataclass(frozen=True)
class TriggerRule:
    phrase: str
    pos: str
    type: str
    mode: str | None
    requires: str


@dataclass(frozen=True)
class TriggerHit:
    token: Token  # the first word of the trigger
    end: int  # token index after the trigger
    rule: TriggerRule


def load_rules(name: str = "en_event_triggers.csv") -> list[TriggerRule]:
    path = resources.files("undercurrent.extract").joinpath("lexicons", name)
    with path.open(encoding="utf-8") as handle:
        return [
            TriggerRule(row["phrase"], row["pos"], row["type"], row["mode"] or None, row["requires"])
            for row in csv.DictReader(handle)
        ]


class TriggerMatcher:
    """Finds lexicon triggers by lemma; multi-word verbs may have up to two words between."""

    def __init__(self, nlp: Language, rules: list[TriggerRule]) -> None:
        self.rules = rules
        self.matcher = Matcher(nlp.vocab)
        for index, rule in enumerate(rules):
            words = rule.phrase.split()
            pattern: list[dict] = []
            for position, word in enumerate(words):
                if position:
                    pattern += [{"OP": "?", "IS_PUNCT": False}, {"OP": "?", "IS_PUNCT": False}] if rule.pos == "VERB" else []
                token_pattern: dict = {"LEMMA": {"IN": [word, word.capitalize()]}}
                if position == 0 and len(words) == 1 and _POS[rule.pos]:
                    token_pattern["POS"] = {"IN": sorted(_POS[rule.pos])}
                pattern.append(token_pattern)
            lower = [{"LOWER": word} for word in words]
            self.matcher.add(str(index), [pattern, lower] if len(words) == 1 else [pattern])

    def find(self, doc: Doc) -> list[TriggerHit]:
        hits: dict[int, TriggerHit] = {}
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[int(doc.vocab.strings[match_id])]
            token = doc[start]
            allowed = _POS[rule.pos]
            if allowed and len(rule.phrase.split()) == 1 and token.pos_ not in allowed:
                continue
            if rule.pos == "VERB" and token.dep_ in {"amod", "compound"}:
                continue  # "state-provided licenses" describes, it does not report an act
            if not _requirement_met(token, rule.requires):
                continue
            current = hits.get(start)
            # The longer phrase wins ("round up" over "round", "send to" over "send").
            if current is None or len(rule.phrase.split()) > len(current.rule.phrase.split()):
                hits[start] = TriggerHit(token, end, rule)
        return [hits[i] for i in sorted(hits)]


def _requirement_met(token: Token, requires: str) -> bool:
    if not requires:
        return True
    if requires == "passive":
        return any(c.dep_ in {"auxpass", "nsubjpass"} for c in token.children) or token.tag_ == "VBN" and token.dep_ in {"acl", "amod"}
    if requires == "infinitive":
        return any(c.dep_ == "xcomp" for c in token.children)
    if requires.startswith(("near:", "unless:")):
        kind, _, pattern = requires.partition(":")
        doc = token.doc
        # A window of words around the trigger, not the whole sentence: "raising her sons" is no limit raised.
        window = doc[max(token.sent.start, token.i - 8) : min(token.sent.end, token.i + 9)].text
        found = re.search(r"\b(?:" + pattern + r")", window, re.I) is not None
        return found if kind == "near" else not found
    raise ValueError(f"unknown trigger requirement {requires!r}")
