"""`evaluate DIR`: extract (or read saved predictions) and score against the gold files."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from undercurrent.errors import BadGold
from undercurrent.evaluate.scoring import Scores, score_report
from undercurrent.ingest.reader import load_report
from undercurrent.kb import load_kb


def gold_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(report, gold) file pairs: every <slug>.json that has a <slug>.gold.json."""
    pairs = []
    for gold in sorted(folder.glob("*.gold.json")):
        report = gold.with_name(gold.name[: -len(".gold.json")] + ".json")
        if report.exists():
            pairs.append((report, gold))
    if not pairs:
        raise BadGold("no <slug>.json with a <slug>.gold.json here", path=str(folder))
    return pairs


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BadGold(f"cannot read: {exc}", path=str(path)) from None


def evaluate_folder(folder: Path, *, pred_dir: Path | None = None, extractor=None,
                    progress: Callable[[str], None] | None = None) -> Scores:
    """Score a folder of gold-annotated reports; extract with `extractor` unless pred_dir is given."""
    gazetteer = load_kb().gazetteer
    scores = Scores()
    pairs = gold_pairs(folder)
    reports = [load_report(report_path) for report_path, _ in pairs]
    if pred_dir is None:
        if extractor is None:
            # Imported here, not at the top: loading spaCy costs seconds, needless when predictions are read.
            from undercurrent.extract.pipeline import default_extractor

            extractor = default_extractor()
        predictions = (r.model_dump(mode="json") for r in extractor.extract_many(reports))
    else:
        predictions = (_read_json(pred_dir / report_path.name) for report_path, _ in pairs)
    for (report_path, gold_path), report, pred in zip(pairs, reports, predictions, strict=True):
        if progress:
            progress(report_path.name)
        score_report(scores, report.text, _read_json(gold_path), pred, gazetteer.admin1)
    return scores


def format_scores(scores: Scores) -> str:
    d = scores.as_dict()
    lines = [f"reports: {d['reports']}", "", f"{'records':<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'pred':>6}{'gold':>6}"]

    def row(name: str, m: dict) -> str:
        return f"{name:<22}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['tp']:>6}{m['pred']:>6}{m['gold']:>6}"

    lines.append(row("events", d["events"]))
    for etype, m in d["events"]["by_type"].items():
        lines.append(row(f"  {etype}", m))
    for name in ("observations", "places", "institutions", "sources"):
        lines.append(row(name, d[name]))
    lines += ["", f"{'on matched records':<22}{'acc':>7}{'right':>7}{'total':>7}"]

    def acc(name: str, m: dict) -> str:
        return f"{name:<22}{m['accuracy']:>7.3f}{m['right']:>7}{m['total']:>7}"

    for key in ("mode", "status", "place", "place_province", "actor"):
        lines.append(acc(f"event {key}", d["events"][key]))
    lines.append(acc("observation kind", d["observations"]["kind"]))
    lines.append(acc("observation place", d["observations"]["place"]))
    lines.append(acc("source kind", d["sources"]["kind"]))
    lines.append(acc("source place", d["sources"]["place"]))
    return "\n".join(lines)


_FLOOR_FIGURES = {
    "events": lambda d: d["events"]["f1"],
    "observations": lambda d: d["observations"]["f1"],
    "places": lambda d: d["places"]["f1"],
    "institutions": lambda d: d["institutions"]["f1"],
    "sources": lambda d: d["sources"]["f1"],
    "status": lambda d: d["events"]["status"]["accuracy"],
    "mode": lambda d: d["events"]["mode"]["accuracy"],
    "actor": lambda d: d["events"]["actor"]["accuracy"],
}


def parse_floors(items: tuple[str, ...] | list[str]) -> dict[str, float]:
    floors = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in _FLOOR_FIGURES:
            raise BadGold(f"unknown figure {name!r} in --floor; use one of {', '.join(_FLOOR_FIGURES)}")
        try:
            floors[name] = float(value)
        except ValueError:
            raise BadGold(f"--floor {item!r}: the value must be a number") from None
    return floors


def check_floors(scores: Scores, floors: dict[str, float]) -> list[str]:
    """Figures under their floor, as 'name value < floor'."""
    figures = scores.as_dict()
    return [f"{name} {_FLOOR_FIGURES[name](figures):.3f} < {floor}" for name, floor in floors.items()
            if _FLOOR_FIGURES[name](figures) < floor]
