"""Korean events: trigger lexicon on morphemes, status from what follows the trigger in its sentence."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from undercurrent.datafiles import lexicon_rows
from undercurrent.extract.ko.analysis import KoDoc, KoSentence, Morpheme
from undercurrent.extract.ko.dates import resolve_date_ko
from undercurrent.extract.ko.money import COUNT_RE, count_value
from undercurrent.extract.places import event_place
from undercurrent.extract.restatements import restated
from undercurrent.extract.stages import Mentions
from undercurrent.kb import KnowledgeBase
from undercurrent.models import Entity, Event, EventSize, Evidence, InstitutionMention
from undercurrent.vocabulary import EventType, Status

ORDER_WORDS = {"지시", "명령", "포치", "지령", "방침", "지침"}
SPECULATION = re.compile(r"수\s*있|것으로\s*보이|것으로\s*보인|우려|가능성|전망|예상된다|듯|^(?:되|하|당하)?면|경우|^을\s*해야|^해야")
# A noun trigger reports an act when a verb makes it one: "체포했다", "처형됐다", "검열을 벌여".
LIGHT_VERBS = {"벌이", "놓", "진행", "집행", "당하", "받", "나서", "열리", "열", "하", "되", "실시", "시작", "단행", "가하",
               "내리", "처하", "재개", "펼치", "펴", "착수", "들어가", "확대", "늘리", "시키", "보내", "있", "이루어지"}
PREDICATE_SUFFIXES = {"XSV", "XSA"}
HABITUAL = re.compile(r"종종|흔히|일반적으로|자주|흔한|예전에는|과거에는|수시로|매번|항상")
NEGATION_FORMS = {"않", "못", "없"}
COUNTED = {("COERCE", "arrest"), ("COERCE", "deport"), ("SANCTION", "convict"), ("SANCTION", "expel"),
           ("ASSAULT", "execute"), ("ASSAULT", None)}
VERB_TAGS = {"VV", "VX", "VA"}
SPEECH_ACTS = {"THREATEN", "REQUEST", "ACCUSE", "REJECT", "AGREE", "SUPPORT"}
QUOTATIVE = {"다고", "라고", "자고", "냐고", "ᆫ다고", "는다고", "겠다고"}
# The PLOVER THREATEN mode from the action threatened.
THREAT_MODES_KO = {"COERCE": "arrest", "SANCTION": "arrest", "ASSAULT": "violence"}
NOUN_TAGS = {"NNG", "NNP", "XR", "NNB"}


@dataclass(frozen=True)
class KoRule:
    form: str
    type: str
    mode: str | None
    requires: str


@lru_cache(maxsize=1)
def rules() -> dict[str, KoRule]:
    return {r["form"]: KoRule(r["form"], r["type"], r["mode"] or None, r["requires"])
            for r in lexicon_rows("ko_event_triggers.csv")}


@dataclass(frozen=True)
class KoContext:
    """What the earlier stages found, which events draw on."""

    kb: KnowledgeBase
    mentions: Mentions
    published: str | None


def find_events_ko(doc: KoDoc, ctx: KoContext) -> list[Event]:
    events: list[Event] = []
    for sentence in doc.sentences:
        if _is_headline(doc, sentence):
            continue
        hits = _triggers(sentence, ctx.mentions.institutions)
        if not hits:
            continue
        if HABITUAL.search(sentence.text):
            continue
        has_order = any(m.form in ORDER_WORDS for m in sentence.morphemes)
        taken: dict[str, Event] = {}
        spoken = _under_speech_act(sentence, hits)
        speech_modes = {speech: THREAT_MODES_KO.get(rule.type) for index, rule in hits
                        if (speech := spoken.get(index)) is not None}
        for index, rule in hits:
            if index in spoken:
                continue  # the threat or demand is the event; what it names has not happened
            m = sentence.morphemes[index]
            if rule.type == "REQUEST" and m.form in ORDER_WORDS and any(r.type not in {"REQUEST", "THREATEN", "ACCUSE"} and i < index for i, r in hits):
                continue  # "체포하라는 지시": the arrest, ordered, is the event
            after = sentence.text[m.end - sentence.start :]
            if SPECULATION.search(after[:25]) or (rule.type not in SPEECH_ACTS and _under_condition(sentence, index)):
                continue
            status = _status(sentence, index, rule, has_order)
            if rule.type in taken:
                if taken[rule.type].mode is None and rule.mode:
                    taken[rule.type].mode = rule.mode
                continue
            event = _event(doc, sentence, index, rule, status, ctx)
            if rule.type == "THREATEN" and event.mode is None and speech_modes.get(index):
                event.mode = speech_modes[index]
            taken[rule.type] = event
            earlier = restated(event, events)
            if earlier is not None:
                earlier.evidence.extend(event.evidence)  # the lead and a later summary of one act
                earlier.mode = earlier.mode or event.mode
                taken[rule.type] = earlier
                continue
            events.append(event)
    return events


def people_counts_ko(doc: KoDoc, institutions: list[InstitutionMention]) -> list[tuple[int, int, int]]:
    """Counts of people arrested or executed (COUNTED) count wherever such an act is named, even in
    passing (no event needed): (start, end, value), in text order, each once. Headlines excepted."""
    counts: list[tuple[int, int, int]] = []
    for sentence in doc.sentences:
        if _is_headline(doc, sentence):
            continue
        if any((r.type, r.mode) in COUNTED for _, r in _triggers(sentence, institutions, predicated=False)):
            counts.extend(_counts(sentence))
    return sorted(set(counts))


def _is_headline(doc: KoDoc, sentence: KoSentence) -> bool:
    text = sentence.text.strip()
    after = doc.text[sentence.end : sentence.end + 1]
    return bool(text) and text[-1] not in ".!?\"”’'」)" and len(text) < 40 and (after in {"\n", ""})


def _triggers(sentence: KoSentence, institutions: list[InstitutionMention], *, predicated: bool = True) -> list[tuple[int, KoRule]]:
    table = rules()
    found = []
    for index, m in enumerate(sentence.morphemes):
        rule = table.get(m.form)
        if rule is None:
            continue
        if len(m.form) == 1 and not _verb(m.tag):
            continue
        if len(m.form) > 1 and m.tag not in NOUN_TAGS and not _verb(m.tag):
            continue
        if any(i.start <= m.start < i.end for i in institutions):
            continue  # "검열위원회", "경비대": part of an institution's name
        if predicated and m.tag in NOUN_TAGS and not _noun_is_predicated(sentence.morphemes, index):
            continue
        if rule.requires == "direct" and not _directly_predicated(sentence.morphemes, index):
            continue
        if rule.requires.startswith("near:"):
            window = sentence.text[max(0, m.start - sentence.start - 12) : m.end - sentence.start + 12]
            if not re.search(rule.requires[5:], window):
                continue
        found.append((index, rule))
    return found


def _under_condition(sentence: KoSentence, index: int) -> bool:
    """"단속되면 교양소에 보낸다", "적발될 경우 ...": the act is the consequence of a condition, a rule
    and not a report (English: if/unless clauses)."""
    before = sentence.morphemes[:index]
    for i, m in enumerate(before):
        if m.form == "경우" and m.tag == "NNG":
            return True
        # "소식통에 따르면", "보도에 의하면" name a source, not a condition
        if m.tag == "EC" and m.form in {"면", "으면"} and not (i and before[i - 1].form in {"따르", "의하", "보"}):
            return True
    return False


def _directly_predicated(morphemes: tuple[Morpheme, ...], index: int) -> bool:
    """"협력했다", "지지를 표명했다": the noun is the predicate or the object of the next one.

    For the rows added from the PLOVER definitions: "협력으로 제정된" or "공격에 대비해" name the
    act without reporting it."""
    following = morphemes[index + 1 : index + 4]
    if not following:
        return False
    if following[0].tag in PREDICATE_SUFFIXES or _verb(following[0].tag):
        return True
    return (following[0].tag == "JKO" and len(following) > 1
            and (_verb(following[1].tag) or (len(following) > 2 and following[2].tag in PREDICATE_SUFFIXES)))


def _verb(tag: str) -> bool:
    """VV, VX, VA and Kiwi's conjugation classes of them (VV-R regular, VV-I irregular)."""
    return tag.split("-")[0] in VERB_TAGS


def _under_speech_act(sentence: KoSentence, hits: list[tuple[int, KoRule]]) -> dict[int, int]:
    """Actions named by a threat, demand, accusation or refusal: "체포하겠다고 엄포를 놓았다",
    "석방을 촉구했다". Maps the action's index to the speech act's; an order (지시) is not one."""
    morphemes = sentence.morphemes
    found: dict[int, int] = {}
    for position, (index, rule) in enumerate(hits):
        if rule.type in SPEECH_ACTS:
            continue
        for later, later_rule in hits[position + 1 :]:
            if later - index > 10 or later_rule.type not in SPEECH_ACTS or morphemes[later].form in ORDER_WORDS:
                continue
            between = morphemes[index + 1 : later]
            if any(m.tag == "SF" for m in between):
                break
            if (between and between[0].tag == "JKO") or any(m.tag == "EC" and m.form in QUOTATIVE for m in between):
                found[index] = later
                break
    return found


def _noun_is_predicated(morphemes: tuple[Morpheme, ...], index: int) -> bool:
    following = morphemes[index + 1 : index + 5]
    if not following:
        return False
    first = following[0]
    if first.tag in PREDICATE_SUFFIXES or (first.tag.split("-")[0] == "VV" and first.form in {"당하", "받", "되", "시키"}):
        # "적발된 메모리": a passive participle describing a thing is a mention, not a report
        return not (len(following) > 1 and following[1].tag == "ETM" and first.form in {"되", "당하"}
                    and len(following) > 2 and following[2].tag.startswith("NN"))
    if first.tag.startswith("J") or first.tag in {"NNG", "NNB"}:
        for m in following[1:]:
            if (m.tag == "XSV" or m.tag.split("-")[0] == "VV") and m.form in LIGHT_VERBS:
                return True
            if m.tag in {"SF", "SP"}:
                break
    return False


def _status(sentence: KoSentence, index: int, rule: KoRule, has_order: bool) -> str:
    morphemes = sentence.morphemes
    following = morphemes[index + 1 : index + 6]
    if any(m.form in NEGATION_FORMS and m.tag.split("-")[0] in {"VX", "VA"} for m in following):
        return "negated"
    if rule.type in {"REQUEST", "THREATEN", "ACCUSE"}:
        return "occurred"
    later = morphemes[index + 1 :]
    if has_order and any(m.form in ORDER_WORDS for m in later[:12]):
        return "ordered"
    for i, m in enumerate(following):
        if m.form in {"예정", "계획"}:
            return "planned"
        if m.tag == "ETM" and m.form in {"ᆯ", "을", "ㄹ"} and i + 1 < len(following) and following[i + 1].form == "것":
            return "planned"
        if m.tag == "EP" and m.form == "겠":
            return "planned"
    return "occurred"


def _event(doc: KoDoc, sentence: KoSentence, index: int, rule: KoRule, status: str, ctx: KoContext) -> Event:
    m = sentence.morphemes[index]
    start, end = _clause(sentence, index)
    place = event_place(sentence.start, sentence.end, m.start, ctx.kb, ctx.mentions.places, ctx.mentions.sources)
    actors = []
    for mention in ctx.mentions.institutions:
        inst = ctx.kb.institutions.get(mention.id)
        if sentence.start <= mention.start < m.start and inst and inst.type not in {"detention facility", "law"}:
            actors = [Entity(text=mention.text, institution=mention.id, sector=ctx.kb.institutions.sector(mention.id))]
    size = None
    numbers = [count_value(c.group("num")) for c in COUNT_RE.finditer(sentence.text)]
    numbers = [n for n in numbers if n]
    if numbers and (rule.type, rule.mode) in {("COERCE", "arrest")}:
        size = EventSize(arrested=numbers[0])
    elif numbers and rule.type == "ASSAULT":
        size = EventSize(dead=numbers[0])
    contexts = ["repression"] if rule.type in {"COERCE", "ASSAULT", "SANCTION", "THREATEN"} else []
    # The rule table holds plain strings; Event validates them against the vocabularies.
    return Event(type=cast(EventType, rule.type), mode=rule.mode, status=cast(Status, status), contexts=contexts,
                 topics=_topics(sentence.text),
                 actors=actors, place=place, date=resolve_date_ko(sentence.text, ctx.published), size=size,
                 evidence=[Evidence(quote=doc.text[start:end], start=start, end=end)], confidence=0.6, trigger=m.form)


@lru_cache(maxsize=1)
def _topic_rules() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(row["pattern"]), row["topic"]) for row in lexicon_rows("ko_topics.csv")]


def _topics(text: str) -> list[str]:
    return [topic for pattern, topic in _topic_rules() if pattern.search(text)]


def _clause(sentence: KoSentence, index: int) -> tuple[int, int]:
    """From a few words before the trigger to the end of its predicate."""
    morphemes = sentence.morphemes
    left = max(0, index - 8)
    right = index
    while right + 1 < len(morphemes) and morphemes[right + 1].tag not in {"SF", "SP"} and right - index < 6:
        right += 1
        if morphemes[right].tag in {"EF", "EC"} and morphemes[right].form not in {"어", "아", "게", "고"}:
            break
    return morphemes[left].start, morphemes[right].end


def _counts(sentence: KoSentence) -> list[tuple[int, int, int]]:
    out = []
    for match in COUNT_RE.finditer(sentence.text):
        value = count_value(match.group("num"))
        if value:
            out.append((sentence.start + match.start(), sentence.start + match.end(), value))
    return out
