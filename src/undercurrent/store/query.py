"""The search query language, parsed once for every back end (a pure function, no database).

    phones Hyesan          both words (AND is the default)
    "phone calls"          a phrase: these words in this order
    phones OR radios       either word (OR binds tighter than the AND between words)
    arrest*                a prefix
    -phones, NOT phones    reports without the word

A word matches inside longer words, case-insensitively (`phone` finds `smartphones`): Korean
attaches particles to words (휴대전화를), and the SQLite trigram index and PostgreSQL's ILIKE
agree on this meaning, so both stores give the same results. `arrest*` therefore finds what
`arrest` finds; the star is accepted because users type it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from undercurrent.errors import BadQuery

# A query is typed by a person: longer ones are mistakes or attacks (each term is a condition).
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str        # lower-case match text: a word, a prefix or a phrase
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Clause:
    """Any one of `terms` (OR); a negated clause excludes reports with any of them."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """Every clause must hold (AND)."""

    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _term(raw: str, phrase: bool) -> Term | None:
    if phrase:
        text = " ".join(raw.split()).lower()
        return Term(text, phrase=True) if text else None
    prefix = raw.endswith("*")
    # Parentheses and stray quotes are not operators here: they would only make words match nothing.
    text = raw.strip("*()\"").lower()
    return Term(text, prefix=prefix) if text else None


def parse_query(text: str | None) -> Query:
    """Parse a query; BadQuery (E040) for one too long, with too many terms, or with only NOT clauses."""
    if not text:
        return Query(())
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"search query of {len(text):,} characters: at most {MAX_QUERY_CHARS:,}")
    clauses: list[Clause] = []
    pending_or = False
    negate_next = False
    terms = 0
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is None and word in ("OR", "|"):
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        if phrase is None and word in ("AND", "&"):
            continue
        if phrase is None and word == "NOT":
            negate_next = True
            continue
        negated = negate_next
        negate_next = False
        if phrase is None and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        term = _term(phrase if phrase is not None else word, phrase is not None)
        if term is None:
            continue
        terms += 1
        if terms > MAX_TERMS:
            raise BadQuery(f"search query with more than {MAX_TERMS} terms: use fewer words or filters")
        if pending_or and not negated:
            last = clauses[-1]
            clauses[-1] = Clause(last.terms + (term,))
        else:
            clauses.append(Clause((term,), negated=negated))
        pending_or = False
    query = Query(tuple(clauses))
    if query and not query.positive:
        raise BadQuery("a search query needs at least one word that is not excluded (NOT or -)")
    return query
