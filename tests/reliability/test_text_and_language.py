"""Issue 15 items 5 and 8: charsets of HTML pages, NFC, language codes, mixed-language reports."""
import http.server
import json
import threading
import unicodedata

import pytest

from undercurrent.errors import UnsupportedLanguage
from undercurrent.ingest.files import report_from_json_text
from undercurrent.ingest.html import decode_html, report_from_html
from undercurrent.ingest.items import iter_items
from undercurrent.ingest.language import detect_language, normalize_language

# Written for these tests: a short Korean article and an English one with typographic quotes.
KO_BODY = ("<p>함경북도 회령시 보안서가 이달 초 밀수꾼 세 명을 체포했다고 현지 소식통이 전했다.</p>"
           "<p>소식통은 \"보안원들이 장마당에서 중국산 휴대전화를 파는 상인들을 단속하고 있다\"고 말했다.</p>"
           "<p>쌀 가격은 1kg에 5000원으로 지난달보다 올랐다고 소식통은 덧붙였다.</p>")
EN_BODY = ("<p>Border guards in Hyesan were punished this month for helping smugglers, a source said.</p>"
           "<p>\u201cThey were taken away at night,\u201d the source added, \u201cand nobody has seen them since.\u201d</p>")


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Report</title></head><body><article>{body}</article></body></html>"


def test_euc_kr_page_with_meta_charset_is_korean_text():
    raw = page(KO_BODY, '<meta charset="euc-kr">').encode("euc-kr")
    report = report_from_html(raw, name="ko.html")
    assert "회령시 보안서" in report.text and report.language == "ko"  # was mojibake tagged en


def test_http_header_charset_comes_first_and_detection_last():
    raw = page(KO_BODY).encode("euc-kr")
    assert "밀수꾼" in decode_html(raw, "text/html; charset=EUC-KR")
    assert "밀수꾼" in decode_html(raw)  # no declaration at all: charset-normalizer
    # The header wins over a wrong <meta>.
    assert "밀수꾼" in decode_html(page(KO_BODY, '<meta charset="iso-8859-1">').encode("euc-kr"), "text/html; charset=euc-kr")


def test_windows_1252_quotes_are_kept():
    raw = page(EN_BODY, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("cp1252")
    report = report_from_html(raw, name="en.html")
    assert "\u201cThey were taken away at night,\u201d" in report.text
    # Declared as latin-1 (a common mislabel): read as windows-1252, as browsers do.
    assert "\u201cThey" in decode_html(page(EN_BODY).encode("cp1252"), "text/html; charset=ISO-8859-1")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        data = page(KO_BODY).encode("euc-kr")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=euc-kr")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_euc_kr_url_uses_the_http_header():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        [item] = iter_items([f"http://127.0.0.1:{server.server_port}/ko"], allow_private=True)
    finally:
        server.shutdown()
    assert item.error is None and item.report.language == "ko" and "밀수꾼" in item.report.text


def test_nfd_korean_is_normalised_and_detected(extractor):
    text = "함경북도 회령시 보안서가 이달 초 밀수꾼 세 명을 체포했다고 현지 소식통이 전했다."
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    report = report_from_json_text(json.dumps({"text": nfd}), name="nfd.json")
    assert report.language == "ko" and report.text == text  # was "en", and no Korean record matched
    assert report.id == report_from_json_text(json.dumps({"text": text}), name="nfc.json").id
    records = extractor.extract(report)
    assert any(p.admin1 == "KP-09" for p in records.places)


@pytest.mark.parametrize("value,code", [("KO", "ko"), ("ko-KR", "ko"), ("kor", "ko"), ("Korean", "ko"),
                                        ("EN", "en"), ("en_US", "en"), ("eng", "en")])
def test_language_codes_are_normalised(value, code):
    assert normalize_language(value) == code


@pytest.mark.parametrize("value", ["fr", "zh-CN", "x" * 40, "", 7, ["ko"]])
def test_unsupported_languages_are_refused(value):
    with pytest.raises(UnsupportedLanguage) as caught:
        normalize_language(value, path="r.json")
    assert caught.value.code == "E009"


def test_mixed_report_routes_each_paragraph_to_its_language(extractor):
    english = ("Agents of the Ministry of State Security arrested three smugglers in Hyesan last week, "
               "a source in Ryanggang Province told the newsroom.")
    korean = "함경북도 회령시 보안서가 이달 초 밀수꾼 세 명을 체포했다고 현지 소식통이 전했다. 쌀 가격은 1kg에 5000원이다."
    for text in (english + "\n\n" + korean, korean + "\n\n" + english):
        report = report_from_json_text(json.dumps({"text": text, "published": "2021-05"}), name="mixed.json")
        records = extractor.extract(report)
        assert {p.admin1 for p in records.places} >= {"KP-10", "KP-09"}  # both paragraphs found
        ko_start = text.index(korean)
        assert any(e.evidence[0].start >= ko_start for e in records.events) if ko_start else True
        assert any(e.evidence[0].start < len(english) for e in records.events) if ko_start else True
        for event in records.events:
            for ev in event.evidence:
                assert text[ev.start : ev.end] == ev.quote  # offsets into the one text
        for mention in records.places + records.institutions:
            assert text[mention.start : mention.end] == mention.text
        for observation in records.observations:
            assert text[observation.evidence.start : observation.evidence.end] == observation.evidence.quote
        assert detect_language(text) in ("en", "ko")


def test_long_text_is_cut_into_segments_with_true_offsets(extractor):
    from dataclasses import replace

    from undercurrent.extract.segments import segments

    paragraph = ("Police in Chongjin detained {n} traders for selling Chinese phones on March {d}, a source in "
                 "North Hamgyong Province said. Rice cost {p} won per kg in the market.")
    text = "\n".join(paragraph.format(n=i % 7 + 2, d=i % 27 + 1, p=4000 + i) for i in range(40))
    report = report_from_json_text(json.dumps({"text": text, "published": "2021-05"}), name="long.json")
    small = replace(extractor, chunk_chars=1000)
    assert len(segments(text, "en", chunk_chars=1000)) > 5
    cut, whole = small.extract(report), extractor.extract(report)
    for records in (cut, whole):
        for event in records.events:
            assert all(text[ev.start : ev.end] == ev.quote for ev in event.evidence)
    # Paragraphs are independent here, so cutting between them changes no record.
    assert [o.evidence for o in cut.observations] == [o.evidence for o in whole.observations]
    assert [p.start for p in cut.places] == [p.start for p in whole.places]
    # Events of repeated wording are merged within one extraction, so segments may keep more of them.
    assert len(cut.events) >= len(whole.events) > 0
