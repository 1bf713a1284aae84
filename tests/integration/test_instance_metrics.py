"""An instance's usage from the devcloud's Gnocchi: the API and the Usage card answer a member of the
instance's project with the points Gnocchi holds, another project's member 404, and on the real
compute host (AZ "real") Ceilometer's own measures of a booted instance come through.

Measures are written as Ceilometer would, by the admin, straight to Gnocchi (tests/gnocchi.py).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.gnocchi import measure_instance
from tests.helpers import REAL_GUEST, boot, sdk, unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def measured(demo_instance):
    """demo's instance with 10 minutes of CPU, memory and disk measures in Gnocchi (no NIC
    resource); returns (server, the minutes written)."""
    return demo_instance, measure_instance(demo_instance)["minutes"]


def metrics(client, server_id: str, **params):
    return client.get(f"/api/v1/instances/{server_id}/metrics/", params)


def test_the_api_answers_a_member_the_instances_cpu_memory_and_disk(demo_client, measured):
    server, minutes = measured
    cpu = metrics(demo_client, server.id, metric="cpu")
    assert cpu.status_code == 200, cpu.content
    body = cpu.json()
    assert (body["metric"], body["unit"], body["granularity"]) == ("cpu", "%", 60)
    # a rate from each minute after the first
    expected_times = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in minutes[1:]]
    assert [p[0] for p in body["points"]] == expected_times
    assert {p[1] for p in body["points"]} == {10.0}
    memory = metrics(demo_client, server.id, metric="memory").json()
    assert memory["unit"] == "MB" and [p[1] for p in memory["points"]] == [100.0 + k for k in range(10)]
    read = metrics(demo_client, server.id, metric="disk.read").json()
    assert read["unit"] == "B/s" and {p[1] for p in read["points"]} == {1000.0}
    assert {p[1] for p in metrics(demo_client, server.id, metric="disk.write").json()["points"]} == {100.0}
    # no network interface resource: an empty series, not an error
    net = metrics(demo_client, server.id, metric="net.in")
    assert net.status_code == 200 and net.json()["points"] == []
    # the last week, by the hour
    week = metrics(
        demo_client,
        server.id,
        metric="memory",
        start=(minutes[0] - timedelta(days=7)).isoformat(),
        stop=datetime.now(UTC).isoformat(),
    ).json()
    assert week["granularity"] == 3600 and week["points"]


def test_another_projects_member_gets_404_and_bad_input_400(alt_client, demo_client, measured):
    server, _ = measured
    theirs = metrics(alt_client, server.id, metric="cpu")
    assert theirs.status_code == 404 and theirs.json()["error"] == "not_found"
    bad = metrics(demo_client, server.id, metric="temperature")
    assert bad.status_code == 400 and "metric" in bad.json()["fields"]
    late = metrics(demo_client, server.id, metric="cpu", start="2026-01-02T00:00:00Z", stop="2026-01-01T00:00:00Z")
    assert late.status_code == 400 and "start" in late.json()["fields"]
    garbled = metrics(demo_client, server.id, metric="cpu", start="yesterday")
    assert garbled.status_code == 400 and "start" in garbled.json()["fields"]
    # a granularity the archive policy does not keep: Gnocchi's refusal, as a 400
    odd = metrics(demo_client, server.id, metric="cpu", granularity=7)
    assert odd.status_code == 400 and odd.json()["error"] == "bad_request"
    assert "Gnocchi" in odd.json()["message"]
    nobody = metrics(demo_client, str(uuid.uuid4()), metric="cpu")
    assert nobody.status_code == 404


def test_the_usage_card_draws_the_points_for_a_member(demo_client, measured):
    server, minutes = measured
    page = demo_client.get(f"/project/instances/{server.id}/").content.decode()
    assert 'id="usage"' in page and 'data-live="metrics"' in page
    assert "need the admin role" not in page
    # the last hour comes with the page (its calls made in the page's one round)
    assert 'data-chart="cpu"' in page and minutes[-1].strftime("%Y-%m-%dT%H:%M:%SZ") in page
    part = demo_client.get(f"/project/instances/{server.id}/usage/?range=hour", headers={"HX-Request": "true"})
    assert part.status_code == 200
    html = part.content.decode()
    assert 'data-usage="' in html and 'data-chart="cpu"' in html
    assert minutes[-1].strftime("%Y-%m-%dT%H:%M:%SZ") in html
    assert 'aria-pressed="true" data-range="hour"' in html
    # another project's instance: the part is a 404
    assert (
        demo_client.get(f"/project/instances/{uuid.uuid4()}/usage/", headers={"HX-Request": "true"}).status_code == 404
    )


def test_an_instance_without_a_network_says_so(demo_client, demo_sdk, cleanup):
    server = boot(demo_sdk, unique("zt-nonet"), network=None, cleanup=cleanup)
    html = demo_client.get(
        f"/project/instances/{server.id}/usage/?range=day", headers={"HX-Request": "true"}
    ).content.decode()
    assert "This instance has no network interface." in html
    assert 'data-chart="network"' not in html and 'data-chart="cpu"' in html


def test_the_live_poller_sends_new_points(demo_client, measured):
    """The "metrics" poller reads the last minutes with a watcher's token and sends the newest points once."""
    from dashboard.cloud.sessions import connection_for
    from dashboard.live import pollers, state
    from tests.helpers import credentials_of

    server, minutes = measured
    credentials = credentials_of(demo_client)
    conn = connection_for(credentials)
    state.r().delete(state.key("metrics", credentials.project_id, server.id))
    first = pollers.poll_metrics(conn, credentials.project_id, server.id)
    assert [m["op"] for m in first] == ["points"]
    assert first[0]["granularity"] == 60
    assert first[0]["series"]["cpu"][-1] == [minutes[-1].strftime("%Y-%m-%dT%H:%M:%SZ"), 10.0]
    # nothing new: nothing sent
    assert pollers.poll_metrics(conn, credentials.project_id, server.id) == []


def real_host_up() -> bool:
    admin = sdk("admin")
    zones = {z.name: z.state for z in admin.compute.availability_zones()}
    return bool(zones.get("real", {}).get("available"))


def test_a_booted_instance_on_the_real_host_gets_cpu_points_within_five_minutes(demo_client, demo_sdk, cleanup):
    """End to end: libvirt runs the instance, Ceilometer polls it (every 30 s), Gnocchi stores it,
    Zenith answers demo: three CPU rates need four minutes of buckets."""
    assert real_host_up(), "the devcloud has no available AZ 'real' (tools/devcloud: the libvirt host)"
    server = boot(
        demo_sdk,
        unique("zt-real"),
        **REAL_GUEST,
        timeout=300,
        cleanup=cleanup,
    )
    started = time.monotonic()

    def three_points():
        body = metrics(demo_client, server.id, metric="cpu").json()
        return body["points"] if len(body.get("points", [])) >= 3 else None

    points = wait_for(three_points, "three CPU points from Ceilometer", timeout=300, every=10)
    assert all(0.0 <= value <= 100.0 for _, value in points)
    assert time.monotonic() - started < 300
