"""`undercurrent backup` / `restore` and `export --profile` from the command line (SQLite)."""
import csv
import json

from click.testing import CliRunner

from undercurrent.cli import cli

REPORT = {"url": "https://example.org/cli-backup", "outlet": "=cmd|' /C calc'!A0", "published": "2021-03-04",
          "text": "According to a source in Hyesan, police arrested three smugglers in Hyesan on March 1."}


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def test_backup_restore_and_export_profiles(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "r.json").write_text(json.dumps(REPORT), encoding="utf-8")
    assert run("ingest", tmp_path / "r.json", "--quiet").exit_code == 0
    assert "backup ->" in run("backup", tmp_path / "b.db").output
    (tmp_path / "r2.json").write_text(json.dumps({**REPORT, "url": "https://example.org/other"}), encoding="utf-8")
    run("ingest", tmp_path / "r2.json", "--quiet")
    before = json.loads(run("search", "--json").output)["total"]
    assert run("restore", tmp_path / "b.db", input="n\n").exit_code != 0  # asked, and refused
    assert json.loads(run("search", "--json").output)["total"] == before
    assert "restored" in run("restore", tmp_path / "b.db", "--yes").output
    assert json.loads(run("search", "--json").output)["total"] == before // 2

    assert run("export", "--format", "csv", "-o", tmp_path / "full.csv", "--profile", "full").exit_code == 0
    rows = list(csv.DictReader((tmp_path / "full.csv").open(encoding="utf-8")))
    assert rows and all("a source in Hyesan" in r["sources"] for r in rows)
    assert all(r["source"].startswith("'=") for r in rows)
    assert run("export", "--format", "csv", "-o", tmp_path / "pub.csv", "--profile", "public").exit_code == 0
    assert "a source in Hyesan" not in (tmp_path / "pub.csv").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--profile", "public",
                                   "--include-sources"])
    assert bad.exit_code != 0
    bad = CliRunner().invoke(cli, ["search", "--type", "coerce"])
    assert bad.exit_code != 0 and "type" in bad.output


def test_search_limit_past_the_database_integer_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    result = CliRunner().invoke(cli, ["search", "--limit", str(2 ** 63)])
    assert result.exit_code == 2 and "--limit" in result.output
