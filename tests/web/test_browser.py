"""The workbench in a real browser: Debian's chromium driven by Playwright (never `playwright install`).
Screenshots of each step are saved to out/screenshots/ for a person to look at."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from workbench_support import PASSWORDS, SECRET, copy_database

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM = os.environ.get("UNDERCURRENT_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ZERO_FILL = "#f7f4f0"  # map.js: the colour of a province without events


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(template_db, tmp_path_factory):
    import uvicorn

    from undercurrent.server import create_app
    from undercurrent.settings import Settings

    folder = tmp_path_factory.mktemp("live")
    app = create_app(Settings(database_url=copy_database(template_db, folder), secret_key=SECRET))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A refused sign-in answers 401, which the browser logs; any other error fails the test.
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 401" not in msg.text else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def sign_in(page, username: str = "ada") -> None:
    page.goto("/events")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url("**/events")


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_sign_in(page):
    page.goto("/events")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Wrong username or password."
    shot(page, "01-login-refused")
    sign_in(page)
    assert page.locator("header .user").inner_text() == "ada"
    assert page.locator("#events-table tbody tr").count() > 20
    shot(page, "02-events")


def test_seed_report_shows_its_highlights(page):
    sign_in(page)
    page.goto("/reports")
    page.locator("table.reports a", has_text="506359de0e8f66f6").click()
    page.wait_for_url("**/reports/506359de0e8f66f6")
    for kind in ("event", "observation", "source", "place", "institution"):
        assert page.locator(f"#report-text .hl-{kind}").count() > 0, kind
    place = page.locator("#report-text .hl-place", has_text="North Hamgyong").first
    place.click()
    selection = page.locator("#selection")
    assert "North Hamgyong" in selection.inner_text()
    assert page.locator("#report-text .hl.selected").count() >= 1
    price = page.locator("#report-text .hl-observation").first
    price.click()
    assert "price" in selection.inner_text() and "CNY" in selection.inner_text()
    shot(page, "03-seed-report-highlights")
    page.uncheck("#legend input[data-kind=place]")
    assert "hide-place" in page.locator("#report-text").get_attribute("class")


def test_filter_events_by_province(page):
    sign_in(page)
    total = page.locator("#events-table tbody tr").count()
    page.select_option("select[name=province]", "KP-09")
    page.wait_for_url("**province=KP-09**")
    page.wait_for_function("document.querySelectorAll('#events-table td.place').length > 0 && "
                           "[...document.querySelectorAll('#events-table td.place')].every(td => td.dataset.province === 'KP-09')")
    rows = page.locator("#events-table tbody tr").count()
    assert 0 < rows < total
    shot(page, "04-events-north-hamgyong")


def test_map_shades_north_hamgyong(page):
    sign_in(page)
    page.goto("/map")
    page.wait_for_selector("#map[data-ready='1']")
    hamgyong = page.locator('path[data-province="KP-09"]')
    assert int(hamgyong.get_attribute("data-events")) > 0
    assert hamgyong.get_attribute("fill") != ZERO_FILL
    assert page.locator('path[data-province="KP-01"]').get_attribute("fill") == ZERO_FILL
    assert page.locator(".leaflet-marker-pane *, .leaflet-overlay-pane path.leaflet-interactive").count() > 13
    assert not page.locator(".leaflet-tile").count()  # offline: no tiles unless configured
    shot(page, "05-map")


def test_edit_an_event_and_see_it_in_the_audit_log(page):
    sign_in(page)
    page.goto("/reports/506359de0e8f66f6")
    card = page.locator(".card.record[id^=event-]").first
    event_id = card.get_attribute("id").removeprefix("event-")
    card.locator("a", has_text="Edit").click()
    page.wait_for_url(f"**/events/{event_id}/edit")
    page.select_option("#edit-type", "ASSAULT")
    assert page.locator("#edit-mode optgroup[data-type=COERCE]").evaluate("g => g.hidden")
    page.select_option("#edit-mode", "beat")
    page.select_option("select[name=status]", "ordered")
    page.select_option("#edit-place", "kp-09-chongjin")
    shot(page, "06-edit-form")
    page.click("#edit-form button[type=submit]")
    page.wait_for_url(f"**/reports/506359de0e8f66f6#event-{event_id}")
    edited = page.locator(f"#event-{event_id}")
    text = edited.inner_text()
    assert "ASSAULT/beat" in text and "ordered" in text and "Chongjin" in text
    assert "edited" in text and "by ada" in text
    shot(page, "07-edited-event")
    page.goto("/audit")
    row = page.locator("#audit-table tbody tr").first
    assert "review:edited" in row.inner_text() and event_id in row.inner_text()
    changes = dict(zip(row.locator(".change code").all_inner_texts(), row.locator(".change ins").all_inner_texts(),
                       strict=False))
    assert changes["type"] == "ASSAULT" and changes["mode"] == "beat" and changes["place_id"] == "kp-09-chongjin"
    before = dict(zip(row.locator(".change code").all_inner_texts(), row.locator(".change del").all_inner_texts(),
                      strict=False))
    assert before["type"] != "ASSAULT" and before["review_status"] == "pending"
    shot(page, "08-audit")


def test_timeline_points_open_their_report(page):
    sign_in(page)
    page.goto("/timeline")
    assert page.locator("#events-chart rect").count() > 3
    point = page.locator("#series a.point").first
    href = point.get_attribute("href")
    shot(page, "09-timeline")
    point.click()
    page.wait_for_url("**" + href)
    assert page.locator("#report-text").count() == 1


def test_api_docs_render_from_the_package(page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/docs")
    page.wait_for_selector(".opblock", timeout=30000)
    assert page.locator(".opblock").count() > 20
    shot(page, "10-api-docs")
    assert all(url.startswith(page.url.split("/api/docs")[0]) or url.startswith("data:") for url in requests), requests


def test_sign_out_ends_the_session_for_a_copied_cookie(browser, page, live_server):
    sign_in(page, "vic")
    copied = page.context.cookies()
    assert any(c["name"] == "undercurrent_session" for c in copied)
    page.click("header button:has-text('Sign out')")
    page.wait_for_url("**/login")
    shot(page, "20-signed-out")
    # Another browser holding the cookie copied before sign-out is sent to the sign-in page.
    other = browser.new_context(base_url=live_server)
    try:
        other.add_cookies(copied)
        thief = other.new_page()
        thief.goto("/events")
        assert "/login" in thief.url
        assert thief.locator("input[name=password]").count() == 1
        shot(thief, "21-copied-cookie-refused")
    finally:
        other.close()
