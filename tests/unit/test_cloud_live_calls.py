"""The cloud calls the live pollers and the overview make, on a stand-in connection (no cloud)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from keystoneauth1 import exceptions as ks_exc
from requests import Response

from dashboard.cloud import CloudError, images, instance_logs, instances, overview, ports, volumes


def response(status: int, body: bytes = b"{}", headers: dict | None = None) -> Response:
    r = Response()
    r.status_code = status
    r._content = body
    r.headers.update(headers or {})
    r.url = "http://127.0.0.1:8774/v2.1/servers/detail"
    return r


class Proxy:
    """Answers raw GETs from a table of path -> Response, and records what was asked."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.asked: list[tuple[str, dict]] = []

    def get(self, path, **kwargs):
        self.asked.append((path, kwargs))
        return self.answers[path]


def test_changes_since_asks_nova_from_the_given_moment_and_keeps_the_clouds_time():
    body = b'{"servers": [{"id": "a", "status": "ACTIVE"}, {"id": "b", "status": "DELETED"}]}'
    compute = Proxy({"/servers/detail": response(200, body, {"Date": "Tue, 03 Jun 2025 10:00:05 GMT"})})
    conn = SimpleNamespace(compute=compute)
    servers, cloud_now = instances.list_changes_since(conn, datetime(2025, 6, 3, 9, 59, 0, tzinfo=UTC))
    assert [s["id"] for s in servers] == ["a", "b"]
    assert cloud_now == datetime(2025, 6, 3, 10, 0, 5, tzinfo=UTC)
    path, kwargs = compute.asked[0]
    assert kwargs["params"] == {"changes-since": "2025-06-03T09:59:00Z"}


def test_changes_since_without_a_date_header_uses_the_time_before_asking():
    compute = Proxy({"/servers/detail": response(200, b'{"servers": []}')})
    before = datetime.now(UTC)
    servers, cloud_now = instances.list_changes_since(SimpleNamespace(compute=compute), before)
    assert servers == []
    assert before <= cloud_now <= datetime.now(UTC)


def test_server_body_and_diagnostics_raise_cloud_errors_not_responses():
    compute = Proxy(
        {
            "/servers/x": response(404, b'{"itemNotFound": {"message": "Instance x could not be found."}}'),
            "/servers/y/diagnostics": response(409, b'{"conflictingRequest": {"message": "not running"}}'),
            "/servers/z": response(200, b'{"server": {"id": "z", "status": "BUILD"}}'),
        }
    )
    conn = SimpleNamespace(compute=compute)
    with pytest.raises(CloudError) as gone:
        instances.get_server_body(conn, "x")
    assert gone.value.kind == "not_found"
    with pytest.raises(CloudError) as busy:
        instance_logs.get_diagnostics(conn, "y")
    assert busy.value.kind == "conflict"
    assert compute.asked[-1][1]["microversion"] == instance_logs.DIAGNOSTICS_MICROVERSION
    assert instances.get_server_body(conn, "z") == {"id": "z", "status": "BUILD"}


class Resource:
    def __init__(self, **fields):
        self.fields = fields

    def to_dict(self, computed=True):
        assert computed is False  # the poller fingerprints what the service says, not derived fields
        return dict(self.fields)


GLANCE_QUERIES: list[dict] = []


def glance_listing(path, microversion=None, params=None):
    """Glance's raw /v2/images listing, the same public image whatever the query."""
    assert path == "/images"
    GLANCE_QUERIES.append(dict(params or {}))
    body = {"images": [{"id": "i1", "status": "active", "visibility": "public"}]}
    return SimpleNamespace(status_code=200, content=b"{}", json=lambda: body, headers={})


def test_listing_bodies_are_plain_dicts_of_every_resource():
    conn = SimpleNamespace(
        block_storage=SimpleNamespace(volumes=lambda details: iter([Resource(id="v1", status="available")])),
        image=SimpleNamespace(get=glance_listing),
        network=SimpleNamespace(ports=lambda project_id: iter([Resource(id="p1", project_id=project_id)])),
        session=SimpleNamespace(auth=SimpleNamespace(auth_ref=SimpleNamespace(role_names=["member"]))),
    )
    assert volumes.list_volume_bodies(conn) == [{"id": "v1", "status": "available"}]
    # a member's token: Glance's default list, community images, shares not yet answered (3 listings)
    assert images.list_image_bodies(conn, "proj") == [{"id": "i1", "status": "active", "visibility": "public"}]
    assert [q.get("visibility", "") for q in GLANCE_QUERIES] == ["", "community", "shared"]
    assert ports.list_port_bodies(conn, "proj") == [{"id": "p1", "project_id": "proj"}]


def compute_limits():
    absolute = SimpleNamespace(
        instances_used=5, instances=10, total_cores_used=5, total_cores=20, total_ram_used=2560, total_ram=-1
    )
    return SimpleNamespace(absolute=absolute)


# the project's instances as Nova's listing shows them: 5 counted by its quota, and a soft-deleted one
SERVERS = [
    ("a", "ACTIVE"),
    ("b", "SHUTOFF"),
    ("c", "ACTIVE"),
    ("d", "VERIFY_RESIZE"),
    ("e", "REBOOT"),
    ("f", "SOFT_DELETED"),
]


def answer(body: dict):
    return SimpleNamespace(status_code=200, content=b"{}", json=lambda: body, headers={})


def nova_get(asked: list):
    """Nova's raw GETs: the listing by status (the servers in any of the asked statuses) and
    os-simple-tenant-usage of the last minute (every launched instance with its vm_state; one
    deleted within the minute, with ended_at set, no longer there)."""

    def get(path, microversion=None, params=None):
        asked.append((path, params))
        if path == "/servers/detail":
            wanted = set(params["status"])
            return answer({"servers": [{"id": i, "status": st} for i, st in SERVERS if st in wanted]})
        assert path.startswith("/os-simple-tenant-usage/")
        states = [("a", "active", None), ("b", "stopped", None), ("c", "active", None), ("d", "resized", None)]
        states += [("e", "active", None), ("g", "deleted", "2026-11-25T10:00:00")]
        usages = [
            {"instance_id": i, "name": i, "state": st, "ended_at": end, "hours": 0, "flavor": "m1.tiny"}
            for i, st, end in states
        ]
        return answer({"tenant_usage": {"server_usages": usages}})

    return get


def overview_conn(volume_limits, network_quota, asked: list | None = None):
    return SimpleNamespace(
        compute=SimpleNamespace(get_limits=compute_limits, get=nova_get([] if asked is None else asked)),
        block_storage=SimpleNamespace(get_limits=volume_limits),
        network=SimpleNamespace(get_quota=network_quota),
    )


def test_project_overview_gauges_and_counts():
    def volume_limits():
        a = SimpleNamespace(
            total_volumes_used=9, max_total_volumes=10, total_gigabytes_used=5, max_total_volume_gigabytes=1000
        )
        return SimpleNamespace(absolute=a)

    def network_quota(project_id, details):
        assert details is True
        used = {"used": 1, "limit": 50}
        return SimpleNamespace(floating_ips=used, networks=used, security_groups={"used": 8, "limit": 10})

    asked = []
    found = overview.get_project_overview(overview_conn(volume_limits, network_quota, asked), f"p-{uuid.uuid4().hex}")
    gauges = {g["key"]: g for g in found["gauges"]}
    assert [g["key"] for g in found["gauges"]] == [
        "instances",
        "cores",
        "ram",
        "volumes",
        "gigabytes",
        "floating_ips",
        "networks",
        "security_groups",
    ]
    assert gauges["instances"] == {
        "key": "instances",
        "label": "Instances",
        "used": 5,
        "limit": 10,
        "unit": "",
        "percent": 50,
    }
    assert gauges["ram"]["limit"] is None and gauges["ram"]["percent"] == 0  # -1: unlimited
    assert gauges["volumes"]["percent"] == 90 and gauges["security_groups"]["percent"] == 80
    # ACTIVE: the 5 instances Nova's quota counts but the 3 listed in another status
    assert found["counts"] == {"ACTIVE": 2, "REBOOT": 1, "SHUTOFF": 1, "SOFT_DELETED": 1, "VERIFY_RESIZE": 1}
    assert list(found["counts"]) == sorted(found["counts"])
    assert found["total"] == 6 and found["missing"] == []
    # two listings by status, no usage report and no listing of every server
    assert sorted(path for path, _ in asked) == ["/servers/detail", "/servers/detail"]
    listed = [set(params["status"]) for _, params in asked]
    assert "ACTIVE" not in set().union(*listed) and {"REBOOT", "SHUTOFF", "BUILD", "ERROR"} <= set().union(*listed)


def test_the_pollers_statuses_are_the_usage_reports_with_the_listings_statuses():
    asked = []
    conn = overview_conn(None, None, asked)
    statuses = overview.get_server_statuses(conn, "p1")
    # the usage report's vm_states, their task from the listings (e: rebooting), the soft-deleted
    # instance it leaves out from the listings; the deleted one gone
    assert statuses == {
        "a": "ACTIVE",
        "b": "SHUTOFF",
        "c": "ACTIVE",
        "d": "VERIFY_RESIZE",
        "e": "REBOOT",
        "f": "SOFT_DELETED",
    }
    paths = sorted(path.split("?")[0] for path, _ in asked)
    assert paths == ["/os-simple-tenant-usage/p1", "/servers/detail", "/servers/detail"]


def test_project_overview_without_a_failing_or_slow_optional_service():
    release = threading.Event()

    def volume_limits():
        raise ks_exc.ConnectFailure("refused")

    def network_quota(project_id, details):
        release.wait(10)
        return SimpleNamespace(floating_ips={}, networks={}, security_groups={})

    try:
        found = overview.get_project_overview(
            overview_conn(volume_limits, network_quota), f"p-{uuid.uuid4().hex}", optional_wait=0.2
        )
    finally:
        release.set()
    assert found["missing"] == ["volume", "network"]
    unknown = [g for g in found["gauges"] if g["used"] is None]
    assert [g["key"] for g in unknown] == ["volumes", "gigabytes", "floating_ips", "networks", "security_groups"]
    assert found["total"] == 6  # compute's figures come regardless


def test_project_overview_fails_when_nova_does():
    def refused():
        raise ks_exc.ConnectFailure("refused")

    conn = overview_conn(refused, refused)
    conn.compute.get_limits = refused
    with pytest.raises(CloudError) as failed:
        overview.get_project_overview(conn, f"p-{uuid.uuid4().hex}", optional_wait=1)
    assert failed.value.kind == "unavailable"
