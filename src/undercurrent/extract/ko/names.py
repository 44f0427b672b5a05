"""Korean names in text (places, institutions): a name starts a word and is followed by nothing, a
particle or a suffix."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from undercurrent.extract.places import resolve_place_hits
from undercurrent.kb import KnowledgeBase
from undercurrent.models import InstitutionMention, PlaceMention

# What may follow a name inside the same word: particles and common bound nouns.
PARTICLES = (
    "에서는", "에서도", "에서의", "에서", "에는", "에도", "에게", "에", "의", "은", "는", "이", "가", "을", "를",
    "으로는", "으로", "로는", "로", "와", "과", "도", "까지", "부터", "만", "이나", "나", "이다", "였다", "이며",
    "지역", "일대", "일원", "쪽", "내", "내에서", "시내", "관내", "경내", "인근", "주변", "당국", "측", "들", "들이",
    "들은", "들을", "들의", "들에게", "원", "원들", "원이", "원은", "원들이", "원들은", "원을", "장", "장이", "장은",
)
ADMIN_SUFFIXES = ("특별시", "직할시", "노동자구", "구역", "시", "군", "도", "읍", "리", "동", "구")
_WORD = re.compile(r"[0-9A-Za-z가-힣·]+")


@dataclass(frozen=True)
class KoHit:
    start: int
    end: int  # end of the name (not of the particle)
    text: str
    values: tuple[str, ...]


class HangulMatcher:
    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}
        self.max_len = 1

    def add(self, name: str, value: str) -> None:
        name = name.replace(" ", "").strip()
        if len(name) < 2 or not re.search(r"[가-힣]", name):
            return
        values = self.names.setdefault(name, [])
        if value not in values:
            values.append(value)
        self.max_len = max(self.max_len, len(name))

    def find(self, text: str) -> list[KoHit]:
        hits = []
        words = list(_WORD.finditer(text))
        skip_until = -1
        for i, word in enumerate(words):
            if word.start() < skip_until:
                continue
            hit = self._match_at(text, word, words[i + 1] if i + 1 < len(words) else None)
            if hit:
                hits.append(hit)
                skip_until = hit.end
        return hits

    def _match_at(self, text: str, word, following) -> KoHit | None:
        token = word.group()
        # "109 상무", "국가 보위성": a name may be written in two words
        if following is not None and following.start() == word.end() + 1:
            joined = token + following.group()
            for size in range(min(self.max_len, len(joined)), len(token), -1):
                name = joined[:size]
                if name in self.names and _accepts(name, joined[size:]):
                    return KoHit(word.start(), following.start() + size - len(token), text[word.start():following.start() + size - len(token)], tuple(self.names[name]))
        for size in range(min(self.max_len, len(token)), 1, -1):
            name = token[:size]
            if name in self.names and _accepts(name, token[size:]):
                return KoHit(word.start(), word.start() + size, name, tuple(self.names[name]))
        return None


def _accepts(name: str, rest: str) -> bool:
    if not rest:
        return True
    if name.endswith(ADMIN_SUFFIXES) and len(name) >= 3:
        return True
    return rest in PARTICLES


def _base(name: str) -> str | None:
    """"혜산시" -> "혜산": a place is also written without its unit word."""
    for suffix in ADMIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def place_matcher(kb: KnowledgeBase) -> HangulMatcher:
    matcher = HangulMatcher()
    for entry in kb.gazetteer.korean_names:
        matcher.add(entry.name, entry.place_id)
        if entry.source != "place":
            continue
        base = _base(entry.name)
        place = kb.gazetteer.get(entry.place_id)
        if base and place is not None and place.admin_level <= 2:
            matcher.add(base, entry.place_id)
    return matcher


@lru_cache(maxsize=1)
def institution_matcher(kb: KnowledgeBase) -> HangulMatcher:
    matcher = HangulMatcher()
    for name, inst_id in kb.institutions.korean_names:
        # "국가보위성(보위부)": the bracketed gloss is not part of the name
        matcher.add(re.sub(r"\(.*?\)", "", name), inst_id)
    return matcher


def find_places_ko(text: str, kb: KnowledgeBase) -> list[PlaceMention]:
    return resolve_place_hits(place_matcher(kb).find(text), kb)


def find_institutions_ko(text: str, kb: KnowledgeBase, *, published: str | None) -> list[InstitutionMention]:
    out = []
    for hit in institution_matcher(kb).find(text):
        chosen = hit.values[0] if len(hit.values) == 1 else None
        inst = kb.institutions.get(chosen)
        out.append(InstitutionMention(id=chosen, text=hit.text, name_in_force=inst.name_at(published) if inst else None,
                                      candidates=list(hit.values) if chosen is None else [], start=hit.start, end=hit.end))
    return out
