"""Korean observations: money amounts (prices, rates, bribes, fines, wages) and counts of people."""
from __future__ import annotations

import re
from functools import lru_cache

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.ko.analysis import KoDoc, KoSentence
from undercurrent.extract.ko.money import find_amounts_ko
from undercurrent.extract.places import observation_place
from undercurrent.extract.stages import Mentions
from undercurrent.models import Evidence, Observation, ObservationKind

_RATE = re.compile(r"환율|달러당|위안당|1\s*달러에|1\s*위안에|달러\s*당")
_BRIBE = re.compile(r"뇌물|고이")
_FINE = re.compile(r"벌금")
_WAGE = re.compile(r"월급|임금|노임")


@lru_cache(maxsize=1)
def _items() -> list[tuple[re.Pattern[str], str]]:
    """What a price is of (lexicons/ko_items.csv): the first row whose pattern is near the amount."""
    return [(re.compile(row["pattern"]), row["item"]) for row in lexicon_rows("ko_items.csv")]


def money_observations_ko(doc: KoDoc, mentions: Mentions) -> list[Observation]:
    out = []
    for sentence in doc.sentences:
        for amount in find_amounts_ko(sentence.text):
            start, end = sentence.start + amount.start, sentence.start + amount.end
            context = sentence.text[max(0, amount.start - 20) : amount.end + 10]
            item = next((name for pattern, name in _items() if pattern.search(context)), None)
            kind: ObservationKind = "price" if item or re.search(r"가격|값|팔|사|거래|시세", context) else "other"
            unit: str | None = None
            if re.search(r"(?:1\s*)?(?:kg|킬로|키로|kg당)", context):
                unit = "kg"
            if amount.currency in {"KPW", "KRW"} and _RATE.search(context):
                kind, item, unit = "exchange_rate", "US dollar" if "달러" in context else "Chinese yuan", None
                unit = "per USD" if item == "US dollar" else "per CNY"
            elif _BRIBE.search(context):
                kind = "bribe"
            elif _FINE.search(context):
                kind = "fine"
            elif _WAGE.search(context):
                kind = "wage"
            out.append(Observation(kind=kind, item=item, value=amount.value, value_max=amount.value_max,
                                   currency=amount.currency, unit=unit, place=_place_at(start, sentence, mentions),
                                   evidence=Evidence(quote=doc.text[start:end], start=start, end=end)))
    return out


def count_observations_ko(doc: KoDoc, counts: list[tuple[int, int, int]], mentions: Mentions) -> list[Observation]:
    """Counts of people (ko/events.py people_counts_ko) as observations."""
    return [Observation(kind="count", value=value, place=_place_at(start, doc.sentence_at(start), mentions),
                        evidence=Evidence(quote=doc.text[start:end], start=start, end=end))
            for start, end, value in counts]


def _place_at(offset: int, sentence: KoSentence | None, mentions: Mentions) -> str | None:
    # A count is found inside a sentence (people_counts_ko), so its sentence is always there.
    assert sentence is not None
    return observation_place(offset, sentence.start, sentence.end, mentions.places, mentions.sources)
