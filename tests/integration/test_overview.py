"""The project overview page and its live part (what live.js fetches on an "overview" change)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from dashboard.cloud.overview import gauge
from dashboard.live import pollers, state
from dashboard.panels.overview import views
from tests.helpers import boot, count_cloud_requests, destroy, unique, wait_for, wait_for_status

STATUS_ROW = re.compile(r'data-status="([A-Z_]+)"><span>[^<]+</span><span[^>]*>(\d+)<')

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


def test_the_page_costs_novas_limits_alone_and_the_rest_follows(demo_client, monkeypatch):
    """At any number of instances the page is as fast as its floor (compute limits): the other
    services' gauges and the counts by status come in its part, fetched by htmx on load."""
    monkeypatch.setattr(views, "last_overview", lambda project_id: None)  # no poller figures yet
    with count_cloud_requests() as requests:
        html = demo_client.get("/project/").content.decode()
    assert len(requests) == 1 and requests[0][1].endswith("/limits"), requests
    assert 'hx-get="/project/overview-part/" hx-trigger="load"' in html
    assert "data-pending" in html


def test_counts_by_status_match_novas_list(demo_client, demo_sdk, monkeypatch, cleanup):
    monkeypatch.setattr(views, "last_overview", lambda project_id: None)  # read from the cloud now
    server = boot(demo_sdk, unique("zov-count"), cleanup=cleanup)
    demo_sdk.compute.stop_server(server.id)
    wait_for_status(demo_sdk, server.id, "SHUTOFF")
    html = demo_client.get("/project/overview-part/").content.decode()
    shown = {status: int(n) for status, n in STATUS_ROW.findall(html)}
    assert shown.get("SHUTOFF", 0) >= 1
    assert shown == dict(Counter(s.status for s in demo_sdk.compute.servers()))


def test_the_poller_follows_statuses_without_listing_every_server(demo_sdk):
    project_id = demo_sdk.current_project_id
    for name in ("statuses", "statuses-since"):
        state.r().delete(state.key(name, project_id, "overview"))
    before = pollers.followed_statuses(demo_sdk, project_id)  # primed from a usage report
    server = boot(demo_sdk, unique("zov-follow"))
    try:
        after = wait_for(
            lambda: (s := pollers.followed_statuses(demo_sdk, project_id)).get(server.id) == "ACTIVE" and s,
            what="the new instance followed",
            timeout=60,
        )
        assert set(before) <= set(after) | {server.id}
    finally:
        destroy(demo_sdk, server.id)
    wait_for(
        lambda: server.id not in pollers.followed_statuses(demo_sdk, project_id),
        what="the deleted instance dropped",
        timeout=60,
    )
