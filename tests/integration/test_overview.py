"""The project overview page and its live part (what live.js fetches on an "overview" change)."""

from __future__ import annotations

import pytest

from dashboard.cloud.overview import gauge
from dashboard.panels.overview import views

pytestmark = pytest.mark.integration


def test_overview_page_shows_gauges_and_counts_and_names_its_part(demo_client):
    html = demo_client.get("/project/").content.decode()
    assert 'data-live="overview" data-part-url="/project/overview-part/"' in html
    for key in ("instances", "cores", "ram", "volumes", "gigabytes", "floating_ips", "networks"):
        assert f'data-gauge-key="{key}"' in html
    assert "data-instance-total" in html and "data-status-counts" in html


def test_overview_part_is_the_block_alone_never_cached_and_get_only(demo_client):
    response = demo_client.get("/project/overview-part/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "data-live" not in html  # the inside of [data-live="overview"]
    assert 'data-gauge-key="instances"' in html and "data-instance-total" in html
    assert "no-cache" in response["Cache-Control"] or response["Cache-Control"].startswith("max-age=0")
    assert demo_client.post("/project/overview-part/").status_code == 405


def test_overview_part_shows_the_pollers_figures_of_the_askers_own_project_only(demo_client, alt_client, monkeypatch):
    demo_project = demo_client.session["keystone"]["project_id"]
    alt_project = alt_client.session["keystone"]["project_id"]
    assert demo_project != alt_project
    demo_figures = {
        "gauges": [gauge("instances", "Instances", 4242, 9999)],
        "counts": {"ACTIVE": 4242},
        "total": 4242,
        "missing": [],
    }
    asked = []

    def last_overview(project_id):
        asked.append(project_id)
        return demo_figures if project_id == demo_project else None

    # a stand-in for the Redis copy: other runs' pollers write the real one for demo at any time
    monkeypatch.setattr(views, "last_overview", last_overview)
    demo_part = demo_client.get("/project/overview-part/").content.decode()
    assert "4242 of 9999" in demo_part and 'data-status="ACTIVE"' in demo_part
    alt_part = alt_client.get("/project/overview-part/").content.decode()
    assert asked == [demo_project, alt_project]
    assert "4242" not in alt_part  # alt's own figures, asked of the cloud
    assert 'data-gauge-key="instances"' in alt_part


def test_overview_part_needs_a_login(client, db):
    response = client.get("/project/overview-part/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")
