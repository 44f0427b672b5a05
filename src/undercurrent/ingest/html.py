"""Reports from HTML pages: article body, title, date and outlet via trafilatura."""
from __future__ import annotations

import codecs
import re

from undercurrent.errors import NoArticle
from undercurrent.ingest.files import Metadata, check_metadata, check_published, make_report
from undercurrent.ingest.language import detect_language
from undercurrent.models import Report
from undercurrent.validate import period_problem, url_problem

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">, in the first 4 KB
# as the HTML standard's prescan does.
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): latin-1 labels mean windows-1252, EUC-KR means its superset cp949.
    return {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "euc_kr": "cp949"}.get(name, name)


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """The page's text: the HTTP header's charset, then <meta charset>, then detection
    (charset-normalizer), then UTF-8 with replacement characters. A BOM wins over all."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(raw[:4096])
    for label in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        declared = _codec(label)
        if declared:
            try:
                return raw.decode(declared)
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to detection
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None:
        return str(best)
    return raw.decode("utf-8", errors="replace")


def report_from_html(raw: bytes, *, name: str, url: str | None = None, metadata: Metadata = Metadata(),
                     content_type: str | None = None) -> Report:
    """The article in an HTML page as a report; a page with no article text is an error."""
    import trafilatura

    html = decode_html(raw, content_type)
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=False, favor_precision=True)
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.strip()) < 40:
        raise NoArticle("no article text found in this HTML page (malformed, empty or not an article)", path=name)
    published = metadata.published or _iso_date(getattr(document, "date", None))
    if metadata.published is None and published is not None and period_problem(published):
        published = None  # a page's own date that cannot be right is dropped, not a reason to refuse the page
    check_published(published, name=name)
    page_url = getattr(document, "url", None)
    if page_url is not None and url_problem(page_url):
        page_url = None  # a page's own canonical link that is not http(s) (javascript:, data:) is not kept
    report_url = metadata.url or url or page_url
    check_metadata({"url": report_url, "outlet": metadata.outlet, "title": metadata.title}, name=name)
    return make_report(
        name,
        text=text.strip(),
        url=report_url,
        outlet=metadata.outlet or getattr(document, "sitename", None),
        title=metadata.title or getattr(document, "title", None),
        published=published,
        ingest_source=name,
        language=detect_language(text),
    )


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _DATE.match(value)
    return "-".join(g for g in m.groups() if g) if m else None
