"""Measure every choice of the learned stage by cross-validation before choosing (docs/decisions.md).

    python bench/learned_stage.py [--folds 5] [--only en|ko]

For each gold folder (../shared/eval/dev, ../shared/eval/ko-dev) and each combination of parts (none = the
rules alone; filter; filter judging what the hand filters drop; typer; filter + typer), prints the pooled
held-out events P/R/F1 and status accuracy; then the same on the project's own training set (texts in every
PLOVER category, split by text), which stands in for general news. The training set joins each fold's
training on the gold folders; it is never scored there.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from undercurrent.extract.pipeline import default_extractor
from undercurrent.train.crossval import cross_validate
from undercurrent.train.fit import SHIPPED_PARTS, options_for

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"en": ROOT.parent / "shared" / "eval" / "dev", "ko": ROOT.parent / "shared" / "eval" / "ko-dev"}
CHOICES = [(), ("filter",), ("filter", "dropped"), ("typer",), ("filter", "typer")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", choices=["en", "ko"])
    args = parser.parse_args()
    extractor = default_extractor(learned=False)
    training = ROOT / "training"
    print(f"{'language':<9}{'scored on':<14}{'parts':<18}{'P':>7}{'R':>7}{'F1':>7}{'status':>8}{'secs':>6}")
    for language, folder in FOLDERS.items():
        if args.only and language != args.only:
            continue
        for scored, where, extra in ((folder, "gold (CV)", training), (training, "training (CV)", None)):
            for parts in CHOICES:
                started = time.perf_counter()
                cv = cross_validate(scored, folds=args.folds, training_dir=extra, language=language,
                                    options=options_for(language, parts=parts or ("none",)), extractor=extractor)
                e = cv.pooled.events
                shipped = " *" if set(parts) == set(SHIPPED_PARTS[language]) else ""
                print(f"{language:<9}{where:<14}{('+'.join(parts) or 'none') + shipped:<18}{e.precision:>7.3f}"
                      f"{e.recall:>7.3f}{e.f1:>7.3f}{cv.pooled.event_status.value:>8.3f}"
                      f"{time.perf_counter() - started:>6.0f}", flush=True)
    print("* = the parts the package ships for that language (train/fit.py SHIPPED_PARTS)")


if __name__ == "__main__":
    main()
