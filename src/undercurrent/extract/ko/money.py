"""Korean amounts and counts: 만/억/천 multipliers, 원/위안/달러, "쌀 1kg에 5,000원", "주민 3명"."""
from __future__ import annotations

import re
from dataclasses import dataclass

NATIVE = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
          "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "3만 5천", "1억", "2만5000", "5,000"
AMOUNT = rf"(?:(?:{_NUM})\s*억\s*)?(?:(?:{_NUM})\s*만\s*)?(?:(?:{_NUM})\s*천\s*)?(?:{_NUM})?"
CURRENCIES = [("위안화", "CNY"), ("위안", "CNY"), ("元", "CNY"), ("인민폐", "CNY"), ("중국돈", "CNY"),
              ("달러", "USD"), ("딸라", "USD"), ("불", "USD"), ("엔", "JPY"), ("원", "KPW")]
_CURRENCY = "|".join(name for name, _ in CURRENCIES)
MONEY_RE = re.compile(rf"(?P<amount>{AMOUNT})\s*(?:(?:-|~|∼|에서)\s*(?P<upper>{AMOUNT}))?\s*(?P<cur>{_CURRENCY})")
COUNT_RE = re.compile(rf"(?P<num>{_NUM}|{'|'.join(sorted(NATIVE, key=len, reverse=True))})\s*(?P<more>여\s*)?(?:명|부부|가구|세대)")
_SOUTH = re.compile(r"한국\s*돈|남한\s*돈|한화|한국\s*원")


@dataclass(frozen=True)
class KoAmount:
    start: int
    end: int
    value: float
    value_max: float | None
    currency: str


def parse_amount(text: str) -> float | None:
    text = text.replace(",", "").replace(" ", "")
    if not text:
        return None
    total = 0.0
    rest = text
    for unit, factor in (("억", 100_000_000), ("만", 10_000), ("천", 1_000)):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += (float(head) if head else 1) * factor
    if rest:
        total += float(rest)
    return total


def find_amounts_ko(text: str) -> list[KoAmount]:
    out = []
    for m in MONEY_RE.finditer(text):
        if not re.search(r"\d", m.group("amount") or ""):
            continue
        value = parse_amount(m.group("amount"))
        if value is None or value == 0:
            continue
        upper = parse_amount(m.group("upper")) if m.group("upper") else None
        currency = dict(CURRENCIES)[m.group("cur")]
        if currency == "KPW" and _SOUTH.search(text[max(0, m.start() - 12) : m.end() + 6]):
            currency = "KRW"
        start = m.start("amount")
        out.append(KoAmount(start, m.end(), value, upper, currency))
    return out


def count_value(token: str) -> int | None:
    token = token.replace(",", "")
    if token.isdigit():
        return int(token)
    return NATIVE.get(token)
