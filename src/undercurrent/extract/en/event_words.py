"""The word lists of the English event stage, read from lexicons/en_event_words.json (where each
list's note says why it is there). Loaded on first use, once per process."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from undercurrent.datafiles import lexicon_json


@dataclass(frozen=True)
class EventWords:
    order: frozenset[str]
    order_with_infinitive: frozenset[str]
    noun_event_verbs: frozenset[str]
    mobilizing_actions: frozenset[str]
    plan: frozenset[str]
    speculation: frozenset[str]
    stative: frozenset[str]
    conditional_aux: frozenset[str]
    conditional_marks: frozenset[str]
    habitual: frozenset[str]
    non_agents: frozenset[str]
    accusation: frozenset[str]
    demand: frozenset[str]
    threat: frozenset[str]
    deny: frozenset[str]
    protesters: frozenset[str]
    obstruct: frozenset[str]
    agent_nouns: frozenset[str]
    authority: re.Pattern[str]
    generic_recipient: re.Pattern[str]
    habitual_phrase: re.Pattern[str]
    # (type, mode of the action threatened or None) -> THREATEN mode
    threat_modes: dict[tuple[str, str | None], str]
    # type of the action asked for -> REQUEST mode
    request_modes: dict[str, str]
    counted_modes: frozenset[tuple[str, str | None]]


_WORD_LISTS = ("order", "order_with_infinitive", "noun_event_verbs", "mobilizing_actions", "plan", "speculation",
               "stative", "conditional_aux", "conditional_marks", "habitual", "non_agents", "accusation", "demand", "threat",
               "deny", "protesters", "obstruct", "agent_nouns")


@lru_cache(maxsize=1)
def event_words() -> EventWords:
    raw = lexicon_json("en_event_words.json")
    lists = {name: frozenset(raw[name]["words"]) for name in _WORD_LISTS}
    return EventWords(
        **lists,
        authority=re.compile(raw["authority"]["pattern"], re.I),
        generic_recipient=re.compile(raw["generic_recipient"]["pattern"], re.I),
        habitual_phrase=re.compile(raw["habitual_phrase"]["pattern"], re.I),
        threat_modes={(etype, mode): threat for etype, mode, threat in raw["threat_modes"]["rows"]},
        request_modes=dict(raw["request_modes"]["modes"]),
        counted_modes=frozenset((etype, mode) for etype, mode in raw["counted_modes"]["rows"]),
    )
