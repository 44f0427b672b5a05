"""The one reader (ingest/reader.py): the same folder gives the same reports through extract, ingest and
batch, in the same order, with the same coded errors; and no other module reads input folders."""
import json
import os
import re
from pathlib import Path

from click.testing import CliRunner

from undercurrent.batch.runners import list_units as batch_units
from undercurrent.batch.runners import plan, read_records, run_local
from undercurrent.cli import cli
from undercurrent.collect import stored_reports
from undercurrent.ingest.files import MAX_BYTES
from undercurrent.ingest.reader import Unit, list_units, output_names, read_paths
from undercurrent.store.db import open_store

SRC = Path(__file__).resolve().parents[2] / "src" / "undercurrent"
TEXTS = {
    "a.txt": "Police in Chongjin confiscated phones from two traders last week.",
    "b.json": "Agents of the Ministry of State Security arrested three smugglers in Hyesan, a source said.",
    "sub/c.txt": "Rice cost 5,000 won per kg in the Sinuiju market this month.",
    "sub/deeper/D.TXT": "Border guards in Hoeryong were punished for helping smugglers.",
}
LINES = ["Officials in Wonsan ordered market traders to register their stalls.",
         "Police in Hamhung detained a woman for selling South Korean films."]
ARTICLE = ("<html><head><title>Guards punished</title></head><body><article><h1>Guards punished</h1>"
           "<p>Three border guards in Hyesan were sentenced to labour camps this month for helping "
           "smugglers, a source in Ryanggang Province said.</p></article></body></html>")


def mixed_folder(root: Path) -> Path:
    """.txt, .json, .jsonl, .html, an upper-case suffix, subfolders, a gold file and a stray file."""
    for name, text in TEXTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"text": text}) if name.endswith(".json") else text, encoding="utf-8")
    (root / "lines.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in LINES[:1]) + "\n\n"
                                      + json.dumps({"text": LINES[1]}) + "\n", encoding="utf-8")
    (root / "sub" / "page.html").write_text(ARTICLE, encoding="utf-8")
    (root / "b.gold.json").write_text("{}", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF")
    return root


def test_folder_units_are_recursive_sorted_and_name_each_line(tmp_path):
    folder = mixed_folder(tmp_path / "in")
    names = [unit.name for unit in list_units([folder])]
    assert names == [str(folder / n) for n in ("a.txt", "b.json")] + [f"{folder / 'lines.jsonl'}:1",
                                                                      f"{folder / 'lines.jsonl'}:3"] + [
        str(folder / n) for n in ("sub/c.txt", "sub/deeper/D.TXT", "sub/page.html")]


def test_extract_ingest_and_batch_read_the_same_reports(tmp_path, monkeypatch):
    folder = mixed_folder(tmp_path / "in")
    expected = set(TEXTS.values()) | set(LINES)

    out = tmp_path / "extracted"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    extracted = {json.loads(p.read_text(encoding="utf-8"))["report"]["id"] for p in out.iterdir()}

    db = tmp_path / "i.db"
    monkeypatch.setenv("UNDERCURRENT_DATABASE_URL", f"sqlite:///{db}")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    store = open_store(url=f"sqlite:///{db}")
    ingested = {item.report.id for item in stored_reports(store)}

    run = tmp_path / "run"
    summary = run_local(plan([str(folder)], run, partition_size=3), run)
    assert summary.failed == 0
    batched = {records["report"]["id"] for _, records, _, _ in read_records(run)}

    assert extracted == ingested == batched and len(extracted) == len(expected) + 1  # + the html article
    texts = {item.report.text for item in read_paths([folder])}
    assert expected <= texts
    assert batch_units([str(folder)]) == list(list_units([folder]))


def test_a_file_named_explicitly_is_tried_and_its_error_named(tmp_path):
    pdf, missing = tmp_path / "x.pdf", tmp_path / "gone.txt"
    pdf.write_bytes(b"%PDF")
    items = list(read_paths([pdf, missing]))
    assert [(i.name, i.error.code) for i in items] == [(str(pdf), "E007"), (str(missing), "E001")]


def test_fifo_and_device_and_long_line_are_coded_errors_not_hangs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink("/dev/zero", folder / "zero.txt")
    with (folder / "long.jsonl").open("wb") as handle:
        handle.write(b'{"text": "' + b"x" * (MAX_BYTES + 10) + b'"}\n')
        handle.write(json.dumps({"text": LINES[0]}).encode() + b"\n")
    items = {i.name: i for i in read_paths([folder])}
    assert items[f"{folder / 'long.jsonl'}:1"].error.code == "E004"
    assert items[f"{folder / 'long.jsonl'}:2"].report.text == LINES[0]
    assert items[str(folder / "pipe.jsonl")].error.code == "E015"
    assert items[str(folder / "zero.txt")].error.code == "E015"


def test_output_names_never_collide(tmp_path):
    units = [Unit(str(tmp_path / "d1" / "r.txt")), Unit(str(tmp_path / "d2" / "r.txt")),
             Unit(str(tmp_path / "r.jsonl"), 2, 10), Unit(str(tmp_path / "d3" / "r.line2.txt"))]
    assert list(output_names(units).values()) == ["r.json", "r.2.json", "r.line2.json", "r.line2.2.json"]


def test_only_the_reader_lists_input_folders():
    """A second reader would let commands disagree on a folder again: walking folders, and the list
    of report suffixes, live in ingest/reader.py only."""
    walking = re.compile(r"os\.walk\(|\.rglob\(|\.iterdir\(|os\.listdir\(|os\.scandir\(")
    suffixes = re.compile(r"""["']\.htm["']""")
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if path.name != "reader.py"
                 and (walking.search(path.read_text(encoding="utf-8"))
                      or suffixes.search(path.read_text(encoding="utf-8")))]
    assert offenders == []
