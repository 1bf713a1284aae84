"""The cloud calls the live pollers make, on a stand-in connection (no cloud)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from requests import Response

from dashboard.cloud import CloudError, images, instances, network, volumes


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
    servers, cloud_now = instances.changes_since(conn, datetime(2025, 6, 3, 9, 59, 0, tzinfo=UTC))
    assert [s["id"] for s in servers] == ["a", "b"]
    assert cloud_now == datetime(2025, 6, 3, 10, 0, 5, tzinfo=UTC)
    path, kwargs = compute.asked[0]
    assert kwargs["params"] == {"changes-since": "2025-06-03T09:59:00Z"}


def test_changes_since_without_a_date_header_uses_the_time_before_asking():
    compute = Proxy({"/servers/detail": response(200, b'{"servers": []}')})
    before = datetime.now(UTC)
    servers, cloud_now = instances.changes_since(SimpleNamespace(compute=compute), before)
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
        instances.server_body(conn, "x")
    assert gone.value.kind == "not_found"
    with pytest.raises(CloudError) as busy:
        instances.diagnostics(conn, "y")
    assert busy.value.kind == "conflict"
    assert compute.asked[-1][1]["microversion"] == instances.DIAGNOSTICS_MICROVERSION
    assert instances.server_body(conn, "z") == {"id": "z", "status": "BUILD"}


class Resource:
    def __init__(self, **fields):
        self.fields = fields

    def to_dict(self, computed=True):
        assert computed is False  # the poller fingerprints what the service says, not derived fields
        return dict(self.fields)


def test_listing_bodies_are_plain_dicts_of_every_resource():
    conn = SimpleNamespace(
        block_storage=SimpleNamespace(volumes=lambda details: iter([Resource(id="v1", status="available")])),
        image=SimpleNamespace(images=lambda: iter([Resource(id="i1", status="active")])),
        network=SimpleNamespace(ports=lambda project_id: iter([Resource(id="p1", project_id=project_id)])),
    )
    assert volumes.volume_bodies(conn) == [{"id": "v1", "status": "available"}]
    assert images.image_bodies(conn) == [{"id": "i1", "status": "active"}]
    assert network.port_bodies(conn, "proj") == [{"id": "p1", "project_id": "proj"}]
