"""The project overview page and its live part (what live.js fetches on an "overview" change)."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from dashboard.cloud.overview import gauge
from dashboard.live import pollers, state
from dashboard.panels.overview import views
from tests.helpers import (
    boot,
    count_cloud_requests,
    destroy,
    never_launched,
    unique,
    wait_for,
    wait_for_status,
)

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


def view_calls(requests) -> list[str]:
    """The cloud calls of a view as "METHOD service path", ids left out, sorted."""
    return sorted(f"{method} {service} {re.sub(r'[0-9a-f]{32}', '{id}', url)}" for method, service, url, _ in requests)


# the project overview's calls: Nova's limits, its two listings by status, Cinder's limits, Neutron's quota
OVERVIEW_CALLS = sorted(
    ["GET compute /limits", "GET compute /servers/detail", "GET compute /servers/detail", "GET block-storage /limits"]
    + ["GET network /quotas/{id}/details"]
)


def load_view(client, path: str) -> tuple[str, list]:
    """A page and every part it loads at once (hx-trigger="load"), with the cloud calls of all."""
    with count_cloud_requests(detail=True) as requests:
        html = client.get(path).content.decode()
        for part in re.findall(r'hx-get="([^"]+)"[^>]*hx-trigger="load"', html):
            html += client.get(part.replace("&amp;", "&"), HTTP_HX_REQUEST="true").content.decode()
    return html, list(requests)


def shown_counts(html: str) -> dict[str, int]:
    return {status: int(n) for status, n in STATUS_ROW.findall(html)}


def test_the_view_is_one_page_of_five_calls_at_any_number_of_instances(demo_client, demo_sdk, monkeypatch, cleanup):
    """Gauges and counts by status come in the page itself (no part to wait for after it), from 5
    calls made at once: Nova's limits once, two listings of the instances that are not plainly
    ACTIVE (none lists every server, none reads a usage report), Cinder's limits and Neutron's
    quota; as many with more instances, a stopped one and one that never launched among them."""
    monkeypatch.setattr(views, "last_overview", lambda project_id: None)  # no poller figures yet
    demo_client.get("/project/")  # the services' versions, discovered once per process
    html, before = load_view(demo_client, "/project/")
    assert "hx-trigger" not in html and "placeholder" not in html
    assert view_calls(before) == OVERVIEW_CALLS, before
    listings = [params for _, _, url, params in before if url == "/servers/detail"]
    assert all(params.get("status") for params in listings), listings  # never every server
    stopped = boot(demo_sdk, unique("zov-stopped"), network=None, cleanup=cleanup)
    boot(demo_sdk, unique("zov-more"), network=None, cleanup=cleanup)
    demo_sdk.compute.stop_server(stopped.id)
    wait_for_status(demo_sdk, stopped.id, "SHUTOFF")
    failed = never_launched(demo_sdk, cleanup)
    html, after = load_view(demo_client, "/project/")
    assert view_calls(after) == OVERVIEW_CALLS, after
    shown = shown_counts(html)
    assert shown.get("SHUTOFF", 0) >= 1 and shown.get("ERROR", 0) >= 1 and shown.get("ACTIVE", 0) >= 1
    assert demo_sdk.compute.get_server(failed.id).launched_at is None  # what a usage report leaves out


def test_the_numbers_shown_are_novas_cinders_and_neutrons(demo_client, demo_sdk, monkeypatch, cleanup):
    monkeypatch.setattr(views, "last_overview", lambda project_id: None)  # read from the cloud now
    stopped = boot(demo_sdk, unique("zov-count"), cleanup=cleanup)
    demo_sdk.compute.stop_server(stopped.id)
    wait_for_status(demo_sdk, stopped.id, "SHUTOFF")
    never_launched(demo_sdk, cleanup)
    project_id = demo_sdk.current_project_id

    def direct():
        compute = demo_sdk.compute.get_limits().absolute
        volume = demo_sdk.block_storage.get_limits().absolute
        network = demo_sdk.network.get_quota(project_id, details=True)
        return {
            "counts": dict(Counter(s.status for s in demo_sdk.compute.servers())),
            "instances": f"{compute.instances_used} of {compute.instances}",
            "volumes": f"{volume.total_volumes_used} of {volume.max_total_volumes}",
            "networks": f"{network.networks['used']} of {network.networks['limit']}",
        }

    # other tests launch and delete in demo too: compare when nothing moved around the page
    for _attempt in range(10):
        before = direct()
        html = demo_client.get("/project/").content.decode()
        if before == direct():
            break
        time.sleep(1)
    else:
        pytest.fail("demo's instances never held still")
    assert shown_counts(html) == before["counts"]
    assert {"SHUTOFF", "ERROR"} <= set(before["counts"])
    total = int(re.search(r"data-instance-total[^>]*>(\d+)<", html).group(1))
    assert total == sum(before["counts"].values())
    for key in ("instances", "volumes", "networks"):
        gauge = re.search(rf'data-gauge-key="{key}".*?data-gauge-text>([^<]+)<', html, re.S).group(1)
        assert gauge.strip() == before[key], key
    # the live part says the same
    part = demo_client.get("/project/overview-part/").content.decode()
    if before == direct():
        assert shown_counts(part) == before["counts"]


def test_the_poller_follows_statuses_without_listing_every_server(demo_sdk):
    project_id = demo_sdk.current_project_id
    for name in ("statuses", "statuses-since"):
        state.r().delete(state.key(name, project_id, "overview"))
    before = pollers.followed_statuses(demo_sdk, project_id)  # primed from a usage report and listings
    server = boot(demo_sdk, unique("zov-follow"))
    try:
        after = wait_for(
            lambda: (s := pollers.followed_statuses(demo_sdk, project_id)).get(server.id) == "ACTIVE" and s,
            what="the new instance followed",
            timeout=60,
        )
        # other tests delete their instances in demo meanwhile: every one Nova still lists is kept
        still = {s.id for s in demo_sdk.compute.servers()}
        assert set(before) & still <= set(after) | {server.id}
    finally:
        destroy(demo_sdk, server.id)
    wait_for(
        lambda: server.id not in pollers.followed_statuses(demo_sdk, project_id),
        what="the deleted instance dropped",
        timeout=60,
    )


def test_the_pollers_first_reading_holds_every_instance_with_novas_status(demo_sdk, cleanup):
    """The map the poller follows starts from a usage report, which names only the instances
    launched: the one that never launched is there too, with Nova's status."""
    project_id = demo_sdk.current_project_id
    failed = never_launched(demo_sdk, cleanup)
    for name in ("statuses", "statuses-since"):
        state.r().delete(state.key(name, project_id, "overview"))
    before = {s.id: s.status for s in demo_sdk.compute.servers()}
    statuses = pollers.followed_statuses(demo_sdk, project_id)
    after = {s.id: s.status for s in demo_sdk.compute.servers()}
    assert statuses.get(failed.id) == "ERROR"
    # other tests' instances may change meanwhile: those that did not are there with their status
    held = {sid: status for sid, status in before.items() if after.get(sid) == status}
    assert {sid: statuses.get(sid) for sid in held} == held
