"""Corroboration in a real browser (Debian chromium through Playwright): a reviewer opens the event
page of a report, sees every report of the event side by side, splits one off, merges it back from
the nearby list, and finds both decisions in the audit log; a rebuild keeps them."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from test_browser import CHROMIUM, FLAGS, SHOTS, _free_port, shot, sign_in

from corroboration_support import GOLD
from workbench_support import SECRET, copy_database


@pytest.fixture(scope="module")
def gold_server(template_db, tmp_path_factory, extractor):
    import uvicorn

    from undercurrent.evaluate.corroboration import ingest_gold_reports, read_gold
    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    folder = tmp_path_factory.mktemp("live-clusters")
    app = create_app(Settings(database_url=copy_database(template_db, folder), secret_key=SECRET))
    ids = ingest_gold_reports(app.state.store, read_gold(GOLD)[0], extractor)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app, ids
    server.should_exit = True
    thread.join(timeout=10)
    app.state.store.close()


@pytest.fixture(scope="module")
def cluster_browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def test_reviewer_splits_and_merges_a_cluster(cluster_browser, gold_server):
    from undercurrent.store.clusters import rebuild

    url, app, ids = gold_server
    context = cluster_browser.new_context(base_url=url, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, "ada")
        page.goto(f"/reports/{ids['a1']}")
        page.locator(".card.record[id^=event-] a.cluster-link").first.click()
        page.wait_for_url("**/clusters/*")
        original = page.url.rsplit("/", 1)[-1]
        mentions = page.locator("#mentions article.mention")
        assert mentions.count() == 4
        assert page.locator("#mentions article.reprint").count() == 1
        assert page.locator("#n-outlets").inner_text() == "3"
        assert "arrested" in page.locator("#disagreements").inner_text()
        shot(page, "clusters-01-event-side-by-side")

        # Split: the report from Border Voice is, the reviewer decides, another arrest
        border_voice = page.locator("#mentions article.mention", has_text="Border Voice")
        border_voice.locator("input[name=event_ids]").check()
        page.click("#split-form button[type=submit]")
        page.wait_for_url("**/clusters/r*")
        assert page.locator("#mentions article.mention").count() == 1
        assert "placed here by ada" in page.locator("#mentions").inner_text()
        shot(page, "clusters-02-split-off")

        # A rebuild keeps the reviewer's split
        rebuild(app.state.store)
        page.reload()
        assert page.locator("#mentions article.mention").count() == 1

        # Merge it back from the list of nearby clusters
        page.locator(f"button[data-merge='{original}']").click()
        page.wait_for_url("**/clusters/*")
        assert page.locator("#mentions article.mention").count() == 4
        shot(page, "clusters-03-merged-back")

        page.goto("/audit")
        rows = page.locator("#audit-table tbody tr")
        assert "cluster:merge" in rows.nth(0).inner_text() and "cluster:split" in rows.nth(1).inner_text()
        shot(page, "clusters-04-audit")
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
