"""`evaluate DIR --folds K`: honest figures for a trained stage.

The gold reports are split into K parts by report. K times, the learned stage is trained on K-1 parts (plus
the project's own training set, which is never scored here) and the held part is extracted and scored exactly
as `evaluate` scores. The figures are the mean and spread over the K held parts, beside the pooled figures
and those of the rules alone on the same reports.
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from undercurrent.evaluate.scoring import Scores, score_report
from undercurrent.extract.learned import DROPPED_BY_RULES
from undercurrent.kb import load_kb
from undercurrent.train.data import read_gold_folder, read_training_set
from undercurrent.train.fit import Candidates, FitOptions, build_candidates, options_for
from undercurrent.train.stage import fit_stage
from undercurrent.vocabulary import LANGUAGES

FIGURES = {
    "events": lambda d: d["events"]["f1"],
    "events_p": lambda d: d["events"]["precision"],
    "events_r": lambda d: d["events"]["recall"],
    "status": lambda d: d["events"]["status"]["accuracy"],
    "mode": lambda d: d["events"]["mode"]["accuracy"],
    "observations": lambda d: d["observations"]["f1"],
    "places": lambda d: d["places"]["f1"],
    "institutions": lambda d: d["institutions"]["f1"],
    "sources": lambda d: d["sources"]["f1"],
}


@dataclass
class CrossValidation:
    folds: list[Scores] = field(default_factory=list)
    pooled: Scores = field(default_factory=Scores)
    rules: Scores = field(default_factory=Scores)
    thresholds: list[tuple[float | None, float | None]] = field(default_factory=list)

    def summary(self) -> dict:
        per_fold = [s.as_dict() for s in self.folds]
        out = {}
        for name, get in FIGURES.items():
            values = [get(d) for d in per_fold]
            out[name] = {"mean": round(statistics.fmean(values), 4),
                         "sd": round(statistics.pstdev(values), 4) if len(values) > 1 else 0.0,
                         "folds": [round(v, 4) for v in values],
                         "pooled": round(get(self.pooled.as_dict()), 4),
                         "rules_only": round(get(self.rules.as_dict()), 4)}
        return {"folds": len(self.folds), "thresholds": self.thresholds, "figures": out,
                "pooled": self.pooled.as_dict()}


def fold_of(names: list[str], folds: int, seed: int) -> dict[str, int]:
    """Each report's fold: a seeded shuffle of the sorted names dealt round-robin."""
    order = sorted(names)
    random.Random(seed).shuffle(order)
    return {name: i % folds for i, name in enumerate(order)}


def _score(scores: Scores, item: Candidates, events, admin1_of) -> None:
    pred = item.records.model_copy(update={"events": events}).model_dump(mode="json")
    score_report(scores, item.example.report.text, item.example.gold, pred, admin1_of)


def cross_validate(folder: Path, *, folds: int = 5, seed: int = 0, training_dir: Path | None = None,
                   options: FitOptions | None = None, own_weight: float = 1.0, extractor=None,
                   language: str = "en", progress: Callable[[str], None] | None = None) -> CrossValidation:
    """Cross-validate on a gold folder (the project's training set joins every fold's training), or, when
    FOLDER is a training set itself (FOLDER/<language>/*.jsonl), on its texts."""
    if folds < 2:
        raise ValueError("--folds needs at least 2")
    if extractor is None:
        # Imported here, not at the top: loading spaCy costs seconds, and a caller may bring its extractor.
        from undercurrent.extract.pipeline import default_extractor

        extractor = default_extractor(learned=False)
    if is_training_set(folder):
        examples = read_training_set(folder, language=language)
        own = []
    else:
        examples = read_gold_folder(folder)
        language = max(LANGUAGES, key=lambda lang: sum(e.report.language == lang for e in examples))
        own = read_training_set(training_dir, language=language) if training_dir is not None else []
    options = options or options_for(language)
    keep_dropped = options.keep_dropped and options.filter
    for example in examples:
        example.gold = example.gold or {"events": example.events}
    scored = build_candidates(examples, extractor, keep_dropped=keep_dropped)
    extra = build_candidates(own, extractor, weight=own_weight, keep_dropped=keep_dropped)
    return cross_validate_items(scored, extra, folds=folds, seed=seed, options=options, progress=progress)


def is_training_set(folder: Path) -> bool:
    return any((folder / lang).is_dir() and any((folder / lang).glob("*.jsonl")) for lang in LANGUAGES)


def cross_validate_items(scored: list[Candidates], extra: list[Candidates], *, folds: int, seed: int,
                         options: FitOptions, progress: Callable[[str], None] | None = None) -> CrossValidation:
    """Split `scored` by example into folds; train on the other folds plus `extra`; score the held fold."""
    admin1_of = load_kb().gazetteer.admin1
    fold = fold_of([c.example.name for c in scored], folds, seed)
    scored_ids = {id(c) for c in scored}
    result = CrossValidation()
    for k in range(folds):
        held = [c for c in scored if fold[c.example.name] == k]
        train = [c for c in scored if fold[c.example.name] != k] + extra
        learned = fit_stage(train, options, tune_on=lambda c: id(c) in scored_ids)
        result.thresholds.append((learned.filter.threshold if learned.filter else None,
                                  learned.typer.threshold if learned.typer else None))
        scores = Scores()
        for item in held:
            kept = learned.apply(item.records, item.finput)
            _score(scores, item, kept, admin1_of)
            _score(result.pooled, item, kept, admin1_of)
            _score(result.rules, item, [e for e in item.records.events if e.confidence != DROPPED_BY_RULES], admin1_of)
        result.folds.append(scores)
        if progress:
            progress(f"fold {k + 1}/{folds}: events F1 {scores.events.f1:.3f} (thresholds {result.thresholds[-1]})")
    return result


def format_cross_validation(cv: CrossValidation) -> str:
    s = cv.summary()
    lines = [f"cross-validation: {s['folds']} folds by report (learned stage trained on the other folds)", "",
             f"{'figure':<14}{'mean':>7}{'sd':>7}{'pooled':>8}{'rules':>8}   per fold"]
    for name, f in s["figures"].items():
        per = " ".join(f"{v:.3f}" for v in f["folds"])
        lines.append(f"{name:<14}{f['mean']:>7.3f}{f['sd']:>7.3f}{f['pooled']:>8.3f}{f['rules_only']:>8.3f}   {per}")
    lines.append("")
    lines.append("rules = the rules alone on the same reports; pooled = all held-out folds scored together")
    return "\n".join(lines)
