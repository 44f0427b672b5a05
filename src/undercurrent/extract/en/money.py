"""Observations of money: amounts (prices, rates, payments, fines, bribes, wages) and what they are for."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.en.numbers import NUMBER_RE, SCALE_RE, parse_number
from undercurrent.extract.en.sentences import doc_text, sentences, span_text
from undercurrent.kb import KnowledgeBase
from undercurrent.models import Evidence, Observation, ObservationKind

_PREFIX_SYMBOLS = {"US$": "USD", "$": "USD", "¥": "CNY", "₩": "KPW"}
_UNIT_PATTERNS = [
    (re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:per|a|for|for a|for one|for 1|/)\s*(?:1\s*)?(?:kg|kilo|kilos|kilogram|kilograms)\b", re.I), "kg"),
    (re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:for|of)?\s*(?:1\s*)?(?:kg|kilo|kilogram)s?\s+of\b", re.I), "kg"),
    (re.compile(r"^\s*(?:per|a|each)\s+(?:person|individual|head|capita)\b", re.I), "per person"),
    (re.compile(r"^\s*per\s+(guest|day|month|year|woman|family|household|piece|bowl|customer)\b", re.I), None),
    (re.compile(r"^\s*a\s+(piece|day|month|bowl)\b", re.I), None),
]
_KG_BEFORE = re.compile(r"\b(?:a|one|per|1)\s*(?:kg|kilo|kilogram)s?\s+of\b", re.I)
_RATE_CUE = re.compile(r"exchange rate|per (?:us )?dollar|to the dollar|per yuan|to the yuan|per \$|trading (?:for|at)|exchang|was worth|equivalent to"
                       r"|\b(?:one|a|1)\s+(?:us\s+|american\s+|chinese\s+)?(?:dollar|yuan)\s+(?:bought|buys|buy|fetche[sd]|gets|got|sells? for|sold for)", re.I)
# Where one sentence joins a price and a rate ("rice sold for 7,900 won, and one dollar bought 32,500 won"),
# an amount whose own clause names an item and no rate is a price.
_CLAUSE_BREAK = re.compile(r",\s*(?:and|while|but|whereas)\s+|;\s*|\s+(?:while|whereas)\s+", re.I)
_FOREIGN = {"USD": "US dollar", "CNY": "Chinese yuan", "JPY": "Japanese yen", "EUR": "euro"}
_KIND_CUES: list[tuple[ObservationKind, re.Pattern[str]]] = [
    ("bribe", re.compile(r"\bbrib", re.I)),
    ("fine", re.compile(r"\bfine[ds]?\b|\bpenalt", re.I)),
    ("wage", re.compile(r"\bwage|\bsalar|\bmonthly pay|\bpaid .{0,20}a month", re.I)),
]
_PRICE_CUE = re.compile(r"\bpric|\bcost|\bsell|\bsold|\btrading at|\bbuy|\bbought|\bfee\b|\bcharge|\bpurchas|\bfetch|\bservices?\b|\bbidding|\bpa(?:y|id) (?:the|for)\b|\bper (?:guest|customer|kg|kilo)", re.I)
_NOT_QUANTITY_AFTER = re.compile(r"^\s*(?:-?\s*year|years|months?|days?|weeks?|hours?|percent|%|km|kilomet|meters|tons|am\b|pm\b|s\b)", re.I)


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    value_max: float | None
    currency: str


@lru_cache(maxsize=1)
def _items() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(r"\b" + row["pattern"] + r"\b", re.I), row["item"]) for row in lexicon_rows("en_items.csv")]


@lru_cache(maxsize=4)
def _currency_regex(kb: KnowledgeBase) -> re.Pattern[str]:
    names = [n for n in kb.currencies.names() if n.isascii()]
    alternation = "|".join(r"[\s-]+".join(re.escape(part) for part in name.split()) for name in names)
    amount = rf"(?:{NUMBER_RE}{SCALE_RE})"
    sep = r"\s*(?:-|–|to|and|or|&\s*\[\]|~)\s*"
    prefix_cur = r"(?P<pcur>US\$|\$|¥|₩|KPW|USD|CNY|RMB|KRW)"
    return re.compile(
        rf"(?:{prefix_cur}\s?(?P<pa>{amount})(?:{sep}(?:(?P=pcur)\s?)?(?P<pb>{amount})(?![\d,]))?)"
        rf"|(?:(?P<sa>{amount})(?:{sep}(?P<sb>{amount}))?\s?(?P<scur>{alternation})\b)",
        re.I,
    )


# "400 won, down from 520": the earlier figure of the same quantity, in the same currency.
_EARLIER_FIGURE = re.compile(rf"(?:[^\d.;,]{{0,25}},\s*(?:down|up)\s+(?:sharply\s+|slightly\s+)?from|,?\s*(?:down|up)\s+from|,?\s*compared (?:with|to))"
                             rf"\s+(?P<n>{NUMBER_RE}{SCALE_RE})(?![\d,.]*\s*(?:%|percent))\b", re.I)
_LOCAL = {"KPW", "KRW"}


def find_amounts(text: str, kb: KnowledgeBase) -> list[_Amount]:
    amounts = []
    for m in _currency_regex(kb).finditer(text):
        if m.group("pcur"):
            currency = _PREFIX_SYMBOLS.get(m.group("pcur")) or kb.currencies.code(m.group("pcur"))
            a, b = m.group("pa"), m.group("pb")
        else:
            currency = kb.currencies.code(m.group("scur"))
            a, b = m.group("sa"), m.group("sb")
        value = parse_number(a)
        if value is None or currency is None:
            continue
        value_max = parse_number(b) if b else None
        amounts.append(_Amount(m.start(), m.end(), value, value_max, currency))
        earlier = _EARLIER_FIGURE.match(text, m.end())
        if earlier and (earlier_value := parse_number(earlier.group("n"))) is not None:
            amounts.append(_Amount(earlier.start("n"), earlier.end("n"), earlier_value, None, currency))
    return amounts


def money_observations(doc: Doc, kb: KnowledgeBase, place_at) -> list[Observation]:
    """Money amounts as observations; `place_at(offset)` gives the place in force at an offset."""
    text = doc_text(doc)
    observations = []
    for sent in sentences(doc):
        s_text = span_text(sent)
        amounts = find_amounts(s_text, kb)
        # Each local amount's foreign base ("10 yuan is equivalent to 1,650 won"), found once per sentence.
        bases = [_rate_base_of(s_text, amount, amounts) for amount in amounts]
        for amount, base in zip(amounts, bases, strict=True):
            if _is_rate_base(amount, amounts, bases):
                continue
            start, end = sent.start_char + amount.start, sent.start_char + amount.end
            after = text[end : end + 40]
            unit = _unit(after) or ("kg" if _KG_BEFORE.search(s_text[: amount.start]) else None)
            kind, item = _kind_and_item(s_text, amount)
            if kind == "exchange_rate" and len(amounts) > 1:
                kind, item = _price_in_own_clause(s_text, amount) or (kind, item)
            if base is not None:  # "10 yuan is equivalent to 1,650 won": a rate of 165 won per yuan
                kind, item = "exchange_rate", _FOREIGN.get(base.currency, base.currency)
                amount = _Amount(amount.start, amount.end, amount.value / base.value,
                                 amount.value_max / base.value if amount.value_max else None, amount.currency)
            if kind == "exchange_rate" and item is not None:  # a rate always names its foreign currency
                unit = f"per {kb.currencies.code(item) or item}"
            # A range is one record with value_max (RECORDS.md allows either form).
            observations.append(
                Observation(
                    kind=kind, item=item, value=amount.value, value_max=amount.value_max, currency=amount.currency,
                    unit=unit, place=place_at(start),
                    evidence=Evidence(quote=text[start:end], start=start, end=end),
                )
            )
    return observations


def _clause(sentence: str, amount: _Amount) -> str:
    """The clause of `sentence` holding `amount`, with offsets kept (text outside it blanked)."""
    start, end = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= amount.start:
            start = m.end()
        elif m.start() >= amount.end:
            end = m.start()
            break
    return " " * start + sentence[start:end] + " " * (len(sentence) - end)


def _price_in_own_clause(sentence: str, amount: _Amount) -> tuple[ObservationKind, str] | None:
    clause = _clause(sentence, amount)
    item = _nearest_item(clause, amount)
    if item and not _RATE_CUE.search(clause):
        return "price", item
    return None


def _is_rate_base(amount: _Amount, amounts: list[_Amount], bases: list[_Amount | None]) -> bool:
    """"1 dollar is exchanging for 8,000 won", "10 yuan is equivalent to 1,650 won": the foreign amount is
    the unit of the rate."""
    if amount.currency in _LOCAL:
        return False
    if amount.value == 1 and any(other.currency in _LOCAL for other in amounts if other is not amount):
        return True
    return any(base is amount for base in bases)


def _rate_base_of(sentence: str, amount: _Amount, amounts: list[_Amount]) -> _Amount | None:
    """The foreign amount (other than 1) this local amount is the price of, when a rate cue joins them."""
    if amount.currency not in _LOCAL:
        return None
    for base in amounts:
        if base.currency not in _LOCAL and base.end <= amount.start and base.value not in {0, 1} and base.value_max is None \
                and _RATE_CUE.search(sentence[base.end : amount.start]) and len(sentence[base.end : amount.start]) < 40:
            return base
    return None


def _unit(after: str) -> str | None:
    for pattern, unit in _UNIT_PATTERNS:
        m = pattern.match(after)
        if m:
            return unit if unit else f"per {m.group(1).lower()}"
    return None


def _kind_and_item(sentence: str, amount: _Amount) -> tuple[ObservationKind, str | None]:
    if amount.currency in {"KPW", "KRW"} and _RATE_CUE.search(sentence):
        for code, name in _FOREIGN.items():
            if re.search(rf"\b{name.split()[-1]}s?\b|\b{code}\b|\bRMB\b" if code == "CNY" else rf"\b{name.split()[-1]}s?\b|\b{code}\b|\$", sentence, re.I):
                return "exchange_rate", name
    for kind, cue in _KIND_CUES:
        if cue.search(sentence):
            return kind, None
    item = _nearest_item(sentence, amount)
    if item or _PRICE_CUE.search(sentence):
        return "price", item
    return "other", None


def _nearest_item(sentence: str, amount: _Amount) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, item in _items():
        for m in pattern.finditer(sentence):
            distance = min(abs(m.start() - amount.end), abs(amount.start - m.end()))
            if best is None or distance < best[0]:
                best = (distance, item)
    return best[1] if best else None
