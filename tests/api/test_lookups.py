"""api/lookups.py: the API and the pages find a report or a cluster the same way, and answer the same 404;
the viewer check runs before the lookup (a stranger learns nothing about which ids exist)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/api/reports/nope", "/reports/nope", "/reports/nope.json",
                                  "/api/clusters/nope", "/clusters/nope", "/clusters/nope.json"])
def test_unknown_report_or_cluster_is_a_404_on_both_faces(client_for, path):
    response = client_for("vic").get(path, headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "nope" in response.text  # the lookup's message ("no report nope"), as an error page or JSON


@pytest.mark.parametrize("path", ["/api/reports/nope", "/api/clusters/nope"])
def test_a_stranger_is_asked_to_sign_in_before_any_lookup(client_for, path):
    assert client_for(None).get(path).status_code == 401


def test_a_report_reads_the_same_through_the_api_and_the_page_twin(client_for):
    client = client_for("vic")
    report_id = client.get("/api/reports", params={"limit": 1}).json()["reports"][0]["id"]
    assert client.get(f"/api/reports/{report_id}").json() == client.get(f"/reports/{report_id}.json").json()["report"]
