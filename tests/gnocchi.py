"""Writing measures to the devcloud's Gnocchi as Ceilometer would, for the tests of instance metrics:
resources of types instance and instance_disk in a project, cumulative counters, aggregated at once
(Gnocchi's `refresh`) rather than at metricd's next pass."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.helpers import sdk

METRIC = {"service_type": "metric", "interface": "public"}
POLICY = "devcloud"  # 1 min for a day, 1 h for 30 days, 1 d for a year (tools/devcloud)


def gnocchi(conn, method: str, path: str, **kwargs):
    headers = {"Accept": "application/json"}
    return conn.session.request(path, method, endpoint_filter=METRIC, raise_exc=False, headers=headers, **kwargs)


def ensure_resource(admin, rtype: str, rid: str, attrs: dict, metrics: list[str]) -> dict[str, str]:
    """The resource (made, or found: Ceilometer may have made it from Nova's notifications) with the
    metrics; their ids by name."""
    made = gnocchi(admin, "POST", f"/v1/resource/{rtype}", json={"id": rid, **attrs})
    assert made.status_code in (201, 409), made.text
    body = gnocchi(admin, "GET", f"/v1/resource/{rtype}/{rid}").json()
    missing = {m: {"archive_policy_name": POLICY} for m in metrics if m not in body["metrics"]}
    if missing:
        added = gnocchi(admin, "POST", f"/v1/resource/{rtype}/{rid}/metric", json=missing)
        assert added.status_code == 200, added.text
        body = gnocchi(admin, "GET", f"/v1/resource/{rtype}/{rid}").json()
    return {m: body["metrics"][m] for m in metrics}


def write(admin, metric_id: str, points: list[tuple[datetime, float]]) -> None:
    sent = gnocchi(
        admin,
        "POST",
        f"/v1/metric/{metric_id}/measures",
        json=[{"timestamp": t.isoformat(), "value": v} for t, v in points],
    )
    assert sent.status_code == 202, sent.text
    assert gnocchi(admin, "GET", f"/v1/metric/{metric_id}/measures", params={"refresh": "true"}).status_code == 200


def minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def measure_instance(server, project: str = "demo", minutes: int = 10) -> dict:
    """`minutes` minutes of measures of the instance, ending a minute ago: CPU 10 % of one vCPU
    (6 s of CPU a minute), memory 100, 101, ... MB, disk reads 1000 B/s and writes 100 B/s.
    Returns {"ids": metric ids by name, "minutes": the times written, "cpu": the last counter}."""
    admin = sdk("admin")
    user = sdk("demo", project)
    owner = {"project_id": user.current_project_id, "user_id": user.current_user_id}
    ids = ensure_resource(
        admin,
        "instance",
        server.id,
        {
            **owner,
            "flavor_id": "1",
            "flavor_name": "m1.tiny",
            "image_ref": "demo-image",
            "host": "zt",
            "display_name": server.name,
        },
        ["cpu", "memory.usage"],
    )
    ids |= ensure_resource(
        admin,
        "instance_disk",
        str(uuid.uuid5(uuid.NAMESPACE_URL, f"{server.id}-vda")),
        {**owner, "instance_id": server.id, "name": "vda"},
        ["disk.device.read.bytes", "disk.device.write.bytes"],
    )
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    times = [now - timedelta(minutes=minutes - k) for k in range(minutes)]
    write(admin, ids["cpu"], [(t, 1e12 + k * 6e9) for k, t in enumerate(times)])
    write(admin, ids["memory.usage"], [(t, 100.0 + k) for k, t in enumerate(times)])
    write(admin, ids["disk.device.read.bytes"], [(t, k * 60000.0) for k, t in enumerate(times)])
    write(admin, ids["disk.device.write.bytes"], [(t, k * 6000.0) for k, t in enumerate(times)])
    return {"ids": ids, "minutes": times, "cpu": 1e12 + (minutes - 1) * 6e9}


def one_more_cpu_minute(measured: dict) -> datetime:
    """A CPU measure at the current minute (after every one written): one more point to draw."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    last = measured["minutes"][-1]
    moment = max(now, last + timedelta(minutes=1))
    elapsed = (moment - last).total_seconds() / 60
    measured["cpu"] += elapsed * 6e9
    measured["minutes"].append(moment)
    write(sdk("admin"), measured["ids"]["cpu"], [(moment, measured["cpu"])])
    return moment
