"""The figures of RECORDS.md: events, observations, places, institutions, sources."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from undercurrent.evaluate.matching import Sentences, locate, max_matching
from undercurrent.kb.gazetteer import canonical_place, same_place


@dataclass
class PRF:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"accuracy": round(self.value, 4), "right": self.right, "total": self.total}


@dataclass
class Scores:
    reports: int = 0
    events: PRF = field(default_factory=PRF)
    events_by_type: dict[str, PRF] = field(default_factory=dict)
    event_mode: Accuracy = field(default_factory=Accuracy)
    event_status: Accuracy = field(default_factory=Accuracy)
    event_place: Accuracy = field(default_factory=Accuracy)
    event_province: Accuracy = field(default_factory=Accuracy)
    event_actor: Accuracy = field(default_factory=Accuracy)
    observations: PRF = field(default_factory=PRF)
    observation_kind: Accuracy = field(default_factory=Accuracy)
    observation_place: Accuracy = field(default_factory=Accuracy)
    places: PRF = field(default_factory=PRF)
    institutions: PRF = field(default_factory=PRF)
    sources: PRF = field(default_factory=PRF)
    source_kind: Accuracy = field(default_factory=Accuracy)
    source_place: Accuracy = field(default_factory=Accuracy)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "events": {**self.events.as_dict(),
                       "by_type": {t: p.as_dict() for t, p in sorted(self.events_by_type.items())},
                       "mode": self.event_mode.as_dict(), "status": self.event_status.as_dict(),
                       "place": self.event_place.as_dict(), "place_province": self.event_province.as_dict(),
                       "actor": self.event_actor.as_dict()},
            "observations": {**self.observations.as_dict(), "kind": self.observation_kind.as_dict(),
                             "place": self.observation_place.as_dict()},
            "places": self.places.as_dict(),
            "institutions": self.institutions.as_dict(),
            "sources": {**self.sources.as_dict(), "kind": self.source_kind.as_dict(),
                        "place": self.source_place.as_dict()},
        }


def _province(place_id: str | None, admin1_of) -> str | None:
    if place_id is None:
        return None
    place_id = canonical_place(place_id)
    return place_id if place_id.startswith("KP-") else admin1_of(place_id)


def score_report(scores: Scores, text: str, gold: dict[str, Any], pred: dict[str, Any], admin1_of) -> None:
    """Add one report's figures; `pred` is a records dict as `extract` writes it."""
    scores.reports += 1
    sentences = Sentences(text)
    _score_events(scores, text, sentences, gold.get("events", []), pred.get("events", []), admin1_of)
    _score_observations(scores, gold.get("observations", []), pred.get("observations", []))
    gold_places = {canonical_place(p) for p in gold.get("places", []) if p}
    pred_places = {canonical_place(p["id"]) for p in pred.get("places", []) if p.get("id")}
    scores.places.add(len(gold_places & pred_places), len(pred_places), len(gold_places))
    gold_inst = set(gold.get("institutions", []))
    pred_inst = {i["id"] for i in pred.get("institutions", []) if i.get("id")}
    scores.institutions.add(len(gold_inst & pred_inst), len(pred_inst), len(gold_inst))
    _score_sources(scores, text, gold.get("sources", []), pred.get("sources", []))


def _span(text: str, quote: str) -> tuple[int, int] | None:
    return locate(text, quote) if quote else None


def _pred_spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    return [(e["start"], e["end"]) for e in record.get("evidence", [])]


def event_pairs(text: str, sentences: Sentences, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """(gold, pred) index pairs of matched events: same type, overlapping evidence or the same sentence."""
    gold_spans = [_span(text, g.get("quote", "")) for g in gold]
    pred_spans = [_pred_spans(p) for p in pred]

    def compatible(gi: int, pi: int) -> bool:
        g, p = gold[gi], pred[pi]
        span = gold_spans[gi]
        if g.get("type") != p.get("type") or span is None:
            return False
        gs, ge = span
        g_sents = sentences.covered(gs, ge)
        return any((ps < ge and gs < pe) or (g_sents & sentences.covered(ps, pe)) for ps, pe in pred_spans[pi])

    return max_matching(range(len(gold)), range(len(pred)), compatible)


def _score_events(scores: Scores, text: str, sentences: Sentences, gold: list[dict], pred: list[dict], admin1_of) -> None:
    pairs = event_pairs(text, sentences, gold, pred)
    scores.events.add(len(pairs), len(pred), len(gold))
    for g in gold:
        scores.events_by_type.setdefault(g["type"], PRF()).add(0, 0, 1)
    for p in pred:
        scores.events_by_type.setdefault(p["type"], PRF()).add(0, 1, 0)
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        scores.events_by_type[g["type"]].tp += 1
        scores.event_mode.add(g.get("mode") == p.get("mode"))
        scores.event_status.add(g.get("status") == p.get("status"))
        gold_place = g.get("place") if g.get("place_basis") not in {"abroad"} else None
        pred_place = (p.get("place") or {}).get("id")
        scores.event_place.add(same_place(gold_place, pred_place))
        scores.event_province.add(_province(gold_place, admin1_of) == _province(pred_place, admin1_of))
        pred_actors = {a.get("institution") for a in p.get("actors", []) if a.get("institution")}
        scores.event_actor.add(set(g.get("actors", [])) == pred_actors)


def _atoms(records: list[dict]) -> list[tuple[tuple[float, str | None], dict]]:
    """A range counts as its two ends: value + value_max and two records score alike."""
    atoms = []
    for r in records:
        for key in ("value", "value_max"):
            if r.get(key) is not None:
                atoms.append(((round(float(r[key]), 4), r.get("currency")), r))
    return atoms


def _score_observations(scores: Scores, gold: list[dict], pred: list[dict]) -> None:
    gold_atoms, pred_atoms = _atoms(gold), _atoms(pred)
    pairs = max_matching(gold_atoms, pred_atoms, lambda g, p: g[0] == p[0])
    scores.observations.add(len(pairs), len(pred_atoms), len(gold_atoms))
    for gi, pi in pairs:
        g, p = gold_atoms[gi][1], pred_atoms[pi][1]
        scores.observation_kind.add(g.get("kind") == p.get("kind"))
        scores.observation_place.add(same_place(g.get("place"), p.get("place")))


def _score_sources(scores: Scores, text: str, gold: list[dict], pred: list[dict]) -> None:
    gold_spans = [_span(text, g.get("quote", "")) for g in gold]
    pred_spans = [(p["evidence"]["start"], p["evidence"]["end"]) for p in pred]

    def compatible(gi: int, pi: int) -> bool:
        span = gold_spans[gi]
        if span is None:
            return False
        (gs, ge), (ps, pe) = span, pred_spans[pi]
        return ps < ge and gs < pe

    pairs = max_matching(range(len(gold)), range(len(pred)), compatible)
    scores.sources.add(len(pairs), len(pred), len(gold))
    for gi, pi in pairs:
        scores.source_kind.add(gold[gi].get("kind") == pred[pi].get("kind"))
        scores.source_place.add(same_place(gold[gi].get("place"), pred[pi].get("place")))

