"""One rule for source descriptors (docs/decisions.md): reviewers and admins see them, viewers see a
source's kind and province only, on the API, the report page and its JSON twin; bulk reads are audited."""
from __future__ import annotations

import json

import sqlalchemy as sa

from undercurrent.store import schema


def _reports_with_sources(app_store) -> list[tuple[str, list[str]]]:
    with app_store.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.sources.c.report_id, schema.sources.c.descriptor)).all()
    out: dict[str, list[str]] = {}
    for report_id, descriptor in rows:
        out.setdefault(report_id, []).append(descriptor)
    return sorted(out.items())


def test_viewers_get_no_descriptor_from_any_report_route(client_for, app_store):
    reports = _reports_with_sources(app_store)
    assert reports, "the sample has sources"
    viewer = client_for("vic")
    for report_id, descriptors in reports:
        for path in (f"/api/reports/{report_id}", f"/reports/{report_id}.json"):
            body = viewer.get(path).json()
            sources = (body.get("report") or body)["sources"]
            assert len(sources) == len(descriptors)
            assert all("descriptor" not in s and "start" not in s and s["withheld"] for s in sources), path
        page = viewer.get(f"/reports/{report_id}")
        assert page.status_code == 200 and "descriptor is shown to reviewers" in page.text


def test_viewer_sources_keep_only_the_province(client_for, app_store):
    viewer = client_for("vic")
    with app_store.engine.connect() as conn:
        source_id, report_id = conn.execute(sa.select(schema.sources.c.id, schema.sources.c.report_id)).first()
    place_id = "kp-09-chongjin"  # a reviewer places the source in a city
    assert client_for("rey").post(f"/api/sources/{source_id}/review",
                                  json={"status": "edited", "changes": {"place_id": place_id}}).status_code == 200
    sources = viewer.get(f"/api/reports/{report_id}").json()["sources"]
    assert place_id not in json.dumps(sources)
    assert any(s["place_id"] == "KP-09" for s in sources)
    assert place_id in json.dumps(client_for("rey").get(f"/api/reports/{report_id}").json()["sources"])


def test_reviewers_and_admins_see_descriptors(client_for, app_store):
    report_id, descriptors = _reports_with_sources(app_store)[0]
    for user in ("rey", "ada"):
        sources = client_for(user).get(f"/api/reports/{report_id}").json()["sources"]
        assert sorted(s["descriptor"] for s in sources) == sorted(descriptors)
        assert descriptors[0] in client_for(user).get(f"/reports/{report_id}").text


def test_bulk_source_reads_are_audited(client_for, app_store):
    assert client_for("ada").get("/api/sources", params={"limit": 5}).status_code == 200
    with app_store.engine.connect() as conn:
        entry = conn.execute(sa.select(schema.audit_log).where(schema.audit_log.c.action == "read:sources")).mappings().one()
    assert entry["actor"] == "ada" and json.loads(entry["detail"])["rows"] == 5


def test_export_profiles_over_the_api(client_for, app_store):
    assert client_for("vic").get("/api/exports/csv", params={"profile": "full"}).status_code == 403
    assert client_for("rey").get("/api/exports/csv", params={"profile": "full"}).status_code == 403
    public = client_for("vic").get("/api/exports/geojson", params={"profile": "public"})
    assert public.status_code == 200
    full = client_for("ada").get("/api/exports/csv", params={"profile": "full"})
    assert full.status_code == 200 and full.text.splitlines()[0].endswith(",sources")
    descriptors = [d for _, ds in _reports_with_sources(app_store) for d in ds]
    assert any(d in full.text for d in descriptors)
    assert client_for("ada").get("/api/exports/csv", params={"profile": "public", "include_sources": "true"}).status_code == 400
    with app_store.engine.connect() as conn:
        log = conn.execute(sa.select(schema.audit_log).where(schema.audit_log.c.action == "export:sources")).mappings().all()
    assert [(e["actor"], json.loads(e["detail"])["profile"], json.loads(e["detail"])["format"]) for e in log] == [
        ("ada", "full", "csv")]


def test_events_page_offers_public_export_and_full_only_to_admins(client_for):
    assert "profile=public" in client_for("vic").get("/events").text
    assert "profile=full" not in client_for("vic").get("/events").text
    assert "profile=full" in client_for("ada").get("/events").text
