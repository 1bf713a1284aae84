"""Fills the devcloud with enough to see Zenith's pages at scale (issue 10), and takes it all away.

    .venv/bin/python bench/populate.py [--scale F] [--project NAME]   # create (idempotent)
    .venv/bin/python bench/populate.py --clean [--project NAME]       # remove what it made

What it makes, in project demo as user demo (counts times --scale):
  300 ACTIVE instances (m1.tiny, demo-image), created 50 per request (min_count = max_count): a
  tenth (at least those that get a volume) on network bench-net (a /22 subnet), the others without
  a network (Nova's networks "none": 2-3 times faster to build and delete here, no Neutron port
  each); 100 volumes of 1 GB, 30 of them attached to instances; 60 tiny
  private raw images (512 bytes each); 30 networks bench-net-NN with a /24 subnet each; 300 ports
  on those networks, bound to nothing; 20 routers (no gateway and no interface: a gateway would
  take an address of the public pool each); 100 floating IPs from `public`; 50 security groups
  with 2 rules each; a container of 10 000 objects when the catalog has object storage (sent as
  tar archives that Swift's bulk middleware unpacks, 2,000 objects a request).
Project alt gets a tenth of each (user alt). Project bench-few (created here, user demo a member)
gets exactly 3 instances, one of them with a volume attached: pages.py compares cloud call counts
there and in demo (a detail page of an instance with a volume in both).

With --project NAME everything goes to throwaway projects instead: NAME (instead of demo),
NAME-alt (instead of alt, user alt a member) and NAME-few; those it creates, --clean deletes.

Every name starts with `bench-` (floating IPs, which have no name: description `bench-fip`);
every step looks its resources up by name and creates only what is missing, so running it again
changes nothing. Quotas are raised before creating (limit = the project's original limit + what
is added, unlimited stays unlimited); the original limits and the projects it created are written
to $DEVCLOUD_DIR/state/bench-populate-<project>.json. --clean deletes every resource named as
above in those projects, restores the recorded limits, deletes the projects it created and removes
the file; a second --clean finds nothing and changes nothing. Every wait has a timeout and every
loop a bound. Exit status 1 when a step failed (skipped resources do not count as failures).

Speed: the three projects are filled (and cleaned) at once; in each, bench-net comes first, then the
instances are built while every other kind is made (each kind's calls concurrent); waits poll one
raw listing, not an SDK object per row. --clean deletes every instance at once, waits for those on
bench-net (their ports and volumes hold the networks and volumes) before deleting volumes and
networks, and for the others at the end. Quotas of a project that had the defaults are given back
by deleting its quota records, not by storing the defaults as its own.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import sys
import tarfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import openstack
import openstack.config
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

DEVCLOUD_DIR = Path(os.environ.get("DEVCLOUD_DIR", "/var/lib/devcloud"))
CLOUDS_YAML = DEVCLOUD_DIR / "clouds.yaml"
STATE_DIR = DEVCLOUD_DIR / "state"
CLOUD_OF_USER = {"admin": "devcloud-admin", "demo": "devcloud-demo", "alt": "devcloud-alt"}

# per main project; the alt share gets a tenth of each (at least 1)
COUNTS = {
    "instances": 300,
    "volumes": 100,
    "attached": 30,
    "images": 60,
    "networks": 30,
    "ports": 300,
    "routers": 20,
    "floating_ips": 100,
    "security_groups": 50,
    "objects": 10_000,
}
FEW = {"instances": 3, "volumes": 1, "attached": 1}  # bench-few: exactly these, whatever the scale
STALLED = 600  # seconds without a new ACTIVE instance before populate gives up on Nova
BATCH = 50  # instances per create request
IN_FLIGHT = 2 * BATCH  # instances building at once (per project) before the next request is sent
NETWORKED_SHARE = 0.1  # of the instances, on bench-net (the others without a network: networked_count)
FLAVOR, IMAGE, PUBLIC = "m1.tiny", "demo-image", "public"
FIP_DESCRIPTION = "bench-fip"
CONTAINER = "bench-objects"
FIP_MARGIN = 20  # public addresses always left free for tests and the demo
WORKERS = 4  # concurrent create/delete calls (nova-api has 2 processes, Neutron 2 workers)

# names of what this script makes (and --clean deletes): nothing else is ever touched
NAMES = {
    "server": re.compile(r"^bench-vm-"),
    "volume": re.compile(r"^bench-vol-\d+$"),
    "image": re.compile(r"^bench-img-\d+$"),
    "network": re.compile(r"^bench-net(-\d+)?$"),
    "port": re.compile(r"^bench-port-\d+$"),
    "router": re.compile(r"^bench-router-\d+$"),
    "security_group": re.compile(r"^bench-sg-\d+$"),
}
SG_RULES = [
    {"direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 22, "port_range_max": 22},
    {"direction": "ingress", "ethertype": "IPv4", "protocol": "icmp"},
]

STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", flush=True)


class StepFailed(Exception):
    pass


def wait_until(check, what: str, timeout: float, every: float = 2.0):
    """Call check() -> (done, detail) until done, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / every) + 2):
        done, detail = check()
        if done:
            return detail
        if time.monotonic() > deadline:
            break
        time.sleep(every)
    raise StepFailed(f"{what}: not done after {timeout:.0f} s ({detail})")


def in_parallel(fn, items, workers: int = WORKERS) -> list:
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


def connect(user: str, project: str | None = None) -> openstack.connection.Connection:
    config = openstack.config.OpenStackConfig(config_files=[str(CLOUDS_YAML)])
    extra = {"project_name": project} if project else {}
    return openstack.connection.Connection(config=config.get_one(CLOUD_OF_USER[user], **extra))


def scaled(count: int, factor: float) -> int:
    return max(1, math.floor(count * factor + 0.5)) if count and factor > 0 else 0


# --- the plan -------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str  # project
    user: str  # the user who makes things there
    counts: dict[str, int]
    may_create: bool  # a bench project: created when missing (demo and alt never are)


def plan(project: str, scale: float) -> list[Target]:
    main = {k: scaled(v, scale) for k, v in COUNTS.items()}
    share = {k: scaled(v, scale / 10) for k, v in COUNTS.items()}
    for counts in (main, share):
        counts["attached"] = min(counts["attached"], counts["volumes"], counts["instances"])
    few = dict.fromkeys(COUNTS, 0) | FEW
    if project == "demo":
        return [
            Target("demo", "demo", main, False),
            Target("alt", "alt", share, False),
            Target("bench-few", "demo", few, True),
        ]
    return [
        Target(project, "demo", main, True),
        Target(f"{project}-alt", "alt", share, True),
        Target(f"{project}-few", "demo", few, True),
    ]


# --- state: original quotas and the projects made here --------------------------------------------


class State:
    def __init__(self, project: str):
        self.path = STATE_DIR / f"bench-populate-{project}.json"
        self.data = json.loads(self.path.read_text()) if self.path.exists() else {"projects": {}}
        self.lock = threading.RLock()

    def project(self, name: str) -> dict:
        return self.data["projects"].setdefault(name, {"id": "", "created": False, "quotas": {}})

    def save(self) -> None:
        with self.lock:  # the projects are filled and cleaned concurrently
            STATE_DIR.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True))
            tmp.replace(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


# --- quotas ---------------------------------------------------------------------------------------


def quota_needs(counts: dict[str, int], flavor) -> dict[str, dict[str, int]]:
    n = counts
    return {
        "compute": {
            "instances": n["instances"],
            "cores": n["instances"] * flavor.vcpus,
            "ram": n["instances"] * flavor.ram,
        },
        "volume": {"volumes": n["volumes"], "gigabytes": n["volumes"]},
        "network": {
            "port": n["instances"] + n["ports"],
            "network": n["networks"] + 1,
            "subnet": n["networks"] + 1,
            "router": n["routers"],
            "floatingip": n["floating_ips"],
            "security_group": n["security_groups"],
            # each new group comes with 2 egress rules of its own
            "security_group_rule": n["security_groups"] * (len(SG_RULES) + 2),
        },
    }


QUOTA_SERVICES = (("compute", "compute"), ("volume", "volumev3"), ("network", "network"))  # and catalog types


def _quota_path(service: str, project_id: str) -> str:
    return f"/os-quota-sets/{project_id}" if service != "network" else f"/quotas/{project_id}"


def _proxy(admin, service: str):
    return {"compute": admin.compute, "volume": admin.block_storage, "network": admin.network}[service]


def _checked(response):
    sdk_exc.raise_from_response(response)
    return response


def read_quotas(admin, service: str, project_id: str) -> dict:
    body = _checked(_proxy(admin, service).get(_quota_path(service, project_id))).json()
    return body["quota" if service == "network" else "quota_set"]


def write_quotas(admin, service: str, project_id: str, limits: dict[str, int]) -> None:
    key = "quota" if service == "network" else "quota_set"
    _checked(_proxy(admin, service).put(_quota_path(service, project_id), json={key: limits}))


def at_defaults(admin, service: str, project_id: str, current: dict) -> bool:
    """Whether none of the project's limits in this service differs from the service's defaults
    (then --clean deletes the project's quota records instead of storing the defaults as its own)."""
    path = _quota_path(service, project_id) + ("/default" if service == "network" else "/defaults")
    body = _checked(_proxy(admin, service).get(path)).json()
    defaults = body["quota" if service == "network" else "quota_set"]
    return all(current[k] == v for k, v in defaults.items() if k != "id" and k in current)


def raise_quotas(admin, state: State, target: Target, project_id: str, needs: dict, services: set[str]) -> None:
    record = state.project(target.name)
    recorded = record["quotas"]
    changed = []
    for service, wanted in needs.items():
        if service not in services:
            continue
        current = read_quotas(admin, service, project_id)
        if service not in recorded:
            record.setdefault("at_defaults", {})[service] = at_defaults(admin, service, project_id, current)
        original = recorded.setdefault(service, {})
        for resource in wanted:
            original.setdefault(resource, int(current[resource]))
        state.save()  # the originals are on disk before anything changes
        limits = {}
        for resource, amount in wanted.items():
            base = original[resource]
            limit = -1 if base == -1 else base + amount
            if int(current[resource]) != limit:
                limits[resource] = limit
        if limits:
            write_quotas(admin, service, project_id, limits)
            changed.append(f"{service} " + ", ".join(f"{k}={v}" for k, v in sorted(limits.items())))
    say(f"{target.name}: quotas " + ("; ".join(changed) if changed else "already raised"))


def restore_quotas(admin, state: State, name: str, project_id: str) -> None:
    record = state.project(name)
    recorded, defaults = record["quotas"], record.get("at_defaults", {})
    for service in list(recorded):
        if defaults.get(service):
            # it had no limits of its own: drop the records populate made, back to the defaults
            _checked(_proxy(admin, service).delete(_quota_path(service, project_id)))
            say(f"{name}: {service} quotas back to the defaults (the project's quota records deleted)")
        else:
            write_quotas(admin, service, project_id, recorded[service])
            limits = ", ".join(f"{k}={v}" for k, v in sorted(recorded[service].items()))
            say(f"{name}: {service} quotas restored: {limits}")
        del recorded[service]
        defaults.pop(service, None)
        state.save()


# --- creating -------------------------------------------------------------------------------------


@dataclass
class Cloud:
    """What every project's steps share: the admin connection and the public things looked up once."""

    admin: openstack.connection.Connection
    flavor: object
    image: object
    public: object | None
    services: set[str]
    failures: list[str] = field(default_factory=list)


def ensure_project(cloud: Cloud, state: State, target: Target):
    idc = cloud.admin.identity
    project = idc.find_project(target.name, domain_id="default")
    record = state.project(target.name)
    if project is None:
        if not target.may_create:
            raise StepFailed(f"project {target.name} does not exist (the devcloud seeds it)")
        project = idc.create_project(name=target.name, domain_id="default", description="bench/populate.py")
        record.update(id=project.id, created=True)
        state.save()
        say(f"{target.name}: project created")
    record.update(id=project.id, user=target.user)
    state.save()
    user = idc.find_user(target.user, domain_id="default")
    member = idc.find_role("member")
    if not idc.validate_user_has_project_role(project, user, member):
        if not record["created"]:
            raise StepFailed(f"user {target.user} has no role in {target.name}")
        idc.assign_project_role_to_user(project, user, member)
        say(f"{target.name}: user {target.user} is a member")
    return project


def named(items, kind: str) -> dict:
    return {i.name: i for i in items if i.name and NAMES[kind].match(i.name)}


def ensure_networks(conn, target: Target, project_id: str, main: bool) -> list:
    """main: bench-net (a /22, the instances' network), made first so that the instances need not
    wait; else the other networks bench-net-NN (a /24 each), made meanwhile."""
    net = conn.network
    have = named(net.networks(project_id=project_id), "network")
    if main:
        wanted = [("bench-net", "10.20.0.0/22")]
    else:
        count = target.counts["networks"]
        wanted = [(f"bench-net-{i:02d}", f"10.{30 + i // 256}.{i % 256}.0/24") for i in range(1, count + 1)]

    def make(item):
        name, cidr = item
        network = have.get(name) or net.create_network(name=name)
        if not list(net.subnets(network_id=network.id)):
            net.create_subnet(name=name.replace("net", "subnet"), network_id=network.id, ip_version=4, cidr=cidr)
        return network

    started, new = time.monotonic(), sum(1 for name, _ in wanted if name not in have)
    made = in_parallel(make, wanted)
    say(f"{target.name}: {len(made)} networks with a subnet ({new} new) in {time.monotonic() - started:.1f} s")
    return made


def ensure_ports(conn, target: Target, project_id: str, networks: list) -> None:
    n = target.counts["ports"]
    if not n:
        return
    started = time.monotonic()
    have = named(conn.network.ports(project_id=project_id), "port")
    missing = [f"bench-port-{i:03d}" for i in range(1, n + 1) if f"bench-port-{i:03d}" not in have]
    bodies = [{"name": name, "network_id": networks[i % len(networks)].id} for i, name in enumerate(missing)]
    chunks = [bodies[i : i + 50] for i in range(0, len(bodies), 50)]  # Neutron's bulk create: 50 a request
    in_parallel(lambda chunk: list(conn.network.create_ports(chunk)), chunks)
    say(f"{target.name}: {n} ports ({len(missing)} new) in {time.monotonic() - started:.1f} s")


def ensure_routers(conn, target: Target, project_id: str) -> None:
    n = target.counts["routers"]
    started = time.monotonic()
    have = named(conn.network.routers(project_id=project_id), "router")
    missing = [f"bench-router-{i:02d}" for i in range(1, n + 1) if f"bench-router-{i:02d}" not in have]
    in_parallel(lambda name: conn.network.create_router(name=name), missing)
    say(f"{target.name}: {n} routers ({len(missing)} new) in {time.monotonic() - started:.1f} s")


def ensure_security_groups(conn, target: Target, project_id: str) -> None:
    n = target.counts["security_groups"]
    started = time.monotonic()
    have = named(conn.network.security_groups(project_id=project_id), "security_group")

    def make(name):
        group = have.get(name) or conn.network.create_security_group(name=name, description="bench")
        rules = list(conn.network.security_group_rules(security_group_id=group.id, direction="ingress"))
        for rule in SG_RULES:
            if not any(r.protocol == rule["protocol"] for r in rules):
                conn.network.create_security_group_rule(
                    security_group_id=group.id, remote_ip_prefix="0.0.0.0/0", **rule
                )

    names = [f"bench-sg-{i:02d}" for i in range(1, n + 1)]
    in_parallel(make, names)
    new = sum(1 for name in names if name not in have)
    took = time.monotonic() - started
    say(f"{target.name}: {n} security groups with {len(SG_RULES)} rules ({new} new) in {took:.1f} s")


def public_room(cloud: Cloud) -> int:
    body = _checked(cloud.admin.network.get(f"/network-ip-availabilities/{cloud.public.id}")).json()
    avail = body["network_ip_availability"]
    return int(avail["total_ips"]) - int(avail["used_ips"])


def ensure_floating_ips(cloud: Cloud, conn, target: Target, project_id: str) -> None:
    n = target.counts["floating_ips"]
    if cloud.public is None:
        say(f"{target.name}: floating IPs skipped: no external network {PUBLIC!r}")
        return
    started = time.monotonic()
    have = [ip for ip in conn.network.ips(project_id=project_id) if ip.description == FIP_DESCRIPTION]
    missing = max(0, n - len(have))
    room = public_room(cloud) - FIP_MARGIN
    if missing > room:
        say(
            f"{target.name}: the public pool has room for {max(room, 0)} more floating IPs, not {missing}: making those"
        )
        missing = max(room, 0)
    in_parallel(
        lambda _: conn.network.create_ip(floating_network_id=cloud.public.id, description=FIP_DESCRIPTION),
        range(missing),
    )
    say(f"{target.name}: {len(have) + missing} floating IPs ({missing} new) in {time.monotonic() - started:.1f} s")


def ensure_images(conn, target: Target, project_id: str) -> None:
    n = target.counts["images"]
    started = time.monotonic()
    have = named(conn.image.images(owner=project_id), "image")
    missing = [f"bench-img-{i:02d}" for i in range(1, n + 1) if f"bench-img-{i:02d}" not in have]
    data = bytes(512)

    def make(name):
        conn.image.create_image(
            name,
            data=data,
            disk_format="raw",
            container_format="bare",
            visibility="private",
            allow_duplicates=True,
            validate_checksum=False,
        )

    in_parallel(make, missing, workers=2)  # one Glance worker
    say(f"{target.name}: {n} images ({len(missing)} new) in {time.monotonic() - started:.1f} s")


def raw_items(proxy, path: str, key: str, params: dict | None = None, page: int = 1000) -> list[SimpleNamespace]:
    """Every item of a marker-paged listing as plain attribute objects (no SDK object per row: a poll
    of 300 servers or 100 volumes costs the service's answer and little more)."""
    items: list[SimpleNamespace] = []
    marker = ""
    for _ in range(100):
        query = {**(params or {}), "limit": page} | ({"marker": marker} if marker else {})
        batch = _checked(proxy.get(path, params=query)).json().get(key) or []
        items.extend(SimpleNamespace(**item) for item in batch)
        if len(batch) < page:
            break
        marker = batch[-1]["id"]
    return items


def bench_volumes(conn) -> dict:
    return named(raw_items(conn.block_storage, "/volumes/detail", "volumes"), "volume")


def ensure_volumes(conn, target: Target) -> None:
    n = target.counts["volumes"]
    started = time.monotonic()
    have = bench_volumes(conn)
    wanted = [f"bench-vol-{i:03d}" for i in range(1, n + 1)]
    missing = [name for name in wanted if name not in have]
    in_parallel(lambda name: conn.block_storage.create_volume(name=name, size=1), missing)

    def ready():
        vols = bench_volumes(conn)
        bad = [v.name for v in vols.values() if v.status == "error"]
        if bad:
            raise StepFailed(f"volumes in error: {', '.join(sorted(bad)[:5])}")
        busy = [v for name, v in vols.items() if name in wanted and v.status not in ("available", "in-use")]
        return not busy and all(name in vols for name in wanted), f"{len(busy)} not available yet"

    wait_until(ready, f"{target.name}: volumes available", timeout=120 + 2 * len(missing))
    say(f"{target.name}: {n} volumes ({len(missing)} new) in {time.monotonic() - started:.1f} s")


def bench_servers(conn) -> list:
    """This script's servers of the connection's project: id, name, status (one raw listing)."""
    found = raw_items(conn.compute, "/servers/detail", "servers", {"name": "^bench-vm-"})
    return [s for s in found if NAMES["server"].match(s.name or "")]


def _states(servers) -> dict[str, int]:
    states: dict[str, int] = {}
    for s in servers:
        states[s.status] = states.get(s.status, 0) + 1
    return states


def _delete_errored(conn, target: Target) -> None:
    errored = {s.id: s for s in bench_servers(conn) if s.status == "ERROR"}
    if not errored:
        return
    say(f"{target.name}: deleting {len(errored)} instances in ERROR, to make them again")
    in_parallel(lambda s: conn.compute.delete_server(s.id), errored.values())
    wait_until(_deleted(lambda: bench_servers(conn), set(errored)), f"{target.name}: errored deleted", timeout=120)


def networked_count(counts: dict[str, int]) -> int:
    """How many of a project's instances get an address on bench-net: a tenth, at least those that
    get a volume, all of a project of 3 or fewer. The others boot without a network (Nova's
    networks "none"), which Nova builds and deletes 2-3 times faster here (no Neutron port to make,
    bind and remove for each)."""
    n = counts["instances"]
    return n if n <= 3 else min(n, max(counts["attached"], math.ceil(n * NETWORKED_SHARE)))


def _request_instances(cloud: Cloud, conn, target: Target, network, wanted: list[tuple[str, int]], used: set[str]):
    """Ask for the instances, BATCH per request, keeping at most IN_FLIGHT building.

    wanted: (kind, count) with kind "a" (on bench-net) or "b" (no network); the batch's name says
    which: Nova names them bench-vm-aNNN-1 ... (just bench-vm-aNNN when a batch has one).
    """
    batch_no = 0
    for kind, missing in wanted:
        for _ in range(math.ceil(missing / BATCH)):
            size = min(BATCH, missing)
            batch_no += 1
            while any(f"bench-vm-{k}{batch_no:03d}" in used for k in "ab"):
                batch_no += 1

            def room(size=size):
                # a short listing (no details) of the building ones only
                building = raw_items(conn.compute, "/servers", "servers", {"name": "^bench-vm-", "status": "BUILD"})
                return len(building) + size <= IN_FLIGHT, f"{len(building)} building"

            # a loaded 2-core devcloud has built as few as 0.1 instances a second
            wait_until(room, f"{target.name}: instances building", timeout=900, every=3)
            name = f"bench-vm-{kind}{batch_no:03d}"
            body = {
                "name": name,
                "imageRef": cloud.image.id,
                "flavorRef": cloud.flavor.id,
                "networks": [{"uuid": network.id}] if kind == "a" else "none",
                "min_count": size,
                "max_count": size,
            }
            _checked(conn.compute.post("/servers", json={"server": body}, microversion="2.37"))
            used.add(name)
            missing -= size
            say(
                f"{target.name}: asked for {size} instances ({name}, {'on bench-net' if kind == 'a' else 'no network'})"
            )


def ensure_instances(cloud: Cloud, conn, target: Target, network) -> None:
    n = target.counts["instances"]
    networked = networked_count(target.counts)
    started = time.monotonic()
    created = 0
    for _attempt in range(3):  # instances that end in ERROR are deleted and made again, at most twice
        _delete_errored(conn, target)
        servers = bench_servers(conn)
        have_a = sum(1 for s in servers if s.name.startswith("bench-vm-a"))
        missing_a = max(0, networked - have_a)
        missing_b = max(0, n - len(servers) - missing_a)
        if missing_a or missing_b:
            used = {m.group(1) for s in servers if (m := re.match(r"^(bench-vm-[ab]\d+)", s.name))}
            _request_instances(cloud, conn, target, network, [("a", missing_a), ("b", missing_b)], used)
            created += missing_a + missing_b

        progress = {"active": -1, "at": time.monotonic()}

        def settled(progress=progress):
            states = _states(bench_servers(conn))
            done = states.get("ACTIVE", 0) >= n or (not states.get("BUILD") and sum(states.values()) >= n)
            if states.get("ACTIVE", 0) != progress["active"]:
                progress.update(active=states.get("ACTIVE", 0), at=time.monotonic())
            elif time.monotonic() - progress["at"] > STALLED:
                raise StepFailed(f"{target.name}: no instance became ACTIVE for {STALLED} s: {states}")
            return done, states

        # as long as Nova makes progress (a loaded devcloud has built fewer than 0.1 a second)
        states = wait_until(settled, f"{target.name}: instances ACTIVE", timeout=600 + 30 * n, every=5)
        if states.get("ACTIVE", 0) >= n:
            break
    else:
        raise StepFailed(f"{target.name}: instances not ACTIVE after 3 attempts: {states}")
    took = time.monotonic() - started
    say(f"{target.name}: {n} instances ACTIVE, {networked} of them on bench-net ({created} new) in {took:.1f} s")


def ensure_attachments(conn, target: Target) -> None:
    n = target.counts["attached"]
    if not n:
        return
    started = time.monotonic()
    servers = sorted((s for s in bench_servers(conn) if s.status == "ACTIVE"), key=lambda s: s.name)
    volumes = bench_volumes(conn)
    pairs = []
    for i in range(1, n + 1):
        vol = volumes.get(f"bench-vol-{i:03d}")
        if vol is None or i > len(servers):
            raise StepFailed(f"{target.name}: no volume or instance for attachment {i}")
        if not vol.attachments:
            pairs.append((servers[i - 1], vol))
    in_parallel(lambda p: conn.compute.create_volume_attachment(p[0].id, volume_id=p[1].id), pairs, workers=2)
    wanted = {f"bench-vol-{i:03d}" for i in range(1, n + 1)}

    def attached():
        vols = bench_volumes(conn)
        waiting = [name for name in wanted if vols[name].status != "in-use"]
        bad = [name for name in wanted if vols[name].status.startswith("error")]
        if bad:
            raise StepFailed(f"attachment failed: {', '.join(sorted(bad)[:5])}")
        return not waiting, f"{len(waiting)} not in-use yet"

    wait_until(attached, f"{target.name}: volumes attached", timeout=120 + 3 * len(pairs))
    say(f"{target.name}: {n} volumes attached ({len(pairs)} new) in {time.monotonic() - started:.1f} s")


ARCHIVE_BATCH = 2000  # objects per bulk request: Swift writes them one after the other


def _tar_of_names(names: list[str]) -> bytes:
    """A tar archive holding one small file per name, its own name as its content."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in names:
            data = name.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _bulk_answer(response, what: str) -> dict:
    """Swift's bulk middleware answers 200 and puts the real outcome in the body."""
    _checked(response)
    body = response.json()
    errors = body.get("Errors") or []
    if errors or not str(body.get("Response Status", "")).startswith(("200", "201")):
        raise StepFailed(f"{what}: {body.get('Response Status')}: {errors[:3]}")
    return body


def ensure_objects(conn, target: Target) -> None:
    """The container and its objects, ARCHIVE_BATCH objects per request through Swift's bulk
    middleware (`?extract-archive=tar`): one PUT per object took minutes for 10,000 here."""
    n = target.counts["objects"]
    started = time.monotonic()
    store = conn.object_store
    if not any(c.name == CONTAINER for c in store.containers()):
        store.create_container(name=CONTAINER)
    have = {o.name for o in store.objects(CONTAINER)}
    missing = [f"obj-{i:05d}" for i in range(1, n + 1) if f"obj-{i:05d}" not in have]
    batches = [missing[i : i + ARCHIVE_BATCH] for i in range(0, len(missing), ARCHIVE_BATCH)]

    def extract(names):
        response = store.put(
            f"/{CONTAINER}?extract-archive=tar",
            data=_tar_of_names(names),
            headers={"Accept": "application/json", "Content-Type": "application/x-tar"},
        )
        return _bulk_answer(response, f"{target.name}: objects {names[0]}..{names[-1]}")

    in_parallel(extract, batches, workers=4)
    took = time.monotonic() - started
    say(f"{target.name}: container {CONTAINER} with {n} objects ({len(missing)} new) in {took:.1f} s")


def populate_project(cloud: Cloud, state: State, target: Target) -> None:
    started = time.monotonic()
    project = ensure_project(cloud, state, target)
    conn = connect(target.user, target.name)
    c, has, pid = target.counts, cloud.services, project.id

    def step(what: str, fn, service: str, needed: bool = True):
        """One kind of resource: skipped when the catalog lacks its service, a failure noted and passed."""
        if not needed:
            return None
        if service not in has:
            say(f"{target.name}: {what} skipped: the catalog has no {service} service")
            return None
        for attempt in (1, 2):
            try:
                return fn()
            except ks_exc.ConnectFailure as exc:  # a service dropped a kept connection: steps are idempotent
                if attempt == 1:
                    say(f"{target.name}: {what}: {type(exc).__name__} ({exc}), once more")
                    continue
                failed = exc
            except (StepFailed, sdk_exc.SDKException) as exc:
                failed = exc
            message = f"{target.name}: {what} FAILED: {type(failed).__name__}: {failed}"
            cloud.failures.append(message)
            say(message)
            return None

    services = {service for service, catalog in QUOTA_SERVICES if catalog in has}
    needs = quota_needs(c, cloud.flavor)
    step("quotas", lambda: raise_quotas(cloud.admin, state, target, pid, needs, services), "identity")
    main_net = (step("network bench-net", lambda: ensure_networks(conn, target, pid, True), "network") or [None])[0]

    def instances():
        if main_net is not None:
            step("instances", lambda: ensure_instances(cloud, conn, target, main_net), "compute", bool(c["instances"]))
        elif c["instances"]:
            say(f"{target.name}: instances skipped: network bench-net could not be made")

    def the_rest():  # one kind after the other, each kind's calls concurrent
        nets = step("networks", lambda: ensure_networks(conn, target, pid, False), "network", bool(c["networks"]))
        if nets or main_net is not None:
            step("ports", lambda: ensure_ports(conn, target, pid, nets or [main_net]), "network", bool(c["ports"]))
        step("volumes", lambda: ensure_volumes(conn, target), "volumev3", bool(c["volumes"]))
        step("routers", lambda: ensure_routers(conn, target, pid), "network", bool(c["routers"]))
        step(
            "security groups", lambda: ensure_security_groups(conn, target, pid), "network", bool(c["security_groups"])
        )
        step("floating IPs", lambda: ensure_floating_ips(cloud, conn, target, pid), "network", bool(c["floating_ips"]))
        step("images", lambda: ensure_images(conn, target, pid), "image", bool(c["images"]))
        step("objects", lambda: ensure_objects(conn, target), "object-store", bool(c["objects"]))

    # the instances take longest (Nova builds them a few at a time): everything else is made meanwhile
    in_parallel(lambda fn: fn(), [instances, the_rest], workers=2)
    step("attachments", lambda: ensure_attachments(conn, target), "volumev3", bool(c["attached"]))
    say(f"{target.name}: done in {time.monotonic() - started:.1f} s")


def catalog_services(admin) -> set[str]:
    return {s.type for s in admin.identity.services()}


def populate(project: str, scale: float) -> int:
    admin = connect("admin")
    state = State(project)
    services = catalog_services(admin)
    flavor = admin.compute.find_flavor(FLAVOR, ignore_missing=False)
    image = admin.image.find_image(IMAGE, ignore_missing=False)
    public = admin.network.find_network(PUBLIC) if "network" in services else None
    cloud = Cloud(admin, flavor, image, public, services)
    targets = plan(project, scale)
    if "object-store" not in services:
        say(f"container of {targets[0].counts['objects']} objects skipped: the catalog has no object-store (Swift)")
        for target in targets:
            target.counts["objects"] = 0
    for target in targets:
        say(f"{target.name} (user {target.user}): " + ", ".join(f"{k} {v}" for k, v in target.counts.items() if v))
    # floating IPs of every project come from one pool: check it once for all of them
    if public is not None:
        wanted = sum(t.counts["floating_ips"] for t in targets)
        say(f"public pool: {public_room(cloud)} addresses free, up to {wanted} wanted, {FIP_MARGIN} kept free")

    def one(target: Target) -> None:
        try:
            populate_project(cloud, state, target)
        except (StepFailed, sdk_exc.SDKException) as exc:
            cloud.failures.append(f"{target.name}: {exc}")
            say(f"{target.name}: FAILED: {type(exc).__name__}: {exc}")

    # the projects at once: their instance requests share Nova's queue instead of waiting in turn
    in_parallel(one, targets, workers=len(targets))
    say(f"populate finished, {len(cloud.failures)} failed step(s); state in {state.path}")
    for failure in cloud.failures:
        print("  " + failure)
    return 1 if cloud.failures else 0


# --- cleaning -------------------------------------------------------------------------------------


def clean_project(admin, state: State, name: str, user: str, services: set[str], failures: list[str]) -> None:
    started = time.monotonic()
    project = admin.identity.find_project(name, domain_id="default")
    record = state.data["projects"].get(name)
    if project is None:
        say(f"{name}: no such project, nothing to clean")
        if record is not None:
            del state.data["projects"][name]
            state.save()
        return
    member = admin.identity.find_role("member")
    person = admin.identity.find_user(user, domain_id="default")
    if not admin.identity.validate_user_has_project_role(project, person, member):
        say(f"{name}: user {user} has no role there; nothing of this script's can be in it")
        conn = None
    else:
        conn = connect(user, name)

    def step(what: str, fn):
        try:
            fn()
        except (StepFailed, sdk_exc.SDKException) as exc:
            message = f"{name}: deleting {what} FAILED: {type(exc).__name__}: {exc}"
            failures.append(message)
            say(message)

    if conn is not None:
        later: set[str] = set()

        def servers_then_volumes():  # deleting an instance detaches its volumes
            if "compute" in services:
                step("instances", lambda: later.update(clean_servers(conn, name)))
            if "volumev3" in services:
                step("volumes", lambda: clean_volumes(conn, name))

        def the_rest():
            if "object-store" in services:
                step("objects", lambda: clean_objects(conn, name))
            if "image" in services:
                step("images", lambda: clean_images(conn, name, project.id))
            if "network" in services:
                step("network resources", lambda: clean_network(conn, name, project.id))

        in_parallel(lambda fn: fn(), [servers_then_volumes, the_rest], workers=2)
        if "network" in services:  # the networks last: the instances' ports leave with the instances
            step("networks", lambda: clean_networks(conn, name, project.id))
        step("instances", lambda: wait_servers_gone(conn, name, later))
    before = len(failures)
    if record is not None:
        if record.get("created"):
            # the project goes: drop its quota records rather than leaving them behind
            if before == 0:
                step("quotas", lambda: drop_quotas(admin, project.id, services))
                # Neutron made the project a "default" security group, which outlives the project
                if "network" in services:
                    step("default security group", lambda: drop_security_groups(admin, project.id))
                step("project", lambda: admin.identity.delete_project(project, ignore_missing=False))
                if len(failures) == before:
                    say(f"{name}: project deleted")
                    del state.data["projects"][name]
                    state.save()
            else:
                say(f"{name}: project kept (something in it could not be deleted)")
        else:
            step("quotas", lambda: restore_quotas(admin, state, name, project.id))
            if len(failures) == before:
                del state.data["projects"][name]
                state.save()
    say(f"{name}: cleaned in {time.monotonic() - started:.1f} s")


def _deleted(list_fn, ids: set[str]):
    def check():
        left = ids & {x.id for x in list_fn()}
        return not left, f"{len(left)} left"

    return check


def clean_servers(conn, name: str) -> set[str]:
    """Delete every instance of this script's, those with an address or a volume first (bench-vm-a:
    networks and volumes wait for them), and wait for those; the ids of the others are returned for
    `wait_servers_gone` (Nova deletes them while the rest is cleaned)."""
    servers = sorted(bench_servers(conn), key=lambda s: s.name)
    if not servers:
        return set()
    started = time.monotonic()
    in_parallel(lambda s: conn.compute.delete_server(s.id, ignore_missing=True), servers)
    first = {s.id for s in servers if s.name.startswith("bench-vm-a")}
    wait_until(
        _deleted(lambda: bench_servers(conn), first),
        f"{name}: instances with an address or a volume deleted",
        timeout=180 + 2 * len(first),
        every=3,
    )
    took = time.monotonic() - started
    say(f"{name}: {len(servers)} instances being deleted, the {len(first)} on bench-net gone in {took:.1f} s")
    return {s.id for s in servers} - first


def wait_servers_gone(conn, name: str, ids: set[str]) -> None:
    if not ids:
        return
    started = time.monotonic()
    wait_until(
        _deleted(lambda: bench_servers(conn), ids), f"{name}: instances deleted", timeout=180 + 2 * len(ids), every=5
    )
    say(f"{name}: the other {len(ids)} instances gone {time.monotonic() - started:.1f} s later")


def clean_volumes(conn, name: str) -> None:
    volumes = list(bench_volumes(conn).values())
    if not volumes:
        return
    started = time.monotonic()

    def settled():  # deleting an instance detaches its volumes: wait for that
        busy = [v for v in bench_volumes(conn).values() if v.status not in ("available", "error")]
        return not busy, f"{len(busy)} still attached or busy"

    wait_until(settled, f"{name}: volumes detached", timeout=180)
    in_parallel(lambda v: conn.block_storage.delete_volume(v.id, ignore_missing=True), volumes)
    wait_until(
        _deleted(lambda: bench_volumes(conn).values(), {v.id for v in volumes}),
        f"{name}: volumes deleted",
        timeout=120 + len(volumes),
    )
    say(f"{name}: {len(volumes)} volumes deleted in {time.monotonic() - started:.1f} s")


def clean_images(conn, name: str, project_id: str) -> None:
    images = list(named(conn.image.images(owner=project_id), "image").values())

    def delete(image):
        try:
            conn.image.delete_image(image, ignore_missing=True)
        except sdk_exc.HttpException:
            # Glance refuses to delete an image already gone ("deleted to deleted"): gone is what we want
            if conn.image.find_image(image.id, ignore_missing=True) is not None:
                raise

    if images:
        started = time.monotonic()
        in_parallel(delete, images, workers=2)
        say(f"{name}: {len(images)} images deleted in {time.monotonic() - started:.1f} s")


def clean_network(conn, name: str, project_id: str) -> None:
    net = conn.network
    kinds = [
        (
            "floating IPs",
            [ip for ip in net.ips(project_id=project_id) if ip.description == FIP_DESCRIPTION],
            lambda x: net.delete_ip(x, ignore_missing=True),
        ),
        (
            "ports",
            list(named(net.ports(project_id=project_id), "port").values()),
            lambda x: net.delete_port(x, ignore_missing=True),
        ),
        (
            "routers",
            list(named(net.routers(project_id=project_id), "router").values()),
            lambda x: net.delete_router(x, ignore_missing=True),
        ),
        (
            "security groups",
            list(named(net.security_groups(project_id=project_id), "security_group").values()),
            lambda x: net.delete_security_group(x, ignore_missing=True),
        ),
    ]
    for what, items, delete in kinds:
        if items:
            started = time.monotonic()
            in_parallel(delete, items)
            say(f"{name}: {len(items)} {what} deleted in {time.monotonic() - started:.1f} s")


def clean_networks(conn, name: str, project_id: str) -> None:
    net = conn.network
    networks = list(named(net.networks(project_id=project_id), "network").values())
    if networks:
        started = time.monotonic()

        def delete_network(network):
            # the instances' ports go a moment after the instances: a few tries
            for attempt in range(10):
                try:
                    net.delete_network(network, ignore_missing=True)
                    return
                except sdk_exc.ConflictException:
                    if attempt == 9:
                        raise
                    time.sleep(3)

        in_parallel(delete_network, networks)
        say(f"{name}: {len(networks)} networks deleted in {time.monotonic() - started:.1f} s")


def clean_objects(conn, name: str) -> None:
    """Every object of the container, ARCHIVE_BATCH per request (`?bulk-delete`), then the container."""
    store = conn.object_store
    if not any(c.name == CONTAINER for c in store.containers()):
        return
    started = time.monotonic()
    names = [o.name for o in store.objects(CONTAINER)]
    batches = [names[i : i + ARCHIVE_BATCH] for i in range(0, len(names), ARCHIVE_BATCH)]

    def delete(batch):
        lines = "\n".join(quote(f"{CONTAINER}/{n}") for n in batch)
        response = store.post(
            "/?bulk-delete", data=lines.encode(), headers={"Accept": "application/json", "Content-Type": "text/plain"}
        )
        return _bulk_answer(response, f"{name}: deleting objects")

    try:
        in_parallel(delete, batches, workers=4)
    except StepFailed as failed:
        # Swift's object server now and then fails one DELETE of a bulk delete with a 500 (an
        # AttributeError in its logger's thread locals, seen once on 2026-12-02): the objects
        # left are deleted once more, the same way, before the step gives up
        left = [o.name for o in store.objects(CONTAINER)]
        say(f"{name}: {failed}; deleting the {len(left)} objects left once more")
        in_parallel(delete, [left[i : i + ARCHIVE_BATCH] for i in range(0, len(left), ARCHIVE_BATCH)], workers=4)
    store.delete_container(CONTAINER, ignore_missing=True)
    say(f"{name}: container {CONTAINER} and {len(names)} objects deleted in {time.monotonic() - started:.1f} s")


def drop_security_groups(admin, project_id: str) -> None:
    """The security groups of a project about to be deleted (its "default" one, which Neutron made
    and would keep after Keystone deletes the project)."""
    for group in admin.network.security_groups(project_id=project_id):
        admin.network.delete_security_group(group, ignore_missing=True)


def drop_quotas(admin, project_id: str, services: set[str]) -> None:
    """Back to the defaults: the quota records of a project about to be deleted."""
    for service, catalog in QUOTA_SERVICES:
        if catalog in services:
            _checked(_proxy(admin, service).delete(_quota_path(service, project_id)))


def clean(project: str) -> int:
    admin = connect("admin")
    state = State(project)
    services = catalog_services(admin)
    failures: list[str] = []
    targets = plan(project, 1.0)
    # the projects at once: Nova deletes their instances from one queue
    in_parallel(lambda t: clean_project(admin, state, t.name, t.user, services, failures), targets, len(targets))
    for name in list(state.data["projects"]):  # recorded by an older plan: clean them too
        if name not in {t.name for t in targets}:
            clean_project(admin, state, name, state.data["projects"][name].get("user", "demo"), services, failures)
    if failures:
        say(f"clean: {len(failures)} step(s) failed; state kept in {state.path}: run --clean again")
        for failure in failures:
            print("  " + failure)
        return 1
    state.remove()
    say("clean: done")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the counts (default 1.0)")
    parser.add_argument(
        "--project", default="demo", help="fill NAME, NAME-alt, NAME-few instead of demo, alt, bench-few"
    )
    parser.add_argument("--clean", action="store_true", help="delete what populate made and restore the quotas")
    args = parser.parse_args()
    if not args.project.startswith("bench-") and args.project != "demo":
        parser.error("--project: a throwaway project's name starts with bench-")
    if args.scale <= 0:
        parser.error("--scale: more than 0")
    return clean(args.project) if args.clean else populate(args.project, args.scale)


if __name__ == "__main__":
    sys.exit(main())
