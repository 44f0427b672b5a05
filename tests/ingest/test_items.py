"""Every input `ingest` takes, good and bad, with URL tests on local servers on loopback only."""
import http.server
import json
import threading

import pytest

from undercurrent.ingest.items import iter_items
from undercurrent.ingest.web import fetch

ARTICLE = """<html><head><title>Border guards punished</title>
<meta property="og:site_name" content="Example News"><meta name="date" content="2021-05-04"></head>
<body><nav>Home | World</nav><article><h1>Border guards punished</h1>
<p>Three border guards in Hyesan were sentenced to labour camps this month for helping smugglers,
a source in Ryanggang Province said.</p>
<p>The Ministry of State Security has ordered more patrols along the Yalu river and warned residents
not to approach the border at night.</p></article><footer>Copyright</footer></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>
<item><title>One</title><link>{base}/article</link><pubDate>Tue, 04 May 2021 10:00:00 GMT</pubDate></item>
<item><title>Missing</title><link>{base}/missing</link></item>
</channel></rss>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/article": (200, "text/html", ARTICLE.encode()),
            "/feed": (200, "application/rss+xml", FEED.format(base=base).encode()),
            "/notfeed": (200, "application/rss+xml", b"this is not xml at all {"),
            "/big": (200, "text/html", b"x" * 2_000_000),
            "/report.json": (200, "application/json", json.dumps({"text": "Police in Hyesan arrested two traders.", "published": "2020-02"}).encode()),
        }
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop" + str(int(self.path[5:] or 0) + 1))
            self.end_headers()
            return
        if self.path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a client that stops reading an oversized body is expected here

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def names_and_errors(items):
    return [(i.name, i.error.code if i.error else None) for i in items]


def test_html_file_gives_article_title_date_outlet(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    (item,) = list(iter_items([str(page)]))
    assert item.error is None
    assert "Three border guards in Hyesan" in item.report.text
    assert "Copyright" not in item.report.text and "Home | World" not in item.report.text
    assert item.report.title == "Border guards punished"
    assert item.report.published == "2021-05-04"
    assert item.original == page.read_bytes() and item.media_type == "text/html"


def test_malformed_html_is_reported_with_its_file(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><div><<<>>></p", encoding="utf-8")
    (item,) = list(iter_items([str(bad)]))
    assert item.error.code == "E011" and str(bad) in str(item.error)


def test_jsonl_truncated_line_is_reported_the_others_load(tmp_path):
    lines = tmp_path / "reports.jsonl"
    good = json.dumps({"text": "Police in Hyesan arrested two traders.", "url": "https://e.org/a"})
    lines.write_text(good + "\n" + '{"text": "cut off in the mid' + "\n" + good.replace("/a", "/b") + "\n", encoding="utf-8")
    items = list(iter_items([str(lines)]))
    assert names_and_errors(items) == [(f"{lines}:1", None), (f"{lines}:2", "E005"), (f"{lines}:3", None)]


def test_folders_are_recursive_and_skip_other_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Police in Hyesan arrested two traders.", encoding="utf-8")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "a" / "x.gold.json").write_text("{}", encoding="utf-8")
    assert [i.name for i in iter_items([str(tmp_path / "a")])] == [str(tmp_path / "a" / "b" / "deep.txt")]


def test_url_html_and_json_and_redirect(server):
    items = list(iter_items([f"{server}/article", f"{server}/report.json", f"{server}/redirect"], allow_private=True))
    assert [i.error for i in items] == [None, None, None]
    assert items[0].report.url == f"{server}/article"
    assert items[1].report.published == "2020-02"
    assert items[2].report.url == f"{server}/article"


def test_url_failures_each_reported(server):
    items = list(iter_items([f"{server}/nothing", "http://127.0.0.1:9/closed", f"{server}/loop0"], allow_private=True))
    assert [i.error.code for i in items] == ["E012", "E012", "E012"]
    assert "HTTP 404" in str(items[0].error)
    assert "unreachable" in str(items[1].error)
    assert "redirects" in str(items[2].error)


def test_oversized_response_is_refused(server):
    with pytest.raises(Exception) as info:
        fetch(f"{server}/big", allow_private=True, max_bytes=1_000_000)
    assert "limit" in str(info.value)


def test_private_addresses_refused_without_allow_private(server):
    (item,) = list(iter_items([f"{server}/article"]))
    assert item.error.code == "E013" and "--allow-private" in str(item.error)
    (item,) = list(iter_items(["file:///etc/passwd"]))  # not a URL we fetch: treated as a missing path
    assert item.error is not None


def test_feed_entries_fetched_and_failures_reported(server):
    items = list(iter_items([], feeds=[f"{server}/feed"], allow_private=True))
    assert names_and_errors(items) == [(f"{server}/article", None), (f"{server}/missing", "E012")]
    assert items[0].report.published == "2021-05-04"


def test_feed_that_is_not_xml(server):
    (item,) = list(iter_items([], feeds=[f"{server}/notfeed"], allow_private=True))
    assert item.error.code == "E014" and "not an RSS or Atom feed" in str(item.error)
