"""Source attributions: who the report says told it. Only what the report prints."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from spacy.tokens import Doc, Span, Token

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.en.sentences import doc_text, sentence_of, sentences
from undercurrent.models import Evidence, PlaceMention, SourceAttribution
from undercurrent.vocabulary import SourceKind

REPORTING_VERBS = {
    "say", "tell", "report", "add", "claim", "confirm", "note", "explain", "reveal", "state",
    "relate", "describe", "corroborate", "cite", "quote", "learn", "testify", "inform", "warn", "allege",
}
_FOREIGN = re.compile(r"\b(Chinese|China|Japanese|Russian|American|U\.S\.|US|South Korean|South Korea's|Seoul)\b")
_NK_INSIDE = re.compile(r"\b(North Korea|the North|inside|in the country|local|North Korean|Daily NK source|Province|province|City|County)\b")
_REPEAT = re.compile(r"^(the|this|that|these|our|his|her|their)\s+(same\s+)?(source|sources|resident|informant|partner|witness)$", re.I)


@lru_cache(maxsize=1)
def _terms() -> dict[str, str]:
    return {row["term"]: row["kind"] for row in lexicon_rows("en_source_terms.csv")}


@lru_cache(maxsize=1)
def _orgs() -> list[tuple[re.Pattern[str], str, str]]:
    """(name pattern, kind, canonical organisation), longest names first."""
    rows = lexicon_rows("en_source_orgs.csv")
    rows.sort(key=lambda r: len(r["name"]), reverse=True)
    return [(re.compile(r"\b" + re.escape(r["name"]) + r"\b"), r["kind"], r["org"]) for r in rows]


@lru_cache(maxsize=256)
def _orgs_in(text: str | None) -> set[str]:
    return {org for pattern, _, org in _orgs() if text and pattern.search(text)}


@lru_cache(maxsize=256)
def own_orgs(outlet: str | None) -> frozenset[str]:
    """The organisations whose own reporting the text is: "Yonhap (citing RFA)" is Yonhap's, and RFA is
    another outlet it cites; "X (republishing RFA)" or "X (via Y)" carries RFA's or the wire's own text."""
    return frozenset(_orgs_in(re.split(r"\bciting\b", outlet)[0] if outlet else None))


def publisher(outlet: str | None) -> str | None:
    """The outlet that published the text, without what it reprints or cites: "X (republishing RFA)" is X."""
    return outlet.split("(")[0] if outlet else None


def find_sources(doc: Doc, places: list[PlaceMention], *, outlet: str | None) -> list[SourceAttribution]:
    found: list[SourceAttribution] = []
    seen_spans: list[tuple[int, int]] = []
    seen_texts: set[str] = set()
    seen_orgs: set[str] = set()
    for sent in sentences(doc):
        for head in _attributed_heads(sent):
            span = _descriptor_span(head)
            if span is None or any(s < span.end_char and span.start_char < e for s, e in seen_spans):
                continue
            descriptor = span.text.strip(" ,“”\"'")
            if not descriptor or _REPEAT.match(descriptor) or head.pos_ == "PRON" or _is_anaphor(head):
                continue
            if descriptor.lower() in seen_texts:
                continue
            org = _org_key(descriptor)
            listener = head.dep_ in {"dobj", "dative"} and head.head.lemma_ in {"tell", "inform"}
            if org is not None and (listener and org in own_orgs(outlet)
                                    or head.head.lemma_ == "learn" and org in _orgs_in(publisher(outlet))):
                # "told RFA's Korean Service" in RFA's text, "Daily NK has learned" in Daily NK itself: the
                # outlet heard the account; who told it is named elsewhere. In a republication "Daily NK has
                # learned" says who found it out, and stays.
                continue
            if org is not None and (listener or _head_names_org(head)):
                if org in seen_orgs:
                    continue  # one attribution per organisation
                seen_orgs.add(org)
            start = doc_text(doc).find(descriptor, span.start_char)
            place = _place_in(start, start + len(descriptor), places)
            kind = _kind(descriptor, head, outlet, names_nk_place=place is not None)
            if kind is None:
                continue
            seen_spans.append((span.start_char, span.end_char))
            seen_texts.add(descriptor.lower())
            found.append(
                SourceAttribution(
                    descriptor=descriptor, kind=cast(SourceKind, kind), place=place,
                    evidence=Evidence(quote=descriptor, start=start, end=start + len(descriptor)),
                )
            )
    return found


SOURCE_NOUNS = {"source", "sources", "informant", "informants", "partner", "partners", "insider", "insiders"}
_DEFINITE = {"the", "this", "that", "these", "those", "our", "his", "her", "their", "its"}


def _attributed_heads(sent: Span):
    """Noun heads that the sentence presents as telling or reporting something."""
    for token in sent:
        if token.lemma_.lower() in REPORTING_VERBS and token.pos_ in {"VERB", "AUX"}:
            if not any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
                speaker = _speaker_before(token)
                if speaker is not None:
                    yield speaker
            for child in token.children:
                # "residents were told": the told are not the tellers
                passive_listener = child.dep_ == "nsubjpass" and token.lemma_ in {"tell", "inform", "warn"}
                if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ in {"NOUN", "PROPN"} and not passive_listener:
                    yield child
                if child.dep_ == "agent":
                    yield from (g for g in child.children if g.dep_ == "pobj")
                if child.dep_ == "dobj" and token.lemma_ in {"quote", "cite"}:
                    yield child
                # "told Radio Free Asia": another outlet relaying the account is a source too
                if child.dep_ in {"dobj", "dative"} and token.lemma_ == "tell" and _is_org(child):
                    yield child
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            for child in token.nbor().children:
                if child.dep_ == "pobj":
                    yield child
        # An anonymous source is a source wherever the sentence names it.
        if token.lower_ not in SOURCE_NOUNS:
            continue
        if token.lower_ in {"partner", "partners"} and not (
                any(c.lower_ == "reporting" for c in token.children) or (token.i > 0 and token.nbor(-1).lower_ == "reporting")):
            continue  # "business partners" are not reporting partners
        if token.pos_ in {"NOUN", "PROPN"}:
            # "a source of information/income" is not an informant
            if not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
                yield token


def _speaker_before(verb: Token) -> Token | None:
    """"..., a resident of X told RFA" misparsed as an apposition: the phrase just before the verb."""
    doc = verb.doc
    if verb.i > 0 and doc[verb.i - 1].text == ",":
        return _modified_before(verb)
    if verb.i == 0 or doc[verb.i - 1].is_punct:
        return None
    segment_start = max((t.i for t in doc[sentence_of(verb).start : verb.i] if t.text in {",", "“", "”", '"'}), default=sentence_of(verb).start)
    token = doc[verb.i - 1]
    while token.head.i != token.i and segment_start < token.head.i < verb.i:
        token = token.head
    return token if token.pos_ in {"NOUN", "PROPN"} else None


def _modified_before(verb: Token) -> Token | None:
    """"a U.S. broadcaster, monitored here, said": the noun a clause between commas modifies."""
    doc, sent_start = verb.doc, sentence_of(verb).start
    opening = next((i for i in range(verb.i - 2, sent_start - 1, -1) if doc[i].text == ","), None)
    if opening is None:
        return None
    for token in doc[opening + 1 : verb.i - 1]:
        if token.dep_ in {"acl", "relcl", "appos"} and token.head.i < opening and token.head.pos_ in {"NOUN", "PROPN"}:
            return token.head
    return None


def _head_names_org(head: Token) -> bool:
    """The head itself is the organisation ("the Daily NK"), not a thing of it ("a document by Daily NK")."""
    name = " ".join(t.text for t in head.children if t.dep_ == "compound" and t.i < head.i) + " " + head.text
    return bool(_orgs_in(name.strip()))


def _is_org(token: Token) -> bool:
    phrase = " ".join(t.text for t in token.subtree)
    return bool(_orgs_in(phrase))


def _org_key(descriptor: str) -> str | None:
    for pattern, _, org in _orgs():
        if pattern.search(descriptor):
            return org
    return None


def _is_anaphor(head: Token) -> bool:
    """"the source", "the broadcaster", "the ministry": a source already introduced."""
    determiners = [c for c in head.children if c.dep_ in {"det", "poss"}]
    definite = any(d.lower_ in _DEFINITE for d in determiners)
    return definite and head.lower_ in _terms() and head.lower_ != "media"


def _descriptor_span(head: Token) -> Span | None:
    """The noun phrase of head with its modifiers, without clauses, dates and conditions."""
    doc = head.doc
    dropped: set[int] = set()
    for token in head.subtree:
        if token.i in dropped:
            continue
        cut = token.dep_ in {"relcl", "advcl", "punct"} and token.i > head.i and token.dep_ != "punct"
        if token.dep_ == "prep" and token.i > head.i:
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if token.lower_ in {"on", "at", "during", "since", "last", "this"} or any(o.ent_type_ in {"DATE", "TIME"} for o in objects):
                cut = True
            if token.lower_ == "on" and any(o.lower_ == "condition" for o in objects):
                cut = True
        if token.dep_ == "acl" and token.i > head.i and (token.tag_ != "VBN" or token.lemma_ in REPORTING_VERBS):
            cut = True
        if cut:
            dropped.update(t.i for t in token.subtree)
    kept = [t.i for t in head.subtree if t.i not in dropped]
    left = min(kept)
    right = head.i
    while right + 1 in kept and right + 1 <= max(kept):
        right += 1
    tokens = doc[left : right + 1]
    while len(tokens) and (tokens[0].is_punct or tokens[0].lower_ in {"according", "to"}):
        tokens = tokens[1:]
    while len(tokens) and (tokens[-1].is_punct or tokens[-1].dep_ in {"cc"}):
        tokens = tokens[:-1]
    return tokens if len(tokens) else None


def _kind(descriptor: str, head: Token, outlet: str | None, *, names_nk_place: bool = False) -> str | None:
    if head.lower_ in SOURCE_NOUNS or (names_nk_place and head.lower_ in {"official", "officials", "resident", "residents"}):
        return "unknown" if _FOREIGN.search(descriptor) and not _NK_INSIDE.search(descriptor) else "in_country_anonymous"
    for pattern, kind, org in _orgs():
        if pattern.search(descriptor):
            if org in own_orgs(outlet) and kind == "other_media":
                return "own_reporting" if "source" not in descriptor.lower() else "in_country_anonymous"
            if "source" in descriptor.lower() and kind in {"other_media", "official_media"}:
                return "in_country_anonymous"
            return kind
    lemma = head.lemma_.lower()
    term_kind = _terms().get(head.lower_) or _terms().get(lemma)
    if term_kind is None and head.pos_ == "PROPN":
        # "recent defector Soon-hang Park": the title before a name says who it is
        titles = [t for t in head.subtree if t.i < head.i and t.lower_ in _terms()]
        if titles:
            head, lemma = titles[-1], titles[-1].lemma_.lower()
            term_kind = _terms().get(head.lower_)
    if term_kind is None:
        if head.ent_type_ in {"ORG", "NORP"}:
            return "other_media" if head.ent_type_ == "ORG" else None
        return None
    if term_kind == "in_country_anonymous" and _FOREIGN.search(descriptor) and not _NK_INSIDE.search(descriptor):
        return "unknown"
    if lemma in {"official", "officials"} and re.search(r"North Korea|North's|[Pp]rovince|party|Party", descriptor):
        return "in_country_anonymous"
    if term_kind == "official_media" and not re.search(r"state|official|North", descriptor):
        return None
    if term_kind == "ngo" and re.search(r"defector", descriptor):
        return "ngo"
    return term_kind


def _place_in(start: int, end: int, places: list[PlaceMention]) -> str | None:
    inside = [p for p in places if start <= p.start and p.end <= end and p.id]
    return inside[-1].id if inside else None
