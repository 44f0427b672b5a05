"""The learned stage fitted whole: the candidate filter (fit.py) and the sentence typer (typer_fit.py).

Apart from both because the typer's fit builds on the filter's (fit.py -> typer_fit.py); here is where
the two meet, so neither has to import the other back."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from undercurrent.extract.learned import LearnedStage
from undercurrent.train.fit import Candidates, FitOptions, fit_filter
from undercurrent.train.typer_fit import fit_typer


def fit_stage(items: Sequence[Candidates], options: FitOptions = FitOptions(), *, meta: dict | None = None,
              tune_on: Callable[[Candidates], bool] | None = None) -> LearnedStage:
    """The learned stage (filter and/or typer, as options say) trained on items."""
    meta = dict(meta or {}, keep_dropped=options.keep_dropped and options.filter)
    if options.tune_on_all:
        tune_on = None
    learned_filter = fit_filter(items, options, meta=meta, tune_on=tune_on) if options.filter else None

    def base(train: Sequence[Candidates]) -> LearnedStage:
        return LearnedStage(fit_filter(train, options, tune_on=tune_on) if options.filter else None)

    typer = fit_typer(items, base, options, meta=meta, tune_on=tune_on) if options.typer else None
    return LearnedStage(learned_filter, typer)
