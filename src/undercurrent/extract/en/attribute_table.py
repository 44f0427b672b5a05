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


# A test of one attribute of a word: the attribute's name and a test of its value.
_Test = tuple[str, Callable[[object], bool]]
# The attributes a token's lookup key holds (see AttributeTable.candidates).
_KEYED = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _test(attr: str, spec: object) -> _Test:
    if attr not in _READERS:
        raise UnsupportedPattern(attr)
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            values = frozenset(spec["IN"])
            return attr, lambda v: v in values
        if set(spec) == {"NOT_IN"}:
            excluded = frozenset(spec["NOT_IN"])
            return attr, lambda v: v not in excluded
        if set(spec) == {"REGEX"}:
            regex = re.compile(spec["REGEX"])
            return attr, lambda v: regex.search(str(v)) is not None
        raise UnsupportedPattern(f"{attr}: {spec}")
    return attr, lambda v: v == spec


def _passes(token: Token, tests: tuple[_Test, ...]) -> bool:
    return all(test(_READERS[attr](token)) for attr, test in tests)


@dataclass(frozen=True)
class _Rule:
    order: int  # the rule's position in the ruler: later rules win
    tests: tuple[tuple[_Test, ...], ...]  # per word of the pattern
    offset: int  # which word of the match gets the attributes (from the start; the ruler allows -1)
    attrs: dict


# (rules that match, (rule, tests left per word) that may match)
_Candidates = tuple[list[_Rule], list[tuple[_Rule, tuple[tuple[_Test, ...], ...]]]]


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
        self._candidates: dict[tuple, _Candidates] = {}

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
        rule = _Rule(order, tuple(tuple(_test(a, s) for a, s in word.items()) for word in pattern), offset, attrs)
        for values in product(*(keys[a] for a in filed)):
            self.index[filed][values].append(rule)

    def candidates(self, key: tuple[str, str, str, bool]) -> _Candidates:
        """For a token's tag, lower form, dependency and whether it is a space: (the rules that match it,
        the rules that may match with the tests left to run). Tests of those four attributes on the first
        word are run here, once per key, since few keys recur."""
        found = self._candidates.get(key)
        if found is None:
            values = dict(zip(_KEYED, key, strict=True))
            certain: list[_Rule] = []
            tested: list[tuple[_Rule, tuple[tuple[_Test, ...], ...]]] = []
            for attrs, table in self.index.items():
                for rule in table.get(tuple(values[a] for a in attrs), ()):
                    first, rest = rule.tests[0], rule.tests[1:]
                    if not all(test(values[a]) for a, test in first if a in values):
                        continue
                    left = (tuple(t for t in first if t[0] not in values), *rest)
                    if len(left) == 1 and not left[0]:
                        certain.append(rule)
                    else:
                        tested.append((rule, left))
            found = (certain, tested)
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
            for rule, left in tested:
                if i + len(left) <= n and all(_passes(doc[i + k], word) for k, word in enumerate(left) if word):
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
