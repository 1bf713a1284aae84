"""The devcloud's telemetry: Gnocchi in the catalog as `metric`, its archive policy, what each project
sees, and Ceilometer's path from a polled sample (through RabbitMQ) to Gnocchi's measures."""

import json
import subprocess
import uuid
from datetime import UTC, datetime

import pytest
from keystoneauth1 import adapter

from tests.helpers import REAL_GUEST, boot, sdk, unique, wait_for

pytestmark = [pytest.mark.integration]

CEILOMETER_CONF = "/var/lib/devcloud/etc/ceilometer/ceilometer.conf"

# What a compute polling agent sends the notification agent: one `telemetry.polling` notification
# on RabbitMQ with samples built the agent's way (ceilometer.polling.manager), from Debian's Python.
SEND_SAMPLES = """
import json, sys
import oslo_messaging
from ceilometer import messaging, sample, service
from ceilometer.publisher import utils
conf = service.prepare_service(["send", "--config-file", sys.argv[1]])
samples = [
    utils.meter_message_from_counter(sample.Sample(**s), conf.publisher.telemetry_secret)
    for s in json.loads(sys.argv[2])
]
transport = messaging.get_transport(conf)
notifier = oslo_messaging.Notifier(transport, driver="messagingv2", publisher_id="ceilometer.polling")
notifier.sample({}, "telemetry.polling", {"samples": samples})
transport.cleanup()
"""


def gnocchi(conn) -> adapter.Adapter:
    """Gnocchi's API as the connection's user, at the endpoint the catalog gives for `metric`."""
    return adapter.Adapter(session=conn.session, service_type="metric", interface="public", region_name="RegionOne")


@pytest.fixture(scope="module")
def projects(devcloud):
    admin = sdk("admin").identity
    return {name: admin.find_project(name, domain_id="default", ignore_missing=False).id for name in ("demo", "alt")}


@pytest.fixture
def resources(projects, cleanup):
    """One generic resource in each of demo's and alt's projects, made by admin, deleted after."""
    admin = gnocchi(sdk("admin"))
    made = {}
    for name, project_id in projects.items():
        resource_id = str(uuid.uuid4())
        admin.post("/v1/resource/generic", json={"id": resource_id, "project_id": project_id, "user_id": "zt"})
        cleanup.add(admin.delete, f"/v1/resource/generic/{resource_id}", raise_exc=False)
        made[name] = resource_id
    return made


def test_gnocchi_is_in_the_catalog_and_answers_a_member():
    demo = sdk("demo")
    assert demo.session.get_endpoint(service_type="metric", interface="public") == "http://127.0.0.1:8041"
    response = gnocchi(demo).get("/v1/archive_policy", raise_exc=False)
    assert response.status_code == 200, response.text
    # and not a client without a token
    assert gnocchi(demo).get("/v1/archive_policy", authenticated=False, raise_exc=False).status_code == 401


def test_archive_policy_keeps_rate_and_mean_at_three_granularities():
    api = gnocchi(sdk("demo"))
    policy = api.get("/v1/archive_policy/devcloud").json()
    assert {"mean", "rate:mean"} <= set(policy["aggregation_methods"])
    assert [(d["granularity"], d["timespan"]) for d in policy["definition"]] == [
        ("0:01:00", "1 day, 0:00:00"),
        ("1:00:00", "30 days, 0:00:00"),
        ("1 day, 0:00:00", "365 days, 0:00:00"),
    ]
    rules = api.get("/v1/archive_policy_rule").json()
    assert {"name": "default", "metric_pattern": "*", "archive_policy_name": "devcloud"} in rules


def test_a_member_sees_their_project_resources_only(resources):
    demo = gnocchi(sdk("demo"))  # demo is a member of alt too, but this token is scoped to demo
    assert demo.get(f"/v1/resource/generic/{resources['demo']}", raise_exc=False).status_code == 200
    assert demo.get(f"/v1/resource/generic/{resources['alt']}", raise_exc=False).status_code in (403, 404)
    listed = {r["id"] for r in demo.get("/v1/resource/generic").json()}
    assert resources["demo"] in listed
    assert resources["alt"] not in listed
    searched = demo.post("/v1/search/resource/generic", json={"=": {"id": resources["alt"]}}).json()
    assert searched == []
    alt = gnocchi(sdk("alt"))
    assert alt.get(f"/v1/resource/generic/{resources['alt']}", raise_exc=False).status_code == 200
    assert alt.get(f"/v1/resource/generic/{resources['demo']}", raise_exc=False).status_code in (403, 404)


def test_a_polled_sample_reaches_gnocchi_through_the_notification_agent(projects, cleanup):
    """Two `cpu` samples of an instance of demo's 60 s apart, sent the polling agent's way: the
    notification agent makes the instance resource in Gnocchi, metricd aggregates, and demo reads the
    CPU time's rate (what CPU % is computed from) but alt does not see the resource."""
    instance_id = str(uuid.uuid4())
    admin = gnocchi(sdk("admin"))
    cleanup.add(admin.delete, f"/v1/resource/instance/{instance_id}", raise_exc=False)
    now = datetime.now(UTC).replace(second=0, microsecond=0).timestamp()
    metadata = {
        "display_name": unique("zt-telemetry"),
        "host": "real-1",
        "flavor": {"id": "1", "name": "m1.tiny"},
        "image_ref": "zt",
    }
    samples = [
        {
            "name": "cpu",
            "type": "cumulative",
            "unit": "ns",
            "volume": volume,
            "user_id": "zt",
            "project_id": projects["demo"],
            "resource_id": instance_id,
            "timestamp": datetime.fromtimestamp(now - age, UTC).isoformat(),
            "resource_metadata": metadata,
        }
        for age, volume in ((120, 10 * 10**9), (60, 13 * 10**9))  # 3 s of CPU in the later minute
    ]
    sent = subprocess.run(
        ["/usr/bin/python3", "-c", SEND_SAMPLES, CEILOMETER_CONF, json.dumps(samples)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={"PATH": "/usr/bin:/bin"},
    )
    assert sent.returncode == 0, sent.stderr[-2000:]
    demo = gnocchi(sdk("demo"))

    def cpu_rate():
        resource = demo.get(f"/v1/resource/instance/{instance_id}", raise_exc=False)
        if resource.status_code != 200 or "cpu" not in resource.json()["metrics"]:
            return None
        measures = demo.get(
            f"/v1/metric/{resource.json()['metrics']['cpu']}/measures",
            params={"aggregation": "rate:mean", "granularity": 60},
        ).json()
        return measures or None

    measures = wait_for(cpu_rate, "the cpu rate of the sampled instance in Gnocchi", timeout=120, every=2)
    assert measures[-1][2] == 3 * 10**9
    resource = demo.get(f"/v1/resource/instance/{instance_id}").json()
    assert resource["display_name"] == metadata["display_name"]
    assert resource["project_id"] == projects["demo"]
    metric = demo.get(f"/v1/metric/{resource['metrics']['cpu']}").json()
    assert metric["archive_policy"]["name"] == "devcloud"
    alt = gnocchi(sdk("alt"))
    assert alt.get(f"/v1/resource/instance/{instance_id}", raise_exc=False).status_code in (403, 404)


def test_an_instance_on_the_real_host_gets_measures_within_five_minutes(demo_sdk, cleanup):
    """The compute polling agent reads the libvirt host's guests every 30 s: a tiny guest of demo's
    in zone `real` becomes an instance resource of demo's, with the rate of its CPU time (what CPU %
    is computed from) and its balloon's memory usage, within 5 minutes of being ACTIVE; deleted, its
    resource ends."""
    server = boot(
        demo_sdk,
        unique("zt-telemetry"),
        **REAL_GUEST,
        timeout=180,
        cleanup=cleanup,
    )
    api = gnocchi(demo_sdk)
    admin = gnocchi(sdk("admin"))  # the guest's resources leave Gnocchi with the test
    cleanup.add(admin.delete, "/v1/resource/instance_disk", json={"=": {"instance_id": server.id}}, raise_exc=False)
    cleanup.add(admin.delete, f"/v1/resource/instance/{server.id}", raise_exc=False)

    def measures(metric, **params):
        resource = api.get(f"/v1/resource/instance/{server.id}", raise_exc=False)
        if resource.status_code != 200 or metric not in resource.json()["metrics"]:
            return None
        found = api.get(f"/v1/metric/{resource.json()['metrics'][metric]}/measures", params=params).json()
        return found or None

    cpu = wait_for(
        lambda: measures("cpu", aggregation="rate:mean", granularity=60),
        "the rate of the real guest's CPU time in Gnocchi",
        timeout=300,
        every=5,
    )
    # the tiny guest burns half a second every 5 s: CPU time, but less than its one vCPU's minute
    assert 0 < cpu[-1][2] < 60 * 10**9
    memory = wait_for(lambda: measures("memory.usage", granularity=60), "the guest's memory usage", timeout=60)
    assert 0 < memory[-1][2] <= 128  # MB, of the flavor's 128
    resource = api.get(f"/v1/resource/instance/{server.id}").json()
    assert (resource["display_name"], resource["host"], resource["flavor_name"]) == (server.name, "real-1", "m1.nano")
    assert resource["project_id"] == demo_sdk.current_project_id
    assert resource["ended_at"] is None

    # Nova's notification of the deletion, through the notification agent, ends it in Gnocchi
    demo_sdk.compute.delete_server(server)
    ended = wait_for(
        lambda: api.get(f"/v1/resource/instance/{server.id}").json()["ended_at"],
        "the deleted instance's resource to end",
        timeout=60,
    )
    assert ended >= resource["started_at"]
