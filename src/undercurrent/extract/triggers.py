"""Event triggers: the lexicon of PLOVER types and modes, found by lemma in a parsed report."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.sentences import sentence_of

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
    return [TriggerRule(row["phrase"], row["pos"], row["type"], row["mode"] or None, row["requires"])
            for row in lexicon_rows(name)]


class TriggerMatcher:
    """Finds lexicon triggers by lemma; the words of a multi-word verb may have two words between.

    A dictionary from first lemma to rules, read once per token: linear in the text, where
    spaCy's Matcher with optional wildcards costs more than the parse itself."""

    def __init__(self, rules: list[TriggerRule]) -> None:
        self.rules = rules
        self.by_first: dict[str, list[TriggerRule]] = {}
        for rule in rules:
            self.by_first.setdefault(rule.phrase.split()[0], []).append(rule)
        for candidates in self.by_first.values():
            candidates.sort(key=lambda r: len(r.phrase.split()), reverse=True)

    def _match_end(self, doc: Doc, start: int, words: list[str], gap: int) -> int | None:
        """Token index after the phrase starting at start, or None."""
        position = start + 1
        sent_end = sentence_of(doc[start]).end
        for word in words[1:]:
            for offset in range(gap + 1):
                index = position + offset
                if index >= sent_end or doc[index].is_punct:
                    return None
                if _lemma(doc[index]) == word or doc[index].lower_ == word:
                    position = index + 1
                    break
            else:
                return None
        return position

    def find(self, doc: Doc) -> list[TriggerHit]:
        hits: list[TriggerHit] = []
        for token in doc:
            candidates = self.by_first.get(_lemma(token)) or self.by_first.get(token.lower_)
            if not candidates:
                continue
            for rule in candidates:
                words = rule.phrase.split()
                allowed = _POS[rule.pos]
                if len(words) == 1:
                    if allowed and token.pos_ not in allowed:
                        continue
                    end = token.i + 1
                else:
                    found = self._match_end(doc, token.i, words, 2 if rule.pos == "VERB" else 0)
                    if found is None:
                        continue
                    end = found
                if rule.pos == "VERB" and token.dep_ in {"amod", "compound"}:
                    continue  # "state-provided licenses" describes, it does not report an act
                if not _requirement_met(token, rule.requires):
                    continue
                hits.append(TriggerHit(token, end, rule))  # the longest phrase wins ("round up" over "round")
                break
        return hits


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


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
        window = doc[max(sentence_of(token).start, token.i - 8) : min(sentence_of(token).end, token.i + 9)].text
        found = re.search(r"\b(?:" + pattern + r")", window, re.I) is not None
        return found if kind == "near" else not found
    raise ValueError(f"unknown trigger requirement {requires!r}")
