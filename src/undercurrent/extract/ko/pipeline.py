"""The Korean pipeline: the same Records as the English one, from Korean text. Kiwi analyses the
report, then each stage hands its result forward: names (places, institutions) -> sources -> events;
money and counts of people -> observations."""
from __future__ import annotations

from undercurrent.extract.contract import LanguagePipeline
from undercurrent.extract.event_filter import FilterInput, Token
from undercurrent.extract.ko.analysis import KoDoc, analyse
from undercurrent.extract.ko.dates import resolve_date_ko
from undercurrent.extract.ko.events import KoContext, find_events_ko, people_counts_ko
from undercurrent.extract.ko.names import find_institutions_ko, find_places_ko
from undercurrent.extract.ko.observations import count_observations_ko, money_observations_ko
from undercurrent.extract.ko.sources import find_sources_ko
from undercurrent.extract.stages import Candidates, Mentions
from undercurrent.models import Records, Report


class KoreanPipeline(LanguagePipeline):
    language = "ko"

    def candidates(self, report: Report, *, keep_dropped: bool = False) -> Candidates:
        """The rules' records and what the learned stage sees (the Korean rules drop no candidate for the
        learned stage to judge: keep_dropped changes nothing)."""
        doc = analyse(report.text)
        kb = self.kb
        places = find_places_ko(report.text, kb)
        institutions = find_institutions_ko(report.text, kb, published=report.published)
        mentions = Mentions(places, institutions, find_sources_ko(doc, places, outlet=report.outlet))
        events = find_events_ko(doc, KoContext(kb, mentions, report.published))
        observations = money_observations_ko(doc, mentions)
        observations += count_observations_ko(doc, people_counts_ko(doc, institutions), mentions)
        observations.sort(key=lambda o: (o.evidence.start, o.evidence.end))
        records = Records(report=report, events=events, observations=observations, sources=mentions.sources,
                          places=places, institutions=institutions)
        return Candidates(records, lambda: filter_input_ko(doc))


def filter_input_ko(doc: KoDoc) -> FilterInput:
    tokens = tuple(Token(m.start, m.end, m.form, m.tag) for s in doc.sentences for m in s.morphemes
                   if not m.tag.startswith("S") or m.tag in {"SN", "SL"})
    return FilterInput(doc.text, tuple((s.start, s.end) for s in doc.sentences), tokens, resolve_date_ko)
