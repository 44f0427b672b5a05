"""Event triggers: the lexicon of PLOVER types and modes, found by lemma in a parsed report."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.en.sentences import sentence_of

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
        # Rules by a token's (lemma, lower form): the few thousand distinct words of a corpus are looked up
        # once each instead of deriving their keys at every token.
        self._by_word: dict[tuple[str, str], list[TriggerRule]] = {}

    def _rules_for(self, token: Token) -> list[TriggerRule]:
        word = (token.lemma_, token.lower_)
        found = self._by_word.get(word)
        if found is None:
            found = next((self.by_first[k] for k in _keys(token) if k in self.by_first), [])
            self._by_word[word] = found
        return found

    def _match_end(self, doc: Doc, start: int, words: list[str], gap: int) -> int | None:
        """Token index after the phrase starting at start, or None."""
        position = start + 1
        sent_end = sentence_of(doc[start]).end
        for word in words[1:]:
            for offset in range(gap + 1):
                index = position + offset
                if index >= sent_end or doc[index].is_punct:
                    return None
                if word in _keys(doc[index]):
                    position = index + 1
                    break
            else:
                return None
        return position

    def find(self, doc: Doc) -> list[TriggerHit]:
        hits: list[TriggerHit] = []
        for token in doc:
            candidates = self._rules_for(token)
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


def _keys(token: Token) -> tuple[str, ...]:
    """The lemma, the lower-cased form, then the form with a regular ending taken off.

    The lemmatiser is wrong on some words ("installed" -> "instal", "shelled" -> "shelled"); a
    lexicon row names the dictionary form once, and the fallbacks find its inflections."""
    lemma, lower = _lemma(token), token.lower_
    keys = [lemma, lower]
    for ending, repl in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                         ("es", ""), ("s", "")):
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            stem = lower[: -len(ending)] + repl
            keys.append(stem)
            if repl == "" and len(stem) > 3 and stem[-1] == stem[-2]:
                keys.append(stem[:-1])  # "shelled" -> "shell" and "planned" -> "plan"
    return tuple(dict.fromkeys(keys))


# Who may meet, visit, negotiate or praise as a PLOVER actor: officials, states and organisations,
# not a source visiting relatives.
OFFICIAL = re.compile(
    r"\b(authorit|government|regime|state|party|official|leader|minist|president|premier|chairman|envoy|"
    r"delegat|diplomat|ambassador|negotiator|counterpart|council|committee|union|nations|agency|army|military|"
    r"police|guard|navy|forces|customs|court|spokes|group|organi[sz]ation|activist|campaigner|association|federation|secretary|general|senator|lawmaker|parliament|assembly|opposition|kim|pyongyang|seoul|"
    r"washington|beijing|moscow|tokyo|china|japan|russia|korea|united states|america|side|countr)", re.I)


def _subject(token: Token) -> Token | None:
    for word in [token, token.head] if token.dep_ in {"xcomp", "conj"} else [token]:
        for child in word.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
    return None


def _requirement_met(token: Token, requires: str) -> bool:
    if not requires:
        return True
    if ";" in requires:
        return all(_requirement_met(token, part) for part in requires.split(";"))
    if requires == "official":
        # An official subject, or a noun trigger held by one ("talks were held" passes: no subject).
        subject = _subject(token) if token.pos_ in {"VERB", "AUX"} else _subject(token.head)
        if subject is None:
            return token.pos_ not in {"VERB", "AUX"}
        text = " ".join(t.text for t in subject.subtree)
        return OFFICIAL.search(text) is not None or any(t.ent_type_ in {"GPE", "NORP", "ORG"} for t in subject.subtree)
    if requires == "object":
        # A transitive use: "declined the offer", not "prices declined".
        return any(c.dep_ in {"dobj", "xcomp", "ccomp", "nsubjpass"} for c in token.children)
    if requires == "agent":
        # A noun naming the people who act ("protesters blocked"): the subject of a verb.
        return token.dep_ == "nsubj" and token.head.pos_ in {"VERB", "AUX"}
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
