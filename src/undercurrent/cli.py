"""The `undercurrent` command: thin shells over the library.

Each command imports what it runs inside its own function: `undercurrent --help` or a `search` must not
pay for spaCy or the web stack (tests/test_startup.py). These are the start-up cost imports that the
import-graph test allows; none of them hides an import loop."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from undercurrent.cli_options import filter_from_options, filter_option, filter_options
from undercurrent.errors import UndercurrentError
from undercurrent.vocabulary import EXPORT_FORMATS, EXPORT_PROFILES, LANGUAGES, ROLES


def _one_line(text: str) -> str:
    """A name or message on one log line: a newline in a file name once split the line in two."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _check_published_option(published: str | None) -> None:
    """--published once, before any file: not the same E008 on every .txt of a folder."""
    from undercurrent.dates import check_date
    from undercurrent.errors import BadMetadata

    if published is not None:
        try:
            check_date(published, what="--published")
        except BadMetadata as exc:  # exit 1, as a bad date in a file is
            raise click.ClickException(str(exc)) from None


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
    """Extract records from report files (.txt, .json, .jsonl, .html) or folders of them (recursive)."""
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.ingest.files import Metadata
    from undercurrent.ingest.reader import list_units, output_names, read_unit
    from undercurrent.summary import summarise

    _check_published_option(published)
    metadata = Metadata(published=published, outlet=outlet, url=url, title=title)
    units = list(list_units(paths))
    if not units:
        raise click.ClickException("no reports (.txt, .json, .jsonl, .html) in " + ", ".join(map(str, paths)))
    if out_dir is None and len(units) > 1:
        raise click.UsageError("several inputs need --out DIR")
    failures = 0
    loaded = []
    for unit in units:
        item = read_unit(unit, metadata)
        if item.error:
            failures += 1
            click.echo(f"error: {_one_line(str(item.error))}", err=True)
        else:
            loaded.append((unit, item))
    extracted = 0
    if loaded:
        extractor = default_extractor()
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
        targets = output_names([unit for unit, _ in loaded])
        with click.progressbar(length=len(loaded), label="extracting", file=sys.stderr,
                               hidden=out_dir is None or not sys.stderr.isatty()) as bar:
            reports = [item.report for _, item in loaded if item.report is not None]  # every loaded item has one
            for (unit, _), records in zip(loaded, extractor.extract_each(reports), strict=True):
                bar.update(1)
                if isinstance(records, UndercurrentError):
                    failures += 1
                    click.echo(f"error: {_one_line(str(records))}", err=True)
                    continue
                extracted += 1
                if out_dir is None:
                    click.echo(summarise(records) if summary else _records_json(records))
                else:
                    target = out_dir / targets[unit]
                    tmp = target.with_suffix(".json.tmp")
                    tmp.write_text(_records_json(records), encoding="utf-8")
                    tmp.replace(target)  # never leave a half-written file behind
    if out_dir is not None:
        click.echo(f"{extracted} extracted, {failures} failed -> {out_dir}", err=True)
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
@click.option("--folds", type=click.IntRange(min=2), default=None,
              help="Cross-validate: train the learned stage on K-1 parts of FOLDER (by report), score the held "
                   "part, K times; floors then apply to the pooled held-out figures.")
@click.option("--training", "training_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="The project's training set added to each fold's training (e.g. training/).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold split and the training.")
@click.option("--parts", default=None, metavar="LIST",
              help="Parts of the learned stage, comma-separated: filter, typer, dropped (the filter also judges "
                   "what the hand filters drop), or none. Default: the parts each language ships.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="With --folds on a training set folder (FOLDER/<lang>/*.jsonl): the language to score.")
def evaluate(folder: Path, pred_dir: Path | None, as_json: bool, floors: tuple[str, ...], folds: int | None,
             training_dir: Path | None, seed: int, parts: str | None, language: str) -> None:
    """Score extraction against FOLDER/<slug>.gold.json as RECORDS.md defines."""
    from undercurrent.evaluate.runner import check_floors, evaluate_folder, format_scores, parse_floors

    wanted = parse_floors(floors)
    if folds:
        from undercurrent.train.crossval import cross_validate, format_cross_validation, is_training_set
        from undercurrent.train.data import read_gold_folder
        from undercurrent.train.fit import options_for

        scored = language if is_training_set(folder) else read_gold_folder(folder)[0].report.language
        cv = cross_validate(folder, folds=folds, seed=seed, training_dir=training_dir, language=language,
                            options=options_for(scored, parts=_parts(parts), seed=seed),
                            progress=_to_stderr)
        click.echo(json.dumps(cv.summary(), indent=1) if as_json else format_cross_validation(cv))
        scores = cv.pooled
    else:
        scores = evaluate_folder(folder, pred_dir=pred_dir)
        click.echo(json.dumps(scores.as_dict(), indent=1) if as_json else format_scores(scores))
    failures = check_floors(scores, wanted)
    for failure in failures:
        click.echo(f"below floor: {failure}", err=True)
    if failures:
        sys.exit(1)


@cli.command()
@click.option("--gold", "gold_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A gold folder (<slug>.json + <slug>.gold.json) to learn from. Repeatable.")
@click.option("--training", "training_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="The project's training set (training/<lang>/*.jsonl).")
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              help="Languages to train (default: both).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the training (results repeat).")
@click.option("--parts", default=None, metavar="LIST",
              help="Parts of the learned stage, comma-separated: filter, typer, dropped (the filter also judges "
                   "what the hand filters drop), or none. Default: the parts each language ships.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the weights (default: the package's extract/models/, what extract loads).")
def train(gold_dirs: tuple[Path, ...], training_dir: Path | None, languages: tuple[str, ...], seed: int,
          parts: str | None, out_dir: Path | None) -> None:
    """Train the learned stage (a filter over the rules' events) and write its weights."""
    from undercurrent.train.run import train as run_training

    if not gold_dirs and training_dir is None:
        raise click.UsageError("give --gold DIR and/or --training DIR")
    results = run_training(gold_dirs=gold_dirs, training_dir=training_dir, languages=languages or LANGUAGES,
                           parts=_parts(parts), seed=seed, out_dir=out_dir,
                           progress=_to_stderr)
    for r in results:
        click.echo(f"{r.language}: {r.gold_reports} gold reports + {r.training_texts} training texts, "
                   f"{r.candidates} candidates ({r.positives} match gold); thresholds: filter "
                   f"{r.filter_threshold}, typer {r.typer_threshold} -> {r.path}")


def _parts(value: str | None) -> list[str] | None:
    from undercurrent.train.fit import PARTS

    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS + ("none",)]
    if unknown:
        raise click.BadParameter(f"unknown part {unknown[0]!r}: use {', '.join(PARTS)} or none", param_hint="--parts")
    return parts


def _to_stderr(line: str) -> None:
    """Progress of long work, on stderr: stdout stays the command's result."""
    click.echo(line, err=True)


def _open_store(*, loading: bool = False):
    from undercurrent.settings import Settings
    from undercurrent.store.db import open_store

    return open_store(Settings.from_env(), progress=_to_stderr, loading=loading)


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS/Atom feed: each entry's page is ingested.")
@click.option("--allow-private", is_flag=True, help="Allow URLs on private, loopback or link-local addresses.")
@click.option("--reextract", is_flag=True, help="Re-extract reports already stored (reviewed records are kept).")
@click.option("--published", help="Published date of .txt reports.")
@click.option("--outlet", help="Outlet of .txt reports.")
@click.option("--records", "records_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Load the records of a `batch` run (its --out folder) instead of extracting.")
@click.option("--defer-corroboration", is_flag=True,
              help="With --records: find reprints and clusters once after the load, not at every save "
                   "(done by itself when the store is empty).")
@click.option("--quiet", is_flag=True, help="Print only the summary.")
def ingest(inputs: tuple[str, ...], feeds: tuple[str, ...], allow_private: bool, reextract: bool,
           published: str | None, outlet: str | None, records_dir: Path | None, defer_corroboration: bool,
           quiet: bool) -> None:
    """Store reports and their records: files, folders (recursive), .jsonl, .html, URLs, feeds."""
    from undercurrent.collect import ingest_items, load_batch_records, stored_reports
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.ingest.files import Metadata
    from undercurrent.ingest.items import iter_items

    _check_published_option(published)
    if records_dir is not None:
        loaded = load_batch_records(records_dir, _open_store(loading=True), defer_corroboration=defer_corroboration or None,
                                    corroboration_progress=_to_stderr)
        for _name, error in loaded.failed:
            click.echo(f"error: {_one_line(error)}", err=True)
        click.echo(f"{loaded.stored} stored, {loaded.unchanged} unchanged from {records_dir}"
                   + (f", {len(loaded.failed)} failed" if loaded.failed else ""))
        if not loaded.ok:
            sys.exit(1)
        return
    if not inputs and not feeds and not reextract:
        raise click.UsageError("give files, folders, URLs or --feed URL (or --reextract alone for every stored report)")
    store = _open_store(loading=True)
    if inputs or feeds:
        items = iter_items(list(inputs), feeds=list(feeds), metadata=Metadata(published=published, outlet=outlet),
                           allow_private=allow_private)
    else:
        items = stored_reports(store)
    counter = {"n": 0}

    def progress(item, status: str) -> None:
        from undercurrent.dates import is_future

        counter["n"] += 1
        if status == "failed":
            click.echo(f"error: {_one_line(str(item.error))}", err=True)
            return
        if not quiet:
            click.echo(f"[{counter['n']}] {status}: {_one_line(item.name)}", err=True)
        if status != "unchanged" and item.report.published and is_future(item.report.published):
            click.echo(f"warning: {_one_line(item.name)}: published date {item.report.published} is in the future",
                       err=True)

    summary = ingest_items(items, store, default_extractor(), reextract=reextract, progress=progress)
    click.echo(f"{summary.stored} stored, {summary.reextracted} re-extracted, {summary.unchanged} unchanged, "
               f"{len(summary.failed)} failed")
    if not summary.ok:
        sys.exit(1)


@cli.command()
@click.argument("text", metavar="[QUERY]", required=False)  # EventFilter.text
@filter_options
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1_000_000), help="Rows to print.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(limit: int, as_json: bool, **options) -> None:
    """Search events: full text over reports and quotes, with filters."""
    from undercurrent.store.search import count_events, count_real_events, search_events

    store = _open_store()
    filters = filter_from_options(options)
    rows = search_events(store, filters, limit=limit)
    if as_json:
        click.echo(json.dumps({"total": count_events(store, filters), "real_events": count_real_events(store, filters), "events": rows}, ensure_ascii=False, indent=1, default=str))
        return
    click.echo(f"{'date':<11}{'type/mode':<22}{'status':<10}{'place':<18}{'outlet':<14}quote")
    for row in rows:
        kind = f"{row['type']}/{row['mode'] or '-'}"
        quote = " ".join(row["quote"].split())
        click.echo(f"{(row['sort_date'] or '-'):<11}{kind:<22}{row['status']:<10}{(row['place_id'] or row['admin1'] or '-'):<18}"
                   f"{(row['outlet'] or '-')[:13]:<14}{quote[:70]}")
    # Records, and the real-world events they tell (records of one cluster count once)
    click.echo(f"{len(rows)} of {count_events(store, filters)} events "
               f"({count_real_events(store, filters)} real-world events)", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@filter_option("text", "--text")
@filter_options
@click.option("--profile", type=click.Choice(EXPORT_PROFILES), default=None,
              help="public: no descriptors, source places at province level, quotes naming a source removed; "
                   "internal (default): source kinds only; full: source descriptors (audit-logged).")
@click.option("--include-sources", is_flag=True, help="The same as --profile full.")
def export(fmt: str, output: Path, profile: str | None, include_sources: bool, **options) -> None:
    """Export events: ACLED-style CSV, PLOVER JSONL, GeoJSON or Parquet."""
    from undercurrent.export import export_events

    if include_sources and profile not in (None, "full"):
        raise click.UsageError(f"--include-sources is --profile full; it cannot go with --profile {profile}")
    result = export_events(_open_store(), fmt, output, filters=filter_from_options(options), profile=profile,
                           include_sources=include_sources)
    click.echo(f"{result.rows} events -> {result.path} ({result.format})")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the whole store to PATH (SQLite backup API, or pg_dump)."""
    from undercurrent.store.backup import backup as backup_store

    result = backup_store(_open_store(), path)
    click.echo(f"{result.dialect} backup -> {result.path} ({result.bytes} bytes)")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the store without asking.")
def restore(path: Path, yes: bool) -> None:
    """Replace everything in the store by the backup at PATH (stop the workbench first)."""
    from undercurrent.store.backup import restore as restore_store

    if not yes:
        click.confirm("Replace every report, record, user and audit entry in the store by this backup?", abort=True)
    kind = restore_store(_open_store(), path)
    click.echo(f"{kind} store restored from {path}")


@cli.command()
@filter_options
@filter_option("count", default="events", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(as_json: bool, **options) -> None:
    """Event counts by type, province and month."""
    from undercurrent.store.search import stats as event_stats

    figures = event_stats(_open_store(), filter_from_options(options))
    if as_json:
        click.echo(json.dumps({k: [{"key": key, "events": n} for key, n in v] for k, v in figures.items()}, indent=1))
        return
    click.echo(f"reports: {figures['reports'][0][1]}")
    for name in ("type", "province", "month"):
        click.echo(f"\nby {name}:")
        for key, n in figures[name]:
            click.echo(f"  {key or '(none)':<16}{n:>7}")


@cli.command()
@click.option("--rebuild", is_flag=True, required=True,
              help="Recompute reprints and event clusters of the whole store (reviewer decisions are kept).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that judge links (default: the cores, at most 4; each may hold about as much "
                   "memory as the main one, and fewer start when the memory available would not hold them).")
def cluster(rebuild: bool, workers: int | None) -> None:
    """Corroboration: recompute which reports are reprints and which records tell one event."""
    from undercurrent.store.clusters import rebuild as rebuild_clusters

    figures = rebuild_clusters(_open_store(), progress=_to_stderr, workers=workers)
    click.echo(f"{figures['events']} event records in {figures['clusters']} clusters; "
               f"{figures['reprints']} reprints; {figures['pinned']} records placed by reviewers kept")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for part-NNNNN.jsonl records, part-NNNNN.errors.jsonl and manifest.json.")
@click.option("--workers", type=int, default=None, help="Dask LocalCluster worker processes (default: in-process).")
@click.option("--scheduler", help="Address of a running Dask distributed scheduler, e.g. tcp://10.0.0.5:8786.")
@click.option("--partition-size", type=int, default=200, show_default=True, help="Reports per partition.")
def batch(paths: tuple[str, ...], out_dir: Path, workers: int | None, scheduler: str | None, partition_size: int) -> None:
    """Extract a large corpus in partitions (in-process or on Dask); re-running resumes."""
    from undercurrent.batch.runners import failed_units, plan, run_dask, run_local

    if workers is not None and scheduler:
        raise click.UsageError("give --workers or --scheduler, not both")
    parts = plan(list(paths), out_dir, partition_size=partition_size)
    total = sum(len(p) for p in parts)
    with click.progressbar(length=total, label=f"{len(parts)} partitions", file=sys.stderr,
                           show_pos=True) as bar:
        def done(result) -> None:
            bar.update(result.reports + result.failed)

        if workers or scheduler:
            summary = run_dask(parts, out_dir, workers=workers or 2, scheduler=scheduler, on_done=done)
        else:
            summary = run_local(parts, out_dir, on_done=done)
    peak = max((r.peak_rss_mb for r in summary.results), default=0)
    failures = failed_units(out_dir)
    click.echo(f"{summary.reports} reports extracted, {summary.skipped} of {summary.partitions} partitions already "
               f"done; {len(failures)} failed in all (see {out_dir}/part-*.errors.jsonl); peak RSS per worker {peak:.0f} MB")
    for failure in failures[:20]:
        click.echo(f"error: {_one_line(failure['error'])}", err=True)
    if failures:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the workbench (web pages and /api) over the configured database; needs UNDERCURRENT_SECRET_KEY."""
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    settings = Settings.from_env()
    app = create_app(settings)
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.cookie_secure:
        click.echo("warning: serving beyond loopback without UNDERCURRENT_COOKIE_SECURE=true: put it behind HTTPS",
                   err=True)
    _run_server(app, host, port)


def _run_server(app, host: str, port: int) -> None:
    import uvicorn

    from undercurrent.server import settle_heap

    settle_heap()
    click.echo(f"workbench on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs; Ctrl-C stops)", err=True)
    # The client address (the sign-in throttle counts by it) comes from X-Forwarded-For only when the
    # connection is from a proxy named in UNDERCURRENT_TRUSTED_PROXIES; otherwise anyone could pick theirs.
    proxies = app.state.settings.trusted_proxies
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)


@cli.command()
@click.option("--dir", "folder", default="demo", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo database (undercurrent-demo.db).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the database and the user, then stop.")
def demo(folder: Path, port: int, no_serve: bool) -> None:
    """Try the workbench: a SQLite database with the bundled sample reports, a demo admin, the server."""
    from undercurrent.demo import setup_demo

    result = setup_demo(folder, progress=_to_stderr)
    click.echo(f"database: {result.database_url}")
    click.echo(f"sign in as '{result.username}' with password: {result.password}")
    if no_serve:
        return
    from undercurrent.server import create_app

    _run_server(create_app(result.settings), "127.0.0.1", port)


@cli.group()
def users() -> None:
    """Workbench users (roles viewer, reviewer, admin) and their API tokens."""


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (no prompt).")
def users_add(username: str, role: str, password_stdin: bool) -> None:
    """Add a user (asks for a password of at least 10 characters)."""
    from undercurrent.auth.users import add_user

    user = add_user(_open_store(), username, _password(password_stdin), role)
    click.echo(f"added {user.username} ({user.role})")


@users.command("list")
def users_list() -> None:
    """List users, their roles and whether they are active."""
    from undercurrent.auth.users import list_users

    for user in list_users(_open_store()):
        click.echo(f"{user.username:<24}{user.role:<10}{'active' if user.active else 'disabled':<10}"
                   f"{'2fa' if user.two_factor else ''}".rstrip())


@users.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--active/--disabled", default=None, help="Enable or disable the account (its sessions end at once).")
@click.option("--password", "new_password", is_flag=True, help="Set a new password (prompted).")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
@click.option("--reset-2fa", is_flag=True, help="Turn off two-factor sign-in (a lost phone); the user enrols again.")
@click.option("--end-sessions", is_flag=True, help="End every session of the user (a lost laptop) and nothing else.")
def users_set(username: str, role: str | None, active: bool | None, new_password: bool, password_stdin: bool,
              reset_2fa: bool, end_sessions: bool) -> None:
    """Change a user's role, state or password (each ends the user's sessions) or reset two-factor sign-in."""
    from undercurrent.auth.sessions import end_user_sessions
    from undercurrent.auth.twofactor import turn_off
    from undercurrent.auth.users import update_user

    store = _open_store()
    password = _password(password_stdin) if (new_password or password_stdin) else None
    user = update_user(store, username, role=role, active=active, password=password, by="cli")
    if reset_2fa:
        turn_off(store, user.id, user.username, by="cli")
    if reset_2fa or end_sessions:
        click.echo(f"{end_user_sessions(store, user.id)} sessions ended")
    click.echo(f"{user.username}: {user.role}, {'active' if user.active else 'disabled'}")


@users.command("token")
@click.argument("username")
@click.option("--name", default="script", show_default=True, help="What the token is for.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None,
              help="The token stops working after this many days (default: until revoked).")
def users_token(username: str, name: str, expires_days: int | None) -> None:
    """Make an API token for USERNAME and print it once (send it as 'Authorization: Bearer TOKEN')."""
    from undercurrent.auth.users import create_token

    click.echo(create_token(_open_store(), username, name, expires_days=expires_days))


@users.command("revoke-tokens")
@click.argument("username")
def users_revoke(username: str) -> None:
    """Revoke every API token of USERNAME."""
    from undercurrent.auth.users import revoke_tokens

    click.echo(f"{revoke_tokens(_open_store(), username, by='cli')} tokens revoked")


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
