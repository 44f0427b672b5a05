"""Who may do what: every /api endpoint refuses anonymous callers; writes need reviewer; user admin,
the audit log, bulk source reads and exports with source descriptors need admin. The endpoint list comes
from the app's own routes, so an endpoint added later is covered (or this test fails until it is listed)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from undercurrent.store import schema

OPEN = {"/api/health", "/api/docs", "/api/openapi.json"}


def ids(app_store) -> dict[str, str]:
    with app_store.engine.connect() as conn:
        first = lambda table: conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalar()  # noqa: E731
        report = conn.execute(sa.select(schema.reports.c.id).order_by(schema.reports.c.id)).scalar()
        return {"report_id": report, "event_id": first(schema.events), "observation_id": first(schema.observations),
                "source_id": first(schema.sources), "place_id": "kp-09-chongjin", "institution_id": "ministry_of_state_security",
                "username": "vic", "fmt": "csv", **_cluster_ids(conn)}


def _cluster_ids(conn) -> dict[str, str]:
    """Two clusters to merge, then a cluster of several records and one of them to split off."""
    m = schema.cluster_members
    rows = conn.execute(sa.select(m.c.cluster_id, m.c.event_id).order_by(m.c.cluster_id, m.c.event_id)).all()
    clusters = sorted({r.cluster_id for r in rows})
    several = [c for c in clusters if sum(r.cluster_id == c for r in rows) > 1] or clusters
    return {"cluster_a": clusters[0], "cluster_b": clusters[1], "cluster_id": several[0],
            "split_event": max(r.event_id for r in rows if r.cluster_id == several[0])}


REVIEW_BODY = {"status": "accepted", "changes": {}}
# Every endpoint: (method, path, body, least role). "admin" reads include bulk source descriptors.
ENDPOINTS = [
    ("GET", "/api/reports", None, "viewer"),
    ("GET", "/api/reports/{report_id}", None, "viewer"),
    ("GET", "/api/reports/{report_id}/original", None, "viewer"),
    ("GET", "/api/events", None, "viewer"),
    ("GET", "/api/search?q=arrest", None, "viewer"),
    ("GET", "/api/events/{event_id}", None, "viewer"),
    ("POST", "/api/events/{event_id}/review", REVIEW_BODY, "reviewer"),
    ("GET", "/api/observations", None, "viewer"),
    ("GET", "/api/observations/{observation_id}", None, "viewer"),
    ("POST", "/api/observations/{observation_id}/review", REVIEW_BODY, "reviewer"),
    ("GET", "/api/sources", None, "admin"),
    ("GET", "/api/sources/{source_id}", None, "reviewer"),
    ("POST", "/api/sources/{source_id}/review", REVIEW_BODY, "reviewer"),
    ("GET", "/api/places", None, "viewer"),
    ("GET", "/api/places/{place_id}", None, "viewer"),
    ("GET", "/api/provinces", None, "viewer"),
    ("GET", "/api/boundaries", None, "viewer"),
    ("GET", "/api/institutions", None, "viewer"),
    ("GET", "/api/institutions/{institution_id}", None, "viewer"),
    ("GET", "/api/stats", None, "viewer"),
    ("GET", "/api/exports/{fmt}", None, "viewer"),
    ("GET", "/api/exports/{fmt}?include_sources=true", None, "admin"),
    ("GET", "/api/exports/{fmt}?profile=full", None, "admin"),
    ("GET", "/api/exports/{fmt}?profile=public", None, "viewer"),
    ("GET", "/api/me", None, "viewer"),
    ("POST", "/api/tokens", {"name": "t"}, "viewer"),
    ("GET", "/api/tokens", None, "viewer"),
    ("GET", "/api/me/sessions", None, "viewer"),
    ("GET", "/api/users", None, "admin"),
    ("POST", "/api/users", {"username": "newcomer", "password": "long enough pw", "role": "viewer"}, "admin"),
    ("PATCH", "/api/users/{username}", {"role": "reviewer"}, "admin"),
    ("GET", "/api/audit", None, "admin"),
    ("GET", "/api/clusters", None, "viewer"),
    ("GET", "/api/clusters/{cluster_id}", None, "viewer"),
    ("GET", "/api/events/{event_id}/cluster", None, "viewer"),
    ("POST", "/api/clusters/merge", {"cluster_ids": ["{cluster_a}", "{cluster_b}"]}, "reviewer"),
    ("POST", "/api/clusters/{cluster_id}/split", {"event_ids": ["{split_event}"]}, "reviewer"),
]
# The pages' writes and admin pages, through forms and cookies.
PAGE_ENDPOINTS = [
    ("POST", "/events/{event_id}/review", {"action": "accept"}, "reviewer"),
    ("POST", "/observations/{observation_id}/review", {"action": "reject"}, "reviewer"),
    ("POST", "/sources/{source_id}/review", {"action": "accept"}, "reviewer"),
    ("POST", "/events/{event_id}/edit", {"type": "COERCE", "mode": "arrest", "status": "occurred"}, "reviewer"),
    ("GET", "/review", None, "reviewer"),
    ("GET", "/review.json", None, "reviewer"),
    ("GET", "/events/{event_id}/edit", None, "reviewer"),
    ("GET", "/observations/{observation_id}/edit.json", None, "reviewer"),
    ("POST", "/observations/{observation_id}/edit", {"kind": "price", "value": "100"}, "reviewer"),
    ("POST", "/sources/{source_id}/edit", {"kind": "defector"}, "reviewer"),
    ("GET", "/audit", None, "admin"),
    ("GET", "/audit.json", None, "admin"),
    ("GET", "/users", None, "admin"),
    ("GET", "/users.json", None, "admin"),
    ("POST", "/users", {"username": "formuser", "password": "long enough pw", "role": "viewer"}, "admin"),
    ("POST", "/users/{username}", {"role": "reviewer"}, "admin"),
]
RANK = {"viewer": 0, "reviewer": 1, "admin": 2}
USER_OF_ROLE = {"viewer": "vic", "reviewer": "rey", "admin": "ada"}


def call(client, method, path, body, app_store, *, form=False):
    values = ids(app_store)
    url = path.format(**values)
    if body is not None:  # ids in bodies too (clusters to merge or split)
        body = {k: [x.format(**values) for x in v] if isinstance(v, list) else v for k, v in body.items()}
    if body is None:
        return client.request(method, url, follow_redirects=False)
    if form:
        return client.request(method, url, data={**body, "csrf_token": client.headers.get("X-CSRF-Token", "")},
                              follow_redirects=False)
    return client.request(method, url, json=body, follow_redirects=False)


# Writes that end something of the caller's own, checked in tests/api/test_sessions.py.
OWN = {("DELETE", "/api/tokens/{token_id}"), ("DELETE", "/api/me/sessions/{session_id}"), ("POST", "/api/me/password")}


def test_every_api_route_is_in_the_access_table(app):
    listed = {(m, p.split("?")[0]) for m, p, _, _ in ENDPOINTS} | OWN
    routes = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
              for method in operations if path not in OPEN}
    assert routes == listed


@pytest.mark.parametrize("method,path,body,role", ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_anonymous_is_refused_everywhere(client_for, app_store, method, path, body, role):
    response = call(client_for(None), method, path, body, app_store)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("user", ["vic", "rey", "ada"])
def test_roles_on_every_api_endpoint(client_for, app_store, user):
    client = client_for(user)
    mine = RANK[{"vic": "viewer", "rey": "reviewer", "ada": "admin"}[user]]
    for method, path, body, role in ENDPOINTS:
        response = call(client, method, path, body, app_store)
        if mine >= RANK[role]:
            assert response.status_code in (200, 201), (user, method, path, response.text[:300])
        else:
            assert response.status_code == 403, (user, method, path, response.status_code)
            assert "the admin role" in response.json()["detail"] or "the reviewer role" in response.json()["detail"]


@pytest.mark.parametrize("user", ["vic", "rey", "ada"])
def test_roles_on_page_writes_and_admin_pages(client_for, app_store, user):
    client = client_for(user)
    mine = RANK[{"vic": "viewer", "rey": "reviewer", "ada": "admin"}[user]]
    for method, path, body, role in PAGE_ENDPOINTS:
        response = call(client, method, path, body, app_store, form=True)
        if mine >= RANK[role]:
            assert response.status_code in (200, 303), (user, method, path, response.text[:300])
        else:
            assert response.status_code == 403, (user, method, path, response.status_code)


@pytest.mark.parametrize("method,path,body,role", PAGE_ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in PAGE_ENDPOINTS])
def test_anonymous_pages_redirect_to_login_and_change_nothing(client_for, app_store, method, path, body, role):
    before = _review_states(app_store)
    response = call(client_for(None), method, path, body, app_store, form=True)
    if path.endswith(".json"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert _review_states(app_store) == before


def _review_states(app_store):
    with app_store.engine.connect() as conn:
        return sorted(conn.execute(sa.select(schema.events.c.id, schema.events.c.review_status)).all())


# The generated table: docs/access.md is what the app's routes say, and every route does what it says.

def test_docs_access_table_is_generated_from_the_routes(app):
    from fixture_paths import ROOT
    from undercurrent.api.access import markdown

    assert (ROOT / "docs" / "access.md").read_text(encoding="utf-8") == markdown(app), \
        "docs/access.md is stale: run python scripts/access_table.py --write"


def _fill(path: str, app_store) -> str:
    """Path parameters: records that exist, or ids of nobody's session or token (a 404 is still 'allowed')."""
    values = {**ids(app_store), "table": "events", "session_id": "999999", "token_id": "999999"}
    values["record_id"] = values["event_id"]
    return path.format(**values)


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303, 307) and response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("who", ["anonymous", "viewer", "reviewer", "admin"])
def test_every_route_answers_every_role_as_the_table_says(client_for, app, app_store, who):
    """Each route of the generated table, called as each role (sign-out last: it ends the session). An
    allowed call may still be a 4xx for its empty body or unknown id, but never 401/403 or a sign-in redirect."""
    from undercurrent.api.access import access_table

    user = None if who == "anonymous" else USER_OF_ROLE[who]
    client = client_for(user)
    if user is None:
        client.get("/login")
    rows = sorted(access_table(app), key=lambda a: a.path == "/logout")
    for row in rows:
        response = client.request(row.method, _fill(row.path, app_store), follow_redirects=False,
                                  headers={"Accept": "text/html"} if not row.path.startswith("/api") else {})
        assert _refused(response) != row.allows(who), (who, row, response.status_code, response.text[:200])
