"""Reports from HTML pages: article body, title, date and outlet via trafilatura."""
from __future__ import annotations

import re

from undercurrent.errors import UndercurrentError
from undercurrent.ingest.files import Metadata, check_metadata, check_published
from undercurrent.ingest.language import detect_language
from undercurrent.models import Report
from undercurrent.validate import period_problem, url_problem


class NoArticle(UndercurrentError):
    code = "E011"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def report_from_html(raw: bytes, *, name: str, url: str | None = None, metadata: Metadata = Metadata()) -> Report:
    """The article in an HTML page as a report; a page with no article text is an error."""
    import trafilatura

    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        html = raw.decode("latin-1")  # trafilatura reads the page's own charset declaration too
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
    return Report.from_fields(
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
