"""Institutions named in a report, with abbreviations defined in the text and dated names."""
from __future__ import annotations

import re

from undercurrent.kb import KnowledgeBase
from undercurrent.models import InstitutionMention

# "Ministry of People's Security (MPS)", "State Security Department [SSD]"
_DEFINITION = re.compile(r"[\(\[]\s*([A-Z][A-Za-z]{1,6})\s*[\)\]]")
_FOREIGN_QUALIFIER = re.compile(
    r"\b(Chinese|China's|South Korean|South Korea's|Russian|Japanese|American|U\.?S\.?|local Chinese)\s+$"
)
# The same qualifier a few words before, inside the noun phrase ("Chinese border police", "Chinese public
# security officers"): only words that can stand in a noun phrase, no verb or punctuation between.
_FOREIGN_IN_PHRASE = re.compile(
    r"\b(?:Chinese|China's)\s+(?:[a-z][a-z-]+\s+){1,3}$"
)
# Or right after it, in the same clause: "guards at a detention centre in Tumen, China", "police in China".
_FOREIGN_AFTER = re.compile(r"^(?:\s+(?:in|of|at|from)\s+(?:[A-Z][a-z]+,?\s+)?(?:the\s+)?China\b)")
_NOT_IN_PHRASE = re.compile(r"\b(?:was|were|is|are|has|have|had|by|and|to|who|which|that|said|told|arrested|caught)\b")
# Before mid-2020 "MSS" in the press meant State Security; after it, it can mean either.
_MSS_SWITCH = "2020-05"


def find_institutions(text: str, kb: KnowledgeBase, *, published: str | None, words=None) -> list[InstitutionMention]:
    institutions = kb.institutions
    hits = institutions.matcher.find(text, words)
    defined: dict[str, str] = {}
    for hit in hits:
        if len(hit.values) != 1:
            continue
        m = _DEFINITION.match(text, hit.end, hit.end + 12) or _DEFINITION.match(text[hit.end :].lstrip()[:12])
        if m:
            defined[m.group(1)] = hit.values[0]
    named = {hit.values[0] for hit in hits if len(hit.values) == 1}
    mentions = []
    for hit in hits:
        if _foreign(text, hit.start, hit.end):
            continue
        candidates = list(hit.values)
        chosen = candidates[0] if len(candidates) == 1 else _resolve(hit.text, candidates, defined, named, published)
        inst = institutions.get(chosen)
        mentions.append(
            InstitutionMention(
                id=chosen, text=hit.text, name_in_force=inst.name_at(published) if inst else None,
                candidates=candidates if chosen is None or len(candidates) > 1 else [],
                start=hit.start, end=hit.end,
            )
        )
    return mentions


def _resolve(surface: str, candidates: list[str], defined: dict[str, str], named: set[str],
             published: str | None) -> str | None:
    abbreviation = surface.strip("()[] ").split()[0]
    if abbreviation in defined and defined[abbreviation] in candidates:
        return defined[abbreviation]
    in_text = [c for c in candidates if c in named]
    if len(in_text) == 1:
        return in_text[0]
    if abbreviation == "MSS" and published and published[:7] < _MSS_SWITCH:
        return "ministry_of_state_security"
    return None


def _foreign(text: str, start: int, end: int) -> bool:
    """Chinese police, guards and detention centres are not North Korean institutions."""
    before = text[max(0, start - 40) : start]
    if _FOREIGN_QUALIFIER.search(before[-25:]):
        return True
    phrase = _FOREIGN_IN_PHRASE.search(before)
    if phrase and not _NOT_IN_PHRASE.search(phrase.group()):
        return True
    return _FOREIGN_AFTER.match(text[end : end + 40]) is not None

