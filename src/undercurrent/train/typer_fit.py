"""Fitting the sentence typer: each sentence of the examples labelled with the types of the gold events in it."""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from undercurrent.evaluate.matching import Sentences, locate
from undercurrent.evaluate.scoring import event_pairs
from undercurrent.extract.event_filter import FilterInput, bucket
from undercurrent.extract.learned import LearnedStage
from undercurrent.extract.sentence_typer import SentenceTyper, sentence_features, sentence_words
from undercurrent.models import EVENT_TYPES
from undercurrent.train.fit import Candidates, FitOptions, compact_fit

TYPER_THRESHOLDS = tuple(round(0.25 + 0.05 * i, 2) for i in range(15)) + (1.01,)  # 1.01: never propose


def sentence_rows(item: Candidates) -> list[tuple[list[str], set[str]]]:
    """(features, gold types) per sentence of an example."""
    text = item.example.report.text
    spans = []
    for event in item.example.events:
        found = locate(text, event["quote"])
        if found:
            spans.append((found[0], found[1], event["type"]))
    rows = []
    doc: FilterInput = item.finput
    for start, end in doc.sentences:
        words = sentence_words(doc, start, end)
        if len(words) < 4:
            continue
        types = {t for a, b, t in spans if a < end and start < b}
        rows.append((sentence_features(words), types))
    return rows


def _fit(items: Sequence[Candidates], options: FitOptions) -> dict[str, dict[int, float]]:
    labels: list[set[str]]
    rows, cols, vals, labels, weights = [], [], [], [], []
    for item in items:
        for feats, types in sentence_rows(item):
            r = len(labels)
            counts: dict[int, float] = {}
            for f in feats:
                counts[bucket(f)] = counts.get(bucket(f), 0.0) + 1.0
            for b, v in counts.items():
                rows.append(r)
                cols.append(b)
                vals.append(v)
            labels.append(types)
            weights.append(item.weight)
    targets = {t: [int(t in types) for types in labels] for t in EVENT_TYPES}
    return compact_fit(rows, cols, vals, len(labels), {t: y for t, y in targets.items() if sum(y) >= 3},
                       weights, options)


def fit_typer(items: Sequence[Candidates], base: Callable[[Sequence[Candidates]], LearnedStage],
              options: FitOptions = FitOptions(), *, meta: dict | None = None,
              tune_on: Callable[[Candidates], bool] | None = None) -> SentenceTyper:
    """Weights on all items; the threshold at which the typer's proposals, added to what `base` (the filter
    trained on the same inner folds) keeps, give the best event F1 out of fold."""
    order = list(range(len(items)))
    random.Random(options.seed + 1).shuffle(order)
    totals = {t: [0, 0, 0] for t in TYPER_THRESHOLDS}  # tp, pred, gold
    for k in range(options.inner_folds):
        test = [items[i] for j, i in enumerate(order) if j % options.inner_folds == k]
        train = [items[i] for j, i in enumerate(order) if j % options.inner_folds != k]
        stage = base(train)
        probe = SentenceTyper(_fit(train, options), 0.0, {})
        for item in test:
            if tune_on is not None and not tune_on(item):
                continue
            text = item.example.report.text
            # every proposal once, with its probability; each threshold keeps those at or above it
            everything = LearnedStage(stage.filter, SentenceTyper(probe.weights, 0.0, {})).apply(item.records, item.finput)
            base_events = stage.apply(item.records, item.finput)
            base_ids = {(e.type, e.evidence[0].start) for e in base_events}
            proposals = [e for e in everything if (e.type, e.evidence[0].start) not in base_ids]
            for threshold in TYPER_THRESHOLDS:
                events = base_events + [e for e in proposals if e.confidence >= threshold]
                preds = [e.model_dump(mode="json") for e in events]
                pairs = event_pairs(text, Sentences(text), item.example.events, preds)
                totals[threshold][0] += len(pairs)
                totals[threshold][1] += len(preds)
                totals[threshold][2] += len(item.example.events)

    def f1(t: float) -> float:
        tp, pred, gold = totals[t]
        return 2 * tp / (pred + gold) if pred + gold else 0.0

    threshold = max(TYPER_THRESHOLDS, key=lambda t: (f1(t), t))
    return SentenceTyper(_fit(items, options), threshold, dict(meta or {}, c=options.c, seed=options.seed))
