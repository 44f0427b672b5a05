"""spaCy's attribute ruler (tag map and exceptions: POS, MORPH, LEMMA from TAG and the word) as lookup tables.

The stock component runs a `Matcher` over every token and took about a fifth of the whole parse of a report
(0.52 s of 2.93 s on the 48 English dev reports), more than the parser itself. Its patterns are single words
or pairs tested on TAG, LOWER, DEP and IS_SPACE, so each can be found by looking up the token's tag or word
instead of trying every pattern. The rules, their order (later rules win) and the attribute values are the
loaded model's own, read from its `attribute_ruler`; `tests/extract/en/test_attribute_table.py` checks that
both give the same tokens. A pattern this table does not understand keeps the stock component (`replace`
returns False), so a model with other patterns is never run with half its rules.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

COMPONENT = "undercurrent_attribute_table"
# Token attributes the table can test, as the Matcher reads them.
_READERS: dict[str, Callable[[Token], object]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space, "ORTH": lambda t: t.text, "POS": lambda t: t.pos_,
}


class UnsupportedPattern(ValueError):
    """A pattern the table cannot test exactly as the Matcher does."""


def _test(attr: str, spec: object) -> Callable[[Token], bool]:
    read = _READERS.get(attr)
    if read is None:
        raise UnsupportedPattern(attr)
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            values = frozenset(spec["IN"])
            return lambda t: read(t) in values
        if set(spec) == {"NOT_IN"}:
            excluded = frozenset(spec["NOT_IN"])
            return lambda t: read(t) not in excluded
        if set(spec) == {"REGEX"}:
            regex = re.compile(spec["REGEX"])
            return lambda t: regex.search(str(read(t))) is not None
        raise UnsupportedPattern(f"{attr}: {spec}")
    return lambda t: read(t) == spec


@dataclass(frozen=True)
class _Rule:
    order: int  # the rule's position in the ruler: later rules win
    # Tests left after the lookup, per word of the pattern (the first word's looked-up attributes dropped).
    tests: tuple[tuple[Callable[[Token], bool], ...], ...]
    offset: int  # which word of the match gets the attributes (from the start; the ruler allows -1)
    attrs: dict


def _keys(word: dict, attr: str) -> tuple[str, ...] | None:
    """The values of `attr` a word of a pattern can have, when it names them (for the lookup)."""
    spec = word.get(attr)
    if isinstance(spec, str):
        return (spec,)
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return tuple(spec["IN"])
    return None


class AttributeTable:
    """Same rules as the model's AttributeRuler, found by the first word's tag, lower form and dependency."""

    # The first word's attributes a rule is filed under, most specific first.
    _INDEXED = (("TAG", "LOWER"), ("TAG",), ("LOWER",), ("DEP",), ("IS_SPACE",), ())

    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], dict[tuple, list[_Rule]]] = {attrs: defaultdict(list) for attrs in self._INDEXED}
        self._candidates: dict[tuple, tuple[list[_Rule], list[_Rule]]] = {}

    def load(self, ruler: AttributeRuler) -> None:
        """Read the stock ruler's patterns (raises UnsupportedPattern for one the table cannot test)."""
        # ruler.patterns lists each rule with its attributes as strings; ruler.attrs holds them as the
        # ids the ruler sets, in the same order, so both are read by position.
        for order, (entry, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices, strict=True)):
            patterns: list[list[dict]] = entry["patterns"]  # type: ignore[assignment]
            for pattern in patterns:  # one rule may list several patterns
                if any("OP" in word for word in pattern):
                    raise UnsupportedPattern("OP")
                self._add(order, pattern, index if index >= 0 else len(pattern) + index, attrs)
        self._candidates.clear()

    def _add(self, order: int, pattern: list[dict], offset: int, attrs: dict) -> None:
        first = pattern[0]
        keys = {a: k for a in ("TAG", "LOWER", "DEP") if (k := _keys(first, a)) is not None}
        if isinstance(first.get("IS_SPACE"), bool):
            keys["IS_SPACE"] = (first["IS_SPACE"],)
        filed = next(attrs for attrs in self._INDEXED if set(attrs) <= set(keys))
        tests = (tuple(_test(a, s) for a, s in first.items() if a not in filed),
                 *(tuple(_test(a, s) for a, s in word.items()) for word in pattern[1:]))
        rule = _Rule(order, tests, offset, attrs)
        for values in product(*(keys[a] for a in filed)):
            self.index[filed][values].append(rule)

    def candidates(self, key: tuple[str, str, str, bool]) -> tuple[list[_Rule], list[_Rule]]:
        """(rules that match a token with nothing left to test, rules still to test) for a token's tag,
        lower form, dependency and whether it is a space; cached, as few keys recur."""
        found = self._candidates.get(key)
        if found is None:
            values = dict(zip(("TAG", "LOWER", "DEP", "IS_SPACE"), key, strict=True))
            rules = [r for attrs, table in self.index.items() for r in table.get(tuple(values[a] for a in attrs), ())]
            found = ([r for r in rules if len(r.tests) == 1 and not r.tests[0]],
                     [r for r in rules if len(r.tests) > 1 or r.tests[0]])
            self._candidates[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        matches: list[tuple[int, int, _Rule]] = []
        n = len(doc)
        cached = self._candidates
        for token in doc:
            i = token.i
            key = (token.tag_, token.lower_, token.dep_, token.is_space)
            certain, tested = cached.get(key) or self.candidates(key)
            for rule in certain:
                matches.append((rule.order, i, rule))
            for rule in tested:
                if i + len(rule.tests) <= n and all(test(doc[i + k]) for k, word in enumerate(rule.tests) for test in word):
                    matches.append((rule.order, i, rule))
        matches.sort(key=_position)
        for _, start, rule in matches:
            set_token_attrs(doc[start + rule.offset], rule.attrs)
        return doc


def _position(match: tuple[int, int, _Rule]) -> tuple[int, int]:
    return match[0], match[1]


@Language.factory(COMPONENT)
def make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    return AttributeTable()


def replace_attribute_ruler(nlp: Language) -> bool:
    """Put the table in place of the model's `attribute_ruler`; False (and nothing changed) when the model
    has none or a pattern the table cannot test."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        AttributeTable().load(ruler)
    except UnsupportedPattern:
        return False
    table = nlp.replace_pipe("attribute_ruler", COMPONENT)
    assert isinstance(table, AttributeTable)
    table.load(ruler)
    return True
