"""Event arguments: the recipient of an act, read from the object of its trigger."""
from __future__ import annotations

from spacy.tokens import Token

from undercurrent.kb import KnowledgeBase
from undercurrent.models import Entity, InstitutionMention

STATE_SECTORS = {"GOV", "COP", "MIL", "SPY", "JUD", "PTY"}
# Sectors of recipients named by a common noun (PLOVER sector codes), when no institution is named.
NOUN_SECTORS = {
    "resident": "CVL", "people": "CVL", "citizen": "CVL", "civilian": "CVL", "woman": "CVL", "man": "CVL",
    "student": "EDU", "worker": "LAB", "farmer": "CVL", "trader": "BUS", "merchant": "BUS", "vendor": "BUS",
    "smuggler": "CRM", "trafficker": "CRM", "broker": "CRM", "dealer": "CRM", "defector": "REF",
    "refugee": "REF", "escapee": "REF", "official": "GOV", "cadre": "GOV", "soldier": "MIL", "troop": "MIL",
    "guard": "MIL", "officer": "COP", "police": "COP", "journalist": "MED", "missionary": "REL",
    "christian": "REL", "korean": "CVL", "prisoner": "CVL", "inmate": "CVL", "detainee": "CVL", "activist": "CVL",
}
# Where an action's object sits: "arrested five smugglers", "were detained", "the arrest of", "cracked down on".
OBJECT_DEPS = {"dobj", "nsubjpass", "dative"}
OBJECT_PREPS = {"on", "against", "of"}


def object_entities(token: Token, institutions: list[InstitutionMention], kb: KnowledgeBase,
                    actors: list[Entity]) -> list[Entity]:
    """The object of the trigger as an entity: an institution when one is named there, else the noun phrase."""
    objects: list[Token] = []
    for child in token.children:
        if child.dep_ in OBJECT_DEPS:
            objects.append(child)
        elif child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
            objects.extend(g for g in child.children if g.dep_ == "pobj")
    for word in objects:
        word = _through_quantity(word)
        if word.pos_ not in {"NOUN", "PROPN"}:
            continue  # "arrested them": a pronoun names no one here
        left = max((c.i for c in word.children if c.dep_ in {"det", "amod", "compound", "nummod", "poss"} and c.i < word.i),
                   default=word.i)
        left = min([left] + [c.left_edge.i for c in word.children if c.dep_ in {"amod", "compound", "nummod"} and c.i < word.i])
        right = word.i
        of = next((c for c in word.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if noun is not None and noun.i - left < 10:
            right = noun.i  # "the use of Chinese mobile phones", not "the use"
        span = word.doc[left : right + 1]
        if span[0].dep_ == "det":
            span = span[1:] if len(span) > 1 else span
        mention = next((m for m in institutions if m.id and span.start_char <= m.start < span.end_char + 1), None)
        if mention is not None:
            entity = Entity(text=mention.text, institution=mention.id, sector=kb.institutions.sector(mention.id))
        else:
            entity = Entity(text=span.text, sector=NOUN_SECTORS.get(word.lemma_.lower().rstrip("s")))
        if all(entity.text != a.text for a in actors):
            return [entity]
    return []


def _through_quantity(word: Token) -> Token:
    """"dozens of traders", "five of the smugglers": the people, not the number."""
    if word.lower_ in {"dozens", "hundreds", "thousands", "scores", "number", "group", "some", "many", "all"} or word.like_num:
        for child in word.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return next((g for g in child.children if g.dep_ == "pobj"), word)
    return word
