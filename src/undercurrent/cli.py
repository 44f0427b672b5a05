"""The `undercurrent` command: thin shells over the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from undercurrent.errors import UndercurrentError


def _records_json(records) -> str:
    return json.dumps(records.model_dump(mode="json"), ensure_ascii=False, indent=1)


@click.group()
@click.version_option(package_name="undercurrent")
def cli() -> None:
    """Undercurrent: sourced, mappable records of events from field reports on North Korea."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one <name>.json of records per input (default: stdout for one input).")
@click.option("--published", help="Published date of .txt reports (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--outlet", help="Outlet of .txt reports.")
@click.option("--url", help="URL of a .txt report.")
@click.option("--title", help="Title of a .txt report.")
@click.option("--summary", is_flag=True, help="Print a short readable summary instead of JSON (stdout only).")
def extract(paths: tuple[Path, ...], out_dir: Path | None, published: str | None, outlet: str | None,
            url: str | None, title: str | None, summary: bool) -> None:
    """Extract records from report files (.txt, .json) or folders of them."""
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.ingest.files import Metadata, expand_paths, load_many
    from undercurrent.summary import summarise

    metadata = Metadata(published=published, outlet=outlet, url=url, title=title)
    files = expand_paths(list(paths))
    if not files:
        raise click.ClickException("no .txt or .json reports in " + ", ".join(map(str, paths)))
    if out_dir is None and len(files) > 1:
        raise click.UsageError("several inputs need --out DIR")
    failures = 0
    loaded = []
    for result in load_many(list(paths), metadata):
        if result.error:
            failures += 1
            click.echo(f"error: {result.error}", err=True)
        else:
            loaded.append(result)
    if loaded:
        extractor = default_extractor()
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
        with click.progressbar(length=len(loaded), label="extracting", file=sys.stderr,
                               hidden=out_dir is None or not sys.stderr.isatty()) as bar:
            for result, records in zip(loaded, extractor.extract_many([r.report for r in loaded])):
                if out_dir is None:
                    click.echo(summarise(records) if summary else _records_json(records))
                else:
                    target = out_dir / (result.path.stem + ".json")
                    tmp = target.with_suffix(".json.tmp")
                    tmp.write_text(_records_json(records), encoding="utf-8")
                    tmp.replace(target)  # never leave a half-written file behind
                bar.update(1)
    if out_dir is not None:
        click.echo(f"{len(loaded)} extracted, {failures} failed -> {out_dir}", err=True)
    if failures:
        sys.exit(1)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--pred", "pred_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Score saved predictions (<slug>.json records) instead of extracting.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--floor", "floors", multiple=True, metavar="NAME=VALUE",
              help="Fail (exit 1) when a figure is under VALUE: events, observations, places, institutions, "
                   "sources (F1) or status, mode, actor (event accuracy). Repeatable.")
def evaluate(folder: Path, pred_dir: Path | None, as_json: bool, floors: tuple[str, ...]) -> None:
    """Score extraction against FOLDER/<slug>.gold.json as RECORDS.md defines."""
    from undercurrent.evaluate.runner import check_floors, evaluate_folder, format_scores, parse_floors

    wanted = parse_floors(floors)
    scores = evaluate_folder(folder, pred_dir=pred_dir)
    click.echo(json.dumps(scores.as_dict(), indent=1) if as_json else format_scores(scores))
    failures = check_floors(scores, wanted)
    for failure in failures:
        click.echo(f"below floor: {failure}", err=True)
    if failures:
        sys.exit(1)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except UndercurrentError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)


if __name__ == "__main__":
    main()
