"""Scoring corroboration: pairwise precision and recall of "same event" decisions, and reprints.

A gold file (`gold.json` beside `reports.jsonl`) labels event quotes of its reports with the
real-world event they tell, and names the reports that are reprints. Every pair of labelled events
is one decision: predicted "same" when their stored records share a cluster. A labelled event the
extractor missed is a cluster of its own, so it costs recall and never helps."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from undercurrent.errors import BadGold


@dataclass(frozen=True)
class PairScores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: Mapping[str, str], predicted: Mapping[str, str]) -> PairScores:
    """Pairwise scores over the items of `gold` (item -> event label; predicted item -> cluster)."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        same_pred = a in predicted and b in predicted and predicted[a] == predicted[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return PairScores(tp, fp, fn)


@dataclass
class CorroborationScores:
    pairs: PairScores
    events: int  # labelled events
    matched: int  # labelled events found among the stored records
    reprints_gold: int
    reprints_found: int  # gold reprints marked as reprints of the right report
    reprints_wrong: int  # reports marked as reprints that are not
    decisions: list[dict] = field(default_factory=list)  # one row per pair, for printing

    def as_dict(self) -> dict:
        return {"pairwise_precision": round(self.pairs.precision, 3), "pairwise_recall": round(self.pairs.recall, 3),
                "pairwise_f1": round(self.pairs.f1, 3), "pairs_tp": self.pairs.tp, "pairs_fp": self.pairs.fp,
                "pairs_fn": self.pairs.fn, "events": self.events, "matched": self.matched,
                "reprints_gold": self.reprints_gold, "reprints_found": self.reprints_found,
                "reprints_wrong": self.reprints_wrong}


def read_gold(folder: Path) -> tuple[list[dict], dict]:
    reports_path, gold_path = folder / "reports.jsonl", folder / "gold.json"
    try:
        reports = [json.loads(line) for line in reports_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BadGold(f"cannot read: {exc}", path=str(folder)) from None
    return reports, gold


def slug(report: dict) -> str:
    """A gold report's name: the last part of its url."""
    return report["url"].rstrip("/").rsplit("/", 1)[-1]


def ingest_gold_reports(store, reports: list[dict], extractor) -> dict[str, str]:
    """Extract and store the gold reports one by one (incremental clustering); slug -> report id."""
    from undercurrent.models import Report
    from undercurrent.store.records import save

    ids = {}
    for data in reports:
        report = Report.from_fields(text=data["text"], url=data["url"], outlet=data["outlet"],
                                    title=data.get("title"), published=data["published"])
        save(store, extractor.extract(report), original=json.dumps(data).encode("utf-8"), media_type="application/json")
        ids[slug(data)] = report.id
    return ids


def score_store(store, gold: dict, ids: Mapping[str, str]) -> CorroborationScores:
    """Score the clusters and reprints now in the store against a gold file."""
    from undercurrent.store.cluster_queries import events_with_clusters, reprint_marks

    rows = events_with_clusters(store, list(ids.values()))
    marks = reprint_marks(store)
    by_report: dict[str, list] = {}
    for row in rows:
        by_report.setdefault(row.report_id, []).append(row)
    labels, predicted = {}, {}
    for i, item in enumerate(gold["events"]):
        key = f"{item['report']}#{i}"
        labels[key] = item["event"]
        candidates = by_report.get(ids.get(item["report"], ""), [])
        text = candidates[0].text if candidates else ""
        start = text.find(item["quote"])
        end = start + len(item["quote"])
        hits = [c for c in candidates if start >= 0 and c.start < end and start < c.end and c.cluster_id]
        if hits:
            predicted[key] = min(hits, key=lambda c: (abs(c.start - start), c.id)).cluster_id
    pairs = pairwise(labels, predicted)
    decisions = []
    for a, b in combinations(sorted(labels), 2):
        same_pred = a in predicted and b in predicted and predicted[a] == predicted[b]
        if same_pred or labels[a] == labels[b]:
            decisions.append({"a": a, "b": b, "gold_same": labels[a] == labels[b], "predicted_same": same_pred})
    gold_reprints = gold.get("reprints", {})
    found = sum(1 for copy, original in gold_reprints.items() if marks.get(ids[copy]) == ids[original])
    back = {v: k for k, v in ids.items()}
    wrong = sum(1 for rid, mark in marks.items() if mark and rid in back and back[rid] not in gold_reprints)
    return CorroborationScores(pairs, len(labels), len(predicted), len(gold_reprints), found, wrong, decisions)


def run(folder: Path, store, extractor) -> CorroborationScores:
    reports, gold = read_gold(folder)
    return score_store(store, gold, ingest_gold_reports(store, reports, extractor))
