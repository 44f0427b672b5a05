"""`/api/search?after=` and `next` (store/keyset.py): the cursor walk is the offset walk on both databases,
`next` is null on the last page, and a bad cursor is a coded 400, never a 500. The events page links its
next page by cursor and its JSON twin says the same."""
from __future__ import annotations

import re
from html import unescape

import pytest

from workbench_support import sample_client


def _walk(client, path: str, params: dict) -> tuple[list[str], list[dict]]:
    ids, answers, after = [], [], None
    while True:
        answer = client.get(path, params={**params, **({"after": after} if after else {})})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        answers.append(body)
        ids += [e["id"] for e in body["events"]]
        assert len(answers) < 100
        if body["next"] is None:
            return ids, answers
        after = body["next"]


def test_the_cursor_walk_is_the_offset_walk_on_both_databases(store, extractor):
    client = sample_client(store, extractor, "vic")
    for sort in ("-date", "date", "province", "-mode"):
        everything = [e["id"] for e in client.get("/api/search", params={"sort": sort, "limit": 500}).json()["events"]]
        assert len(everything) == 27
        for limit in (4, 9, 27):  # 27: one full page that is also the last
            ids, answers = _walk(client, "/api/search", {"sort": sort, "limit": limit})
            by_offset = [e["id"] for o in range(0, 27, limit)
                         for e in client.get("/api/search", params={"sort": sort, "limit": limit, "offset": o}).json()["events"]]
            assert ids == by_offset == everything, (sort, limit)
            assert all(len(a["events"]) == limit for a in answers[:-1]) and answers[-1]["next"] is None
            assert all(a["total"] == 27 and a["offset"] == 0 for a in answers)


def test_next_is_null_on_the_last_page_and_given_on_offset_pages(client_for):
    client = client_for("vic")
    total = client.get("/api/search").json()["total"]
    assert client.get("/api/search", params={"limit": 500}).json()["next"] is None
    last = client.get("/api/search", params={"limit": 5, "offset": total - 5}).json()
    assert len(last["events"]) == 5 and last["next"] is None
    middle = client.get("/api/search", params={"limit": 5, "offset": 5}).json()
    following = client.get("/api/search", params={"limit": 5, "after": middle["next"]}).json()
    assert [e["id"] for e in following["events"]] == \
        [e["id"] for e in client.get("/api/search", params={"limit": 5, "offset": 10}).json()["events"]]


@pytest.mark.parametrize("path", ["/api/search", "/api/events", "/events.json"])
def test_bad_cursors_are_a_coded_400(client_for, path):
    client = client_for("vic")
    good = client.get("/api/search", params={"limit": 2}).json()["next"]
    paging = {"page": 3} if path == "/events.json" else {"offset": 2}  # the pages number pages, the API offsets
    for params in ({"after": "garbage"}, {"after": good[:-2]}, {"after": "x" * 2000}, {"after": good, "sort": "type"},
                   {"after": good, **paging}):
        response = client.get(path, params=params)
        if "page" in params:
            assert response.status_code == 200  # a page's number only labels a page read by cursor
            continue
        assert response.status_code == 400, (path, params, response.status_code)
        assert response.json()["detail"].startswith("E042: after"), response.json()


def test_the_events_page_links_its_next_page_by_cursor(client_for, monkeypatch):
    from undercurrent.web import pages

    monkeypatch.setattr(pages, "PER_PAGE", 10)  # the workbench's sample has fewer events than a real page
    client = client_for("vic")
    twin = client.get("/events.json", params={"sort": "type"}).json()
    cursor = twin["paging"]["next"]
    assert cursor == client.get("/api/search", params={"sort": "type", "limit": 10}).json()["next"] is not None
    html = client.get("/events", params={"sort": "type"}).text
    link = unescape(re.search(r'<a rel="next" href="\?([^"]+)"', html).group(1))
    assert f"after={cursor}" in link and "page=2" in link
    second = client.get("/events.json?" + link).json()
    by_offset = client.get("/events.json", params={"sort": "type", "page": 2}).json()
    assert second["events"] == by_offset["events"] and second["paging"]["page"] == 2
    assert second["paging"]["next"] == by_offset["paging"]["next"]
    last = client.get("/events.json", params={"sort": "type", "page": second["paging"]["pages"]}).json()
    assert last["paging"]["next"] is None
    assert 'rel="next"' not in client.get("/events", params={"sort": "type", "page": last["paging"]["pages"]}).text
