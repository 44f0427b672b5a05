"""`undercurrent train`: fit the learned stage per language and write the weights the package ships."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from undercurrent.extract.event_filter import MODEL_FILES, model_path
from undercurrent.extract.sentence_typer import typer_path
from undercurrent.train.data import Example, read_gold_folder, read_training_set
from undercurrent.train.fit import build_candidates, options_for
from undercurrent.train.stage import fit_stage
from undercurrent.vocabulary import LANGUAGES


@dataclass
class TrainResult:
    language: str
    path: Path
    gold_reports: int
    training_texts: int
    candidates: int
    positives: int
    filter_threshold: float | None
    typer_threshold: float | None


def train(*, gold_dirs: Sequence[Path], training_dir: Path | None, languages: Sequence[str] = LANGUAGES,
          parts: Sequence[str] | None = None, seed: int = 0, out_dir: Path | None = None,
          progress: Callable[[str], None] | None = None) -> list[TrainResult]:
    """Train the learned stage of each language on the gold folders and the project's training set, with the
    parts that language ships (or `parts`); deterministic. A language with no part gets no weights: it
    extracts with the rules alone."""
    # Imported here, not at the top: loading spaCy costs seconds, which `undercurrent --help` should not pay.
    from undercurrent.extract.pipeline import default_extractor

    extractor = default_extractor(learned=False)
    gold: list[Example] = []
    for folder in gold_dirs:
        gold.extend(read_gold_folder(folder))
    results = []
    for language in languages:
        if language not in MODEL_FILES:
            raise ValueError(f"no learned stage for language {language!r}")
        mine = [e for e in gold if e.report.language == language]
        own = read_training_set(training_dir, language=language) if training_dir else []
        if not mine and not own:
            if progress:
                progress(f"{language}: no examples, nothing trained")
            continue
        options = options_for(language, parts=parts, seed=seed)
        if not (options.filter or options.typer):
            for default in (model_path(language), typer_path(language)):
                ((out_dir / default.name) if out_dir else default).unlink(missing_ok=True)
            if progress:
                progress(f"{language}: no part of the learned stage ships: the rules alone")
            results.append(TrainResult(language, out_dir or model_path(language).parent, len(mine), len(own),
                                       0, 0, None, None))
            continue
        keep_dropped = options.keep_dropped and options.filter
        if progress:
            progress(f"{language}: {len(mine)} gold reports, {len(own)} training texts: running the rules")
        items = build_candidates(mine, extractor, keep_dropped=keep_dropped) + \
            build_candidates(own, extractor, keep_dropped=keep_dropped)
        gold_ids = {id(i) for i in items[: len(mine)]}
        # fit_stage calls tune_on before this iteration ends, so the lambda sees this language's gold_ids.
        learned = fit_stage(items, options, tune_on=(lambda c: id(c) in gold_ids) if gold_ids else None,  # noqa: B023
                            meta={"language": language, "gold_reports": len(mine), "training_texts": len(own)})
        paths = {model_path(language): learned.filter, typer_path(language): learned.typer}
        for default, part in paths.items():
            path = (out_dir / default.name) if out_dir else default
            if part is None:
                path.unlink(missing_ok=True)  # a part the options leave out is not shipped stale
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(part.to_json() + "\n", encoding="utf-8")
        results.append(TrainResult(
            language, (out_dir or model_path(language).parent), len(mine), len(own),
            sum(len(i.labels) for i in items), sum(sum(i.labels) for i in items),
            learned.filter.threshold if learned.filter else None,
            learned.typer.threshold if learned.typer else None))
    return results
