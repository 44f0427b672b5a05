"""Report metadata from outside is checked before anything is stored: URLs are http(s) only, fields are
text, dates exist (issue 11, item 8)."""
import json

import pytest
import sqlalchemy as sa

from undercurrent.errors import BadMetadata, UnsupportedLanguage
from undercurrent.ingest.files import Metadata, report_from_bytes
from undercurrent.ingest.html import report_from_html
from undercurrent.store import schema

TEXT = "Police in Hyesan arrested two traders for selling phones, residents said on Tuesday."


def _json(**fields) -> bytes:
    return json.dumps({"text": TEXT, **fields}).encode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "file:///etc/passwd", "data:text/html,<script>x</script>", "ftp://example.org/a",
                                 "vbscript:x", "http:/no-host", "//example.org/a", "https://" + "a" * 3000])
def test_urls_that_are_not_http_are_refused(url):
    with pytest.raises(BadMetadata, match="E008"):
        report_from_bytes(_json(url=url), name="r.json", kind="json")
    with pytest.raises(BadMetadata, match="E008"):
        report_from_bytes(TEXT.encode(), name="r.txt", kind="txt", metadata=Metadata(url=url))


def test_http_and_https_urls_are_kept():
    for url in ("http://example.org/a", "HTTPS://example.org/b?x=1"):
        assert report_from_bytes(_json(url=url), name="r.json", kind="json").url == url


@pytest.mark.parametrize("fields", [{"url": 5}, {"outlet": ["a"]}, {"title": {"x": 1}}, {"published": 2020}, {"published": "2024-02-30"},
                                    {"published": "9999-12-31"}, {"published": "2024-13"}, {"outlet": "x" * 5000}])
def test_metadata_of_the_wrong_kind_is_a_coded_error(fields):
    with pytest.raises(BadMetadata, match="E008"):
        report_from_bytes(_json(**fields), name="r.json", kind="json")


@pytest.mark.parametrize("language", [7, "not a language", "x" * 5000])
def test_a_language_that_is_not_one_is_e009(language):
    with pytest.raises(UnsupportedLanguage, match="E009"):
        report_from_bytes(_json(language=language), name="r.json", kind="json")


def test_a_page_whose_own_link_is_javascript_keeps_no_url():
    page = ("<html><head><title>T</title><link rel='canonical' href='javascript:alert(1)'></head><body><article>"
            f"<p>{TEXT} {TEXT}</p></article></body></html>").encode()
    report = report_from_html(page, name="p.html")
    assert report.url is None or report.url.startswith("http")
    with pytest.raises(BadMetadata):
        report_from_html(page, name="p.html", url="javascript:alert(2)")


def test_refused_reports_store_nothing(store, extractor, tmp_path):
    from undercurrent.collect import ingest_items
    from undercurrent.ingest.items import iter_items

    (tmp_path / "bad.json").write_bytes(_json(url="javascript:alert(1)"))
    (tmp_path / "bad.jsonl").write_bytes(_json(url="file:///etc/passwd") + b"\n" + _json(published="0000-00-00") + b"\n")
    summary = ingest_items(iter_items([str(tmp_path / "bad.json"), str(tmp_path / "bad.jsonl")]), store, extractor)
    assert summary.stored == 0 and len(summary.failed) == 3
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar_one() == 0


def test_surrogates_and_padded_urls_found_by_the_fuzzer_are_coded_errors():
    from undercurrent.errors import BadFilter, UndercurrentError
    from undercurrent.store.search import EventFilter

    with pytest.raises(BadMetadata, match="E008"):
        report_from_bytes(_json(url="   https://example.org/a"), name="r.json", kind="json")
    with pytest.raises(UndercurrentError):
        report_from_bytes(b'{"text": "Police arrested \\ud800 traders."}', name="r.json", kind="json")
    with pytest.raises(BadMetadata):
        report_from_bytes(b'{"text": "Police arrested traders.", "outlet": "\\udfff"}', name="r.json", kind="json")
    with pytest.raises(BadFilter, match="context"):
        EventFilter(context="\ud800")
