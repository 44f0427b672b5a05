"""Numbers of people acted upon: an event's size and the counts that become observations."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from undercurrent.extract.en.event_words import event_words
from undercurrent.extract.en.numbers import is_number_word, parse_number
from undercurrent.extract.en.sentences import is_headline, sentence_of
from undercurrent.extract.en.triggers import TriggerHit
from undercurrent.models import EventSize, Evidence, Observation

PERSON_NOUNS = re.compile(
    r"^(people|persons?|individuals?|residents?|citizens?|civilians?|women|woman|men|man|officials?|officers?|"
    r"users?|miners?|inmates?|prisoners?|defectors?|students?|workers?|smugglers?|traffickers?|suspects?|"
    r"others|foreigners?|north koreans?|koreans?|guards?|soldiers?|children|traders?|merchants?|farmers?|"
    r"brokers?|members?|prosecutors?|cadres?|sons?|daughters?|families|family|agents?|nationals?|escapees?|"
    r"refugees?|laborers?|labourers?|teenagers?|youths?|leaders?|callers?)$", re.I)


def _number_value(token: Token) -> float | None:
    if not (token.like_num or is_number_word(token.text)):
        return None
    words = [token.text]
    for child in token.children:
        if child.dep_ in {"compound", "quantmod"} and child.i == token.i - 1 and child.like_num:
            words.insert(0, child.text)
    nxt = token.nbor() if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ in {"million", "thousand", "hundred", "billion"}:
        words.append(nxt.text)
    return parse_number(" ".join(words))


def size_of(token: Token, etype: str, mode: str | None) -> EventSize | None:
    numbers = [(c, _number_value(c)) for c in _people_numbers(token)]
    counted = [(c, v) for c, v in numbers if v]
    if not counted:
        return None
    value = int(counted[0][1])
    if etype == "COERCE" and mode in {"arrest", None}:
        return EventSize(arrested=value)
    if etype == "ASSAULT" and mode in {"execute", None, "firearms"}:
        return EventSize(dead=value)
    return None


def _people_numbers(token: Token) -> list[Token]:
    """Number words that count people in the trigger's sentence."""
    found = []
    for word in sentence_of(token):
        if not (word.like_num or is_number_word(word.text)) or word.dep_ in {"compound", "quantmod"}:
            continue
        head = word.head
        if word.dep_ == "nummod" and (PERSON_NOUNS.match(head.text) or head.ent_type_ == "NORP"):
            found.append(word)
        elif word.dep_ in {"nsubj", "nsubjpass", "dobj"} and word.head.pos_ == "VERB":
            found.append(word)
        elif word.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in {"total"}:
            found.append(word)
        elif word.dep_ in {"conj", "prep"} or (word.dep_ == "pobj" and head.lower_ == "between"):
            # "between 150,000 and 200,000 people": both ends count
            anchor = head if word.dep_ == "conj" else word
            target = anchor.head if anchor.dep_ == "nummod" else None
            if target is not None and PERSON_NOUNS.match(target.text):
                found.append(word)
    return found


@dataclass(frozen=True)
class CountSpan:
    start: int
    end: int
    value: float


def people_counts(hits: list[TriggerHit], money: list[Observation]) -> list[CountSpan]:
    """Numbers of people near an act that is counted (arrests, executions ...; lexicons/en_event_words.json),
    wherever such an act is named, even when it is no event itself (a headline excepted), and never
    inside an amount of money. Each span once, in the order found."""
    money_spans = [(o.evidence.start, o.evidence.end) for o in money]
    counted = event_words().counted_modes
    spans: dict[tuple[int, int], CountSpan] = {}
    for hit in hits:
        if (hit.rule.type, hit.rule.mode) in counted and not is_headline(sentence_of(hit.token)):
            for start, end, value in counts_near(hit.token, money_spans):
                spans.setdefault((start, end), CountSpan(start, end, value))
    return list(spans.values())


def count_observations(text: str, counts: list[CountSpan], place_at) -> list[Observation]:
    """Counts of people as observations; `place_at(offset)` gives the place in force at an offset."""
    return [
        Observation(kind="count", item=None, value=c.value, currency=None, unit=None, place=place_at(c.start),
                    evidence=Evidence(quote=text[c.start:c.end], start=c.start, end=c.end))
        for c in counts
    ]


def counts_near(token: Token, money_spans: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """Numbers of people in the trigger's sentence, outside amounts of money: (start, end, value)."""
    spans = []
    for word in _people_numbers(token):
        if any(s <= word.idx < e for s, e in money_spans):
            continue
        value = _number_value(word)
        if not value:
            continue
        head = word.head if word.dep_ == "nummod" else word
        left, right = min(word.i, head.i), max(word.i, head.i)
        doc = token.doc
        start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
        spans.append((start, end, value))
    return spans
