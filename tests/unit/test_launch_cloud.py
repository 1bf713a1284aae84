"""What the launch module hands out: Zenith's own objects, from a fixed number of calls (with a
stand-in for openstacksdk that answers with the SDK's own resource classes)."""

import dataclasses
import json
from types import SimpleNamespace

import pytest
import requests
from openstack import exceptions as sdk_exc
from openstack import resource
from openstack.block_storage.v3.limits import Limits as VolumeLimitsResource
from openstack.block_storage.v3.snapshot import Snapshot as SdkSnapshot
from openstack.block_storage.v3.volume import Volume as SdkVolume
from openstack.compute.v2.availability_zone import AvailabilityZone
from openstack.compute.v2.flavor import Flavor as SdkFlavor
from openstack.compute.v2.keypair import Keypair
from openstack.compute.v2.limits import Limits as ComputeLimitsResource
from openstack.compute.v2.server import Server
from openstack.compute.v2.server_group import ServerGroup as SdkServerGroup
from openstack.image.v2.image import Image as SdkImage

from dashboard.cloud import CloudError
from dashboard.cloud.flavors import Flavor
from dashboard.cloud.images import Image
from dashboard.cloud.keypairs import KeyPair, import_keypair, list_keypairs
from dashboard.cloud.launch import (
    EXTRAS,
    Launched,
    LaunchSpec,
    context_from_choices,
    get_launch_choices,
    get_launch_context,
    get_launch_extras,
    launch_instance,
)
from dashboard.cloud.launch_rules import SOURCE_IMAGE, SOURCE_SNAPSHOT, SOURCE_VOLUME, Source, SourceNeeds
from dashboard.cloud.networks import Network
from dashboard.cloud.ports import Port
from dashboard.cloud.quotas import UNLIMITED, ComputeLimits, VolumeLimits, compute_limits_from, volume_limits_from
from dashboard.cloud.scheduling import ServerGroup
from dashboard.cloud.secgroups import SecurityGroup
from dashboard.cloud.snapshots import Snapshot
from dashboard.cloud.volumes import Volume

PROJECT = "p-demo"
GIB = 1024**3


def not_found(*args, **kwargs):
    raise sdk_exc.NotFoundException("gone")


def json_response(body):
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


class Proxy:
    """Answers each method with its canned SDK resources and records what was asked; raw calls
    (`get(path, params=...)`) with the canned JSON bodies under "GET <path>", logged as
    (service, "GET <path>", the query without `fields` and `limit`)."""

    def __init__(self, log, service, **answers):
        self._log, self._service, self._answers = log, service, answers

    def get(self, path, microversion=None, params=None, **kwargs):
        query = {k: v for k, v in (params or {}).items() if k not in ("fields", "limit")}
        self._log.append((self._service, f"GET {path}", query))
        answer = self._answers[f"GET {path}"]
        return json_response(answer(query) if callable(answer) else answer)

    def __getattr__(self, name):
        answer = self._answers[name]

        def method(*args, **kwargs):
            self._log.append((self._service, name, kwargs))
            return answer(*args, **kwargs) if callable(answer) else answer

        return method


def fake_cloud(**overrides):
    log = []
    compute = {
        "flavors": [
            SdkFlavor.existing(id="f2", name="m1.small", vcpus=1, ram=2048, disk=20),
            SdkFlavor.existing(id="f1", name="m1.tiny", vcpus=1, ram=512, disk=1),
        ],
        "keypairs": [Keypair.existing(name="zed", fingerprint="aa:bb", type="ssh"), Keypair.existing(name="abe")],
        "availability_zones": [
            AvailabilityZone.existing(name="nova", state={"available": True}),
            AvailabilityZone.existing(name="broken", state={"available": False}),
        ],
        "server_groups": [SdkServerGroup.existing(id="g1", name="web", policy="anti-affinity")],
        "get_limits": ComputeLimitsResource.existing(
            absolute={
                "maxTotalInstances": 10,
                "totalInstancesUsed": 2,
                "maxTotalCores": -1,
                "totalCoresUsed": 3,
                "maxTotalRAMSize": 51200,
                "totalRAMUsed": 1024,
            }
        ),
        "create_server": lambda **attrs: Server.existing(id="new-1", name=attrs["name"]),
        "create_keypair": lambda name, public_key: Keypair.existing(name=name, fingerprint="ff", type="ssh"),
    }
    image = {
        "GET /images": {
            "images": [
                {"id": "i2", "name": "Zeta", "owner": PROJECT, "visibility": "private", "status": "active"},
                {"id": "i3", "name": "other", "owner": "p-other", "visibility": "private", "status": "active"},
                {"id": "i1", "name": "alpha", "owner": "p-other", "visibility": "public", "status": "active"},
            ]
        },
        "get_image": lambda ident: SdkImage.existing(id=ident, name="alpha", min_ram=256, min_disk=2, size=GIB + 1),
    }
    block_storage = {
        "GET /volumes/detail": {
            "volumes": [
                {"id": "v1", "name": "boot", "size": 3, "bootable": "true", "attachments": [], "status": "available"},
                {"id": "v2", "name": "data", "size": 1, "bootable": "false", "attachments": [], "status": "available"},
            ]
        },
        "snapshots": [SdkSnapshot.existing(id="s1", name="snap", size=2, status="available", volume_id="v1")],
        "get_limits": VolumeLimitsResource.existing(
            absolute={
                "maxTotalVolumes": 10,
                "totalVolumesUsed": 1,
                "maxTotalVolumeGigabytes": 1000,
                "totalGigabytesUsed": 5,
            }
        ),
        "get_volume": lambda ident: SdkVolume.existing(
            id=ident, name="boot", size=3, bootable="true", volume_image_metadata={"min_ram": "128", "min_disk": "1"}
        ),
        "get_snapshot": lambda ident: SdkSnapshot.existing(id=ident, name="snap", size=2),
    }
    network = {
        "GET /networks": lambda query: {
            "networks": (
                [{"id": "n-own", "name": "private", "project_id": PROJECT, "shared": False}]
                if "project_id" in query
                else [
                    {"id": "n-shared", "name": "Lab", "project_id": "p-admin", "shared": True},
                    {"id": "n-own", "name": "private", "project_id": PROJECT, "shared": True},
                ]
            )
        },
        "GET /ports": {
            "ports": [
                {"id": "port-free", "network_id": "n-own", "name": "spare", "fixed_ips": [{"ip_address": "10.0.0.9"}]},
                {"id": "port-used", "network_id": "n-own", "device_id": "srv", "device_owner": "compute:nova"},
            ]
        },
        "GET /security-groups": {"security_groups": [{"id": "sg1", "name": "default", "project_id": PROJECT}]},
    }
    for key, value in overrides.items():
        service, name = key.split("__", 1)
        if name.startswith("GET__"):  # a raw call: GET__volumes_detail is "GET /volumes/detail"
            name = "GET /" + name[5:].replace("_", "/")
        {"compute": compute, "image": image, "block_storage": block_storage, "network": network}[service][name] = value
    conn = SimpleNamespace(
        compute=Proxy(log, "compute", **compute),
        image=Proxy(log, "image", **image),
        block_storage=Proxy(log, "block_storage", **block_storage),
        network=Proxy(log, "network", **network),
    )
    return conn, log


def sdk_objects_in(value):
    """Every openstacksdk resource found anywhere inside a value (dataclasses, lists, dicts)."""
    if isinstance(value, resource.Resource):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sdk_objects_in([getattr(value, f.name) for f in dataclasses.fields(value)])
    if isinstance(value, dict):
        return sdk_objects_in(list(value.values()))
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in sdk_objects_in(item)]
    return []


def test_the_choices_are_thirteen_calls_and_zenith_objects_only():
    conn, log = fake_cloud()
    choices = get_launch_choices(conn, PROJECT)
    assert len(log) == 13
    assert sdk_objects_in(choices) == []
    assert [i.id for i in choices["images"]] == ["i1", "i2"]  # by name; another project's private one left out
    assert all(isinstance(i, Image) for i in choices["images"])
    assert [(v.id, type(v)) for v in choices["volumes"]] == [("v1", Volume)]  # only the bootable one
    assert choices["snapshots"] == [Snapshot(id="s1", name="snap", size=2, status="available", volume_id="v1")]
    assert [f.name for f in choices["flavors"]] == ["m1.tiny", "m1.small"]
    assert all(isinstance(f, Flavor) for f in choices["flavors"])
    assert [(n.id, type(n)) for n in choices["networks"]] == [("n-shared", Network), ("n-own", Network)]
    assert [(p.id, p.fixed_ips, type(p)) for p in choices["ports"]] == [("port-free", ["10.0.0.9"], Port)]
    assert choices["security_groups"] == [SecurityGroup(id="sg1", name="default", project_id=PROJECT)]
    assert choices["keypairs"] == [KeyPair("abe"), KeyPair("zed", "aa:bb", "ssh")]
    assert choices["zones"] == ["nova"]
    assert choices["server_groups"] == [ServerGroup(id="g1", name="web", policies=["anti-affinity"])]
    assert choices["compute_limits"] == ComputeLimits(2, 10, 3, UNLIMITED, 1024, 51200)
    assert choices["volume_limits"] == VolumeLimits(1, 10, 5, 1000)
    assert "source" not in choices


def test_the_page_reads_five_choices_and_the_other_seven_follow_in_the_extras():
    """The launch page (extras=False) of a member asks Nova for its flavors and limits only, and
    Neutron once, for the networks it sees (own, shared and external in one listing); the key
    pairs, zones, server groups, volumes, snapshots, security groups and free ports come from
    launch_extras, and page + extras offer what the full choices offer."""
    conn, page_log = fake_cloud()
    choices = get_launch_choices(conn, PROJECT, extras=False, sees_every_project=False)
    assert len(page_log) == 5
    assert sorted(name for service, name, _ in page_log if service == "compute") == ["flavors", "get_limits"]
    assert [(name, query) for service, name, query in page_log if service == "network"] == [("GET /networks", {})]
    assert all(choices[name] == [] for name in EXTRAS)
    assert [i.id for i in choices["images"]] == ["i1", "i2"] and choices["compute_limits"].instances_max == 10
    conn, extras_log = fake_cloud()
    extras = get_launch_extras(conn, PROJECT)
    assert sorted(extras) == sorted(EXTRAS) and len(extras_log) == 7
    assert extras["security_groups"] == [SecurityGroup(id="sg1", name="default", project_id=PROJECT)]
    assert extras["keypairs"] == [KeyPair("abe"), KeyPair("zed", "aa:bb", "ssh")]
    assert extras["zones"] == ["nova"] and [v.id for v in extras["volumes"]] == ["v1"]
    assert [p.id for p in extras["ports"]] == ["port-free"]
    conn, full_log = fake_cloud()
    full = get_launch_choices(conn, PROJECT)
    assert len(full_log) == len(page_log) + len(extras_log) + 1  # an administrator's two network listings
    assert [n.id for n in choices["networks"]] == [n.id for n in full["networks"]] == ["n-shared", "n-own"]


def test_a_members_one_network_listing_keeps_only_its_own_and_the_shared_networks():
    """A member's listing also holds the external networks and, under a looser policy, other
    projects' networks: the launch offers neither."""
    listed = [
        {"id": "n-own", "name": "private", "project_id": PROJECT, "shared": False},
        {"id": "n-public", "name": "public", "project_id": "p-admin", "shared": False, "router:external": True},
        {"id": "n-other", "name": "theirs", "project_id": "p-other", "shared": False},
        {"id": "n-lab", "name": "Lab", "project_id": "p-admin", "shared": True},
    ]
    conn, _ = fake_cloud(network__GET__networks={"networks": listed})
    choices = get_launch_choices(conn, PROJECT, extras=False, sees_every_project=False)
    assert [n.id for n in choices["networks"]] == ["n-lab", "n-own"]


def test_a_failing_extra_comes_back_as_its_error():
    conn, _ = fake_cloud(compute__keypairs=not_found, block_storage__snapshots=not_found)
    extras = get_launch_extras(conn, PROJECT)
    assert isinstance(extras["keypairs"], CloudError) and isinstance(extras["snapshots"], CloudError)
    assert extras["zones"] == ["nova"]


def test_the_choices_ask_only_for_this_projects_things():
    conn, log = fake_cloud()
    get_launch_choices(conn, PROJECT)
    asked = {(service, name): query for service, name, query in log}
    assert asked[("network", "GET /ports")] == {"project_id": PROJECT, "device_owner": ""}
    assert asked[("network", "GET /security-groups")] == {"project_id": PROJECT}
    assert {"project_id": PROJECT} in [q for s, n, q in log if n == "GET /networks"]
    assert {"shared": "true"} in [q for s, n, q in log if n == "GET /networks"]


def test_neutron_sends_only_the_fields_shown():
    conn, log = fake_cloud()
    fields = {}

    def get(path, microversion=None, params=None, **kwargs):
        fields[path] = (params or {}).get("fields")
        return Proxy.get(conn.network, path, microversion, params)

    conn.network.get = get
    get_launch_choices(conn, PROJECT)
    assert set(fields) == {"/networks", "/ports", "/security-groups"}
    assert "security_group_rules" not in fields["/security-groups"] and "id" in fields["/security-groups"]
    assert all(f and "id" in f for f in fields.values())


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        (Source(SOURCE_IMAGE, "i1"), Image),
        (Source(SOURCE_VOLUME, "v1"), Volume),
        (Source(SOURCE_SNAPSHOT, "s1"), Snapshot),
    ],
)
def test_a_submitted_launch_reads_its_source_in_the_same_round(source, kind):
    conn, log = fake_cloud()
    choices = get_launch_choices(conn, PROJECT, source)
    assert len(log) == 14
    assert isinstance(choices["source"], kind)
    ctx = context_from_choices(choices, source)
    assert ctx.source_obj is choices["source"]
    expected = {
        Image: SourceNeeds("alpha", 256, 2, 2),
        Volume: SourceNeeds("boot", 128, 1, 3),
        Snapshot: SourceNeeds("snap", 0, 0, 2),
    }[kind]
    assert ctx.needs == expected


def test_optional_parts_come_back_as_their_error_and_a_missing_source_as_none():
    conn, _ = fake_cloud(
        block_storage__GET__volumes_detail=not_found, block_storage__get_limits=not_found, image__get_image=not_found
    )
    choices = get_launch_choices(conn, PROJECT, Source(SOURCE_IMAGE, "gone"))
    assert isinstance(choices["volumes"], CloudError) and isinstance(choices["volume_limits"], CloudError)
    assert choices["source"] is None
    conn, _ = fake_cloud(compute__get_limits=not_found)
    with pytest.raises(CloudError):
        get_launch_choices(conn, PROJECT)


def test_the_preview_reads_flavors_limits_and_source_only():
    conn, log = fake_cloud()
    ctx = get_launch_context(conn, Source(SOURCE_IMAGE, "i1"))
    assert len(log) == 4 and sdk_objects_in(ctx) == []
    assert [f.name for f in ctx.flavors] == ["m1.tiny", "m1.small"]
    assert ctx.flavor("f2").name == "m1.small" and ctx.flavor("nope") is None
    conn, log = fake_cloud()
    assert get_launch_context(conn, None).source_obj is None and len(log) == 3


def test_launch_and_key_import_answer_with_plain_objects():
    conn, log = fake_cloud()
    spec = LaunchSpec("web", 1, Source(SOURCE_IMAGE, "i1"), "f1", [("net", "n-own")])
    assert launch_instance(conn, spec) == Launched(id="new-1", name="web")
    assert import_keypair(conn, "mine", "ssh-ed25519 AAAA") == KeyPair("mine", "ff", "ssh")
    assert list_keypairs(conn) == [KeyPair("abe"), KeyPair("zed", "aa:bb", "ssh")]


def test_novas_refusal_of_a_launch_is_a_cloud_error():
    def refuse(**attrs):
        raise sdk_exc.BadRequestException(message="Client Error", http_status=400, details="Network n has no subnet")

    conn, _ = fake_cloud(compute__create_server=refuse)
    with pytest.raises(CloudError) as caught:
        launch_instance(conn, LaunchSpec("web", 1, Source(SOURCE_IMAGE, "i1"), "f1", [("net", "n")]))
    assert caught.value.kind == "bad_request"
    assert caught.value.message == "Compute (Nova) rejected the request: Network n has no subnet"


def test_limits_the_cloud_leaves_out_count_as_nothing_used_and_unlimited():
    absolute = SimpleNamespace(
        instances_used=None, instances=None, total_cores_used="4", total_cores="8", total_ram_used=None, total_ram=""
    )
    assert compute_limits_from(SimpleNamespace(absolute=absolute)) == ComputeLimits(0, UNLIMITED, 4, 8, 0, UNLIMITED)
    absolute = SimpleNamespace(
        total_volumes_used=None, max_total_volumes=None, total_gigabytes_used=7, max_total_volume_gigabytes=100
    )
    assert volume_limits_from(SimpleNamespace(absolute=absolute)) == VolumeLimits(0, UNLIMITED, 7, 100)
