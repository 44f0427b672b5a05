"""Issue 15 item 1: one bad item among good ones never stops extract, ingest, batch or a feed."""
import http.server
import json
import os
import threading

import pytest
from click.testing import CliRunner

from undercurrent.cli import cli

GOOD = [
    {"url": "https://example.org/a", "outlet": "Test Wire", "published": "2021-03-02",
     "text": "Agents of the Ministry of State Security arrested three smugglers in Hyesan last week, "
             "a source in Ryanggang Province said. Rice cost 5,000 won per kg in the market."},
    {"url": "https://example.org/b", "outlet": "Test Wire", "published": "2021-04",
     "text": "Police in Chongjin detained two traders for selling Chinese phones, a source in North "
             "Hamgyong Province told the newsroom on Tuesday."},
]
# Each of these once escaped as a traceback (pydantic ValidationError, RecursionError ...).
BAD_JSON = {
    "title_list.json": {"text": "Police in Hyesan arrested a trader.", "title": ["a", "b"]},
    "published_number.json": {"text": "Police in Hyesan arrested a trader.", "published": 2019},
    "language_number.json": {"text": "Police in Hyesan arrested a trader.", "language": 7},
    "url_number.json": {"text": "Police in Hyesan arrested a trader.", "url": 12345},
    "impossible_date.json": {"text": "Police in Hyesan arrested a trader.", "published": "2020-02-30"},
    "french.json": {"text": "La police a arrêté deux commerçants à Hyesan.", "language": "fr"},
    "surrogate.json": {"text": "Police in Hyesan arrested a trader \ud800."},
}
BAD_CODES = {"title_list.json": "E008", "published_number.json": "E008", "language_number.json": "E009",
             "url_number.json": "E008", "impossible_date.json": "E008", "french.json": "E009", "surrogate.json": "E003",
             "nested.json": "E005", "pipe.txt": "E015", "zero.txt": "E015"}


def write_folder(folder):
    folder.mkdir()
    for i, report in enumerate(GOOD):
        (folder / f"good{i}.json").write_text(json.dumps(report), encoding="utf-8")
    for name, report in BAD_JSON.items():
        (folder / name).write_text(json.dumps(report), encoding="utf-8")
    (folder / "nested.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")  # read naively, a FIFO hangs the run
    os.symlink("/dev/zero", folder / "zero.txt")  # read naively, until memory runs out
    return folder


def _assert_each_bad_item_named(output):
    for name, code in BAD_CODES.items():
        assert any(name in line and code in line for line in output.splitlines()), (name, code, output)
    assert "Traceback" not in output


def test_ingest_folder_with_bad_items(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'bad.db'}")
    folder = write_folder(tmp_path / "in")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--quiet"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == f"2 stored, 0 re-extracted, 0 unchanged, {len(BAD_CODES)} failed"
    _assert_each_bad_item_named(result.output)


def test_extract_folder_with_bad_items_writes_the_good_ones(tmp_path):
    folder = write_folder(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["good0.json", "good1.json"]
    assert f"2 extracted, {len(BAD_CODES)} failed" in result.output
    _assert_each_bad_item_named(result.output)


def test_batch_partition_with_bad_items_completes_and_resume_does_not_redo_it(tmp_path):
    folder = write_folder(tmp_path / "in")
    out = tmp_path / "run"
    first = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out), "--partition-size", "50"])
    assert first.exit_code == 1, first.output
    assert (out / "part-00000.jsonl").exists()  # the partition is done despite its bad units
    assert len((out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    errors = [json.loads(line) for line in (out / "part-00000.errors.jsonl").read_text().splitlines()]
    assert {os.path.basename(e["unit"]) for e in errors} == set(BAD_CODES)
    assert not any(e["error"].startswith("E000") for e in errors)
    again = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out)])
    assert "0 reports extracted, 1 of 1 partitions already done" in again.output


def test_extraction_failure_of_one_report_is_coded_and_the_others_go_on(extractor):
    """A failure inside the pipeline itself (not at loading) fails that report only."""
    from copy import copy
    from dataclasses import replace

    from undercurrent.errors import ExtractionFailed
    from undercurrent.models import Report

    english = copy(extractor.pipeline("en"))

    class Fragile(type(english)):
        def rules(self, report, doc, **options):
            if "explode" in report.text:
                raise RecursionError("maximum recursion depth exceeded")
            return super().rules(report, doc, **options)

    english.__class__ = Fragile
    fragile = replace(extractor, pipelines={**extractor.pipelines, "en": english})
    reports = [Report.from_fields(text=r["text"], url=r["url"], ingest_source=f"r{i}") for i, r in enumerate(GOOD)]
    reports.insert(1, Report.from_fields(text="This one will explode in Hyesan.", ingest_source="boom.txt"))
    out = list(fragile.extract_each(reports))
    assert isinstance(out[1], ExtractionFailed) and out[1].path == "boom.txt" and "RecursionError" in str(out[1])
    assert [r.report.id for r in (out[0], out[2])] == [reports[0].id, reports[2].id]


def test_spacy_accepts_texts_up_to_the_documented_limit(extractor):
    from undercurrent.ingest.files import MAX_BYTES

    assert extractor.nlp.max_length >= MAX_BYTES  # was 1,000,000: E088 far below the 20 MB limit


class FeedHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        pages = {f"/good{i}": json.dumps({**r, "url": f"{base}/good{i}"}) for i, r in enumerate(GOOD)}
        pages["/bad"] = json.dumps({"text": "Police in Hyesan arrested a trader.", "title": {"nested": True}})
        if self.path == "/feed":
            items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in ("/good0", "/bad", "/good1"))
            body, kind = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>', "application/rss+xml"
        elif self.path in pages:
            body, kind = pages[self.path], "application/json"
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_feed_with_one_bad_entry_stores_the_others(tmp_path, monkeypatch, feed_server):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'feed.db'}")
    result = CliRunner().invoke(cli, ["ingest", "--feed", f"{feed_server}/feed", "--allow-private", "--quiet"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == "2 stored, 0 re-extracted, 0 unchanged, 1 failed"
    assert f"E008: {feed_server}/bad" in result.output


def test_records_loader_skips_a_damaged_line(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{tmp_path / 'load.db'}")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, report in enumerate(GOOD):
        (folder / f"good{i}.json").write_text(json.dumps(report), encoding="utf-8")
    out = tmp_path / "run"
    assert CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out)]).exit_code == 0
    part = out / "part-00000.jsonl"
    lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
    part.write_text(lines[0][: len(lines[0]) // 2] + "\n" + lines[1], encoding="utf-8")  # a torn first line
    result = CliRunner().invoke(cli, ["ingest", "--records", str(out)])
    assert result.exit_code == 1, result.output
    assert "1 stored, 0 unchanged" in result.output and "1 failed" in result.output
    assert "E016" in result.output and "part-00000.jsonl:1" in result.output


def test_batch_broken_symlink_fails_that_unit_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good0.json").write_text(json.dumps(GOOD[0]), encoding="utf-8")
    os.symlink(tmp_path / "gone.json", folder / "broken.json")
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out)])
    assert result.exit_code == 1 and "1 reports extracted" in result.output
    assert "E001" in result.output and "broken.json" in result.output
