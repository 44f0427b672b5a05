"""Fitting the learned stage: candidates from the rules, labels from gold, a logistic model over features.

A candidate (an event the rules propose) is labelled 1 when the scorer of RECORDS.md would match it to a
gold event (same type, overlapping evidence or the same sentence, one-to-one), else 0: so the model learns to
drop restatements, background and non-event senses exactly as the figures count them.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from undercurrent.evaluate.matching import Sentences
from undercurrent.evaluate.scoring import event_pairs
from undercurrent.extract.event_filter import CandidateFilter, FilterInput, bucket, event_features
from undercurrent.models import Records
from undercurrent.train.data import Example

THRESHOLDS = tuple(round(0.05 + 0.025 * i, 3) for i in range(31))  # 0.05 ... 0.8


@dataclass
class Candidates:
    """One example's rule candidates, their features and labels."""

    example: Example
    records: Records
    finput: FilterInput
    features: list[list[str]]
    labels: list[int]
    weight: float = 1.0

    @property
    def n_gold(self) -> int:
        return len(self.example.events)


def label_candidates(example: Example, records: Records, finput: FilterInput, *, weight: float = 1.0) -> Candidates:
    events = records.events
    preds = [e.model_dump(mode="json") for e in events]
    pairs = event_pairs(example.report.text, Sentences(example.report.text), example.events, preds)
    matched = {pi for _, pi in pairs}
    features = [event_features(e, i, events, finput) for i, e in enumerate(events)]
    return Candidates(example, records, finput, features, [int(i in matched) for i in range(len(events))], weight)


def build_candidates(examples: Sequence[Example], extractor, *, weight: float = 1.0, keep_dropped: bool = True,
                     progress: Callable[[int, int], None] | None = None) -> list[Candidates]:
    """Run the rules (no learned stage) over the examples and label what they propose."""
    out = []
    pairs = extractor.candidates_many((e.report for e in examples), keep_dropped=keep_dropped)
    for n, (example, proposed) in enumerate(zip(examples, pairs, strict=True), 1):
        out.append(label_candidates(example, proposed.records, proposed.filter_input, weight=weight))
        if progress:
            progress(n, len(examples))
    return out


def _triples(items: Sequence[Candidates]):
    labels: list[int]
    rows, cols, vals, labels, weights = [], [], [], [], []
    for item in items:
        for feats, label in zip(item.features, item.labels, strict=True):
            counts: dict[int, float] = {}
            for f in feats:
                b = bucket(f)
                counts[b] = counts.get(b, 0.0) + 1.0
            r = len(labels)
            for b, v in counts.items():
                rows.append(r)
                cols.append(b)
                vals.append(v)
            labels.append(label)
            weights.append(item.weight)
    return rows, cols, vals, labels, weights


@dataclass(frozen=True)
class FitOptions:
    c: float = 0.5
    seed: int = 0
    inner_folds: int = 3
    filter: bool = True  # train the filter over the rules' candidates
    typer: bool = True  # train the sentence typer
    keep_dropped: bool = True  # the filter also judges the candidates the hand filters drop
    tune_on_all: bool = False  # thresholds from every example, not only the gold reports


# Which parts of the learned stage each language ships, decided by cross-validation on the gold folders
# (docs/decisions.md, "Learned stage"; `python bench/learned_stage.py` measures every choice): a part is
# shipped only where it raised the cross-validated events F1 over the rules alone.
PARTS = ("filter", "typer", "dropped")
SHIPPED_PARTS: dict[str, tuple[str, ...]] = {"en": (), "ko": ()}


def options_for(language: str, *, parts: Sequence[str] | None = None, seed: int = 0) -> FitOptions:
    """The fit options of a language: its shipped parts unless `parts` names others ("none": no part)."""
    chosen = set(SHIPPED_PARTS.get(language, ()) if parts is None else parts) - {"none"}
    unknown = chosen - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(sorted(unknown))}: use {', '.join(PARTS)} or none")
    return FitOptions(seed=seed, filter="filter" in chosen, typer="typer" in chosen, keep_dropped="dropped" in chosen)


def _fit_weights(items: Sequence[Candidates], options: FitOptions) -> dict[int, float]:
    rows, cols, vals, labels, weights = _triples(items)
    return compact_fit(rows, cols, vals, len(labels), {"keep": labels}, weights, options)["keep"]


def _f1_at(probabilities: list[tuple[float, int]], n_gold: int, threshold: float) -> float:
    kept = [label for p, label in probabilities if p >= threshold]
    return 2 * sum(kept) / (len(kept) + n_gold) if kept or n_gold else 0.0


def fit_filter(items: Sequence[Candidates], options: FitOptions = FitOptions(), *, meta: dict | None = None,
               tune_on: Callable[[Candidates], bool] | None = None) -> CandidateFilter:
    """Weights on all items; the threshold that maximises event F1 out of fold (inner cross-validation).

    `tune_on` picks the items whose F1 sets the threshold (the gold reports, when there are any): the
    threshold serves the kind of text the figures are about."""
    order = list(range(len(items)))
    random.Random(options.seed).shuffle(order)
    held: list[tuple[float, int]] = []
    n_gold = 0
    for k in range(options.inner_folds):
        test = [items[i] for j, i in enumerate(order) if j % options.inner_folds == k]
        train = [items[i] for j, i in enumerate(order) if j % options.inner_folds != k]
        probe = CandidateFilter(_fit_weights(train, options), 0.5, {})
        for item in test:
            if tune_on is not None and not tune_on(item):
                continue
            n_gold += item.n_gold
            held += [(probe.probability(f), label) for f, label in zip(item.features, item.labels, strict=True)]
    threshold = max(THRESHOLDS, key=lambda t: (_f1_at(held, n_gold, t), -abs(t - 0.5)))
    return CandidateFilter(_fit_weights(items, options), threshold, dict(meta or {}, c=options.c, seed=options.seed))


def compact_fit(rows: list[int], cols: list[int], vals: list[float], n_rows: int, targets: dict[str, list[int]],
                weights: list[float], options: FitOptions) -> dict[str, dict[int, float]]:
    """One L2 logistic model per target over hashed buckets; only the buckets in use become columns (a
    million mostly empty columns cost liblinear seconds per fit)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    used, compact = np.unique(np.asarray(cols, dtype=np.int64), return_inverse=True)
    x = csr_matrix((vals, (rows, compact)), shape=(n_rows, len(used)))
    out: dict[str, dict[int, float]] = {}
    for name, y in targets.items():
        if len(set(y)) < 2:  # one class only (tiny folds): a constant answer, kept or dropped
            out[name] = {bucket("bias"): 5.0 if y and y[0] == 1 else -5.0}
            continue
        model = LogisticRegression(C=options.c, solver="liblinear", fit_intercept=False,
                                   random_state=options.seed, max_iter=1000)
        model.fit(x, y, sample_weight=weights)
        coef = model.coef_[0]
        out[name] = {int(used[i]): float(coef[i]) for i in coef.nonzero()[0]}
    return out
