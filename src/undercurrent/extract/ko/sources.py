"""Korean source attributions: "양강도 소식통", "대북 소식통", "통일부 당국자", "노동신문" ..."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.ko.analysis import KoDoc, KoSentence
from undercurrent.models import Evidence, PlaceMention, SourceAttribution, SourceKind

_REPORTING = re.compile(r"따르면|전했|밝혔|말했|보도했|주장했|발표했|알려왔|증언|전해졌|설명했|강조했|덧붙였|전언|보도")
_OUTSIDE = re.compile(r"대북")
_INSIDE = re.compile(r"내부|현지|북한\s*내|북\s*내부")
# Words that may stand before a source noun in its descriptor.
_MODIFIER_TAGS = {"NNP", "NNG", "MM", "SL", "XPN", "XSN", "VA", "XSA", "ETM", "NR", "JKG"}
_ANAPHORA = {"이", "그", "해당", "같은", "이들", "동"}
# Defectors and officials are sources when the text says they testified or said so.
_SPEAKING = re.compile(r"^(?:들)?(?:의\s*증언|에\s*따르면|은|는|이|가)")


@lru_cache(maxsize=1)
def _terms() -> dict[str, str]:
    return {r["term"]: r["kind"] for r in lexicon_rows("ko_source_terms.csv")}


@lru_cache(maxsize=1)
def _orgs() -> list[tuple[str, str, str]]:
    rows = lexicon_rows("ko_source_orgs.csv")
    return sorted(((r["name"], r["kind"], r["org"]) for r in rows), key=lambda r: len(r[0]), reverse=True)


def find_sources_ko(doc: KoDoc, places: list[PlaceMention], *, outlet: str | None) -> list[SourceAttribution]:
    found: list[SourceAttribution] = []
    seen: set[str] = set()
    for sentence in doc.sentences:
        for start, end, kind in _term_spans(doc, sentence) + _org_spans(doc, sentence, outlet):
            descriptor = doc.text[start:end].strip()
            key = re.sub(r"\s+", "", descriptor)
            if not descriptor or key in seen or any(s.evidence.start < end and start < s.evidence.end for s in found):
                continue
            seen.add(key)
            inside = [p for p in places if start <= p.start and p.end <= end and p.id]
            place = inside[-1].id if inside else None
            if kind == "in_country_anonymous":
                if _OUTSIDE.search(descriptor):
                    kind = "unknown"
                elif place is None and not _INSIDE.search(descriptor) and "소식통" in descriptor:
                    kind = "unknown"
            found.append(SourceAttribution(descriptor=descriptor, kind=cast(SourceKind, kind), place=place,
                                           evidence=Evidence(quote=descriptor, start=start, end=end)))
    return sorted(found, key=lambda s: s.evidence.start)


def _term_spans(doc: KoDoc, sentence: KoSentence) -> list[tuple[int, int, str]]:
    """A source noun with the words before it that describe it ("정통한 대북 소식통")."""
    spans = []
    morphemes = sentence.morphemes
    for i, m in enumerate(morphemes):
        kind = _terms().get(m.form)
        if kind is None or not m.tag.startswith("NN"):
            continue
        if m.form in {"관계자", "전문가", "탈북민", "탈북자", "당국자"}:
            rest = sentence.text[m.end - sentence.start :]
            if not (_SPEAKING.match(rest.lstrip()) and _REPORTING.search(rest)) and not re.match(r"\s*\d+명의\s*증언", rest):
                continue
        j = i
        while j > 0 and morphemes[j - 1].tag in _MODIFIER_TAGS and morphemes[j - 1].end >= morphemes[j].start - 1 \
                and i - j < 5 and morphemes[j - 1].form not in {"등", "및"}:
            j -= 1
        while j < i and (morphemes[j].tag.startswith("J") or morphemes[j].tag in {"ETM", "XSA", "XSN"}):
            j += 1  # a descriptor starts with a word, not with the ending of the one before
        modifiers = [x.form for x in morphemes[j:i]]
        if not modifiers or all(f in _ANAPHORA for f in modifiers):
            if m.form == "소식통" or modifiers:
                continue  # "소식통", "이 소식통": the source already introduced
        end = m.end
        # "소식통들", "508명의 증언": keep a plural suffix
        if i + 1 < len(morphemes) and morphemes[i + 1].form == "들" and morphemes[i + 1].start == m.end:
            end = morphemes[i + 1].end
        spans.append((morphemes[j].start, end, kind))
    return spans


def _org_spans(doc: KoDoc, sentence: KoSentence, outlet: str | None) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    if not _REPORTING.search(sentence.text):
        return spans
    primary = re.split(r"[\(\[,;]|\bvia\b|\bciting\b", outlet or "")[0]
    for name, kind, org in _orgs():
        for m in re.finditer(re.escape(name), sentence.text):
            start = sentence.start + m.start()
            if sentence.text[m.end() : m.end() + 2].startswith(("에 ", "에게")):
                continue  # "데일리NK에 전했다": the outlet told, not telling
            if kind == "other_media" and primary and (name in primary or org in primary):
                kind = "own_reporting"
            spans.append((start, start + len(name), kind))
    return spans
