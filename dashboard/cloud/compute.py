"""Instances (Nova servers) as the dashboard shows them: a page of the list, one instance, its actions.

Calls go through `call` / `concurrently`, so every failure comes out as CloudError. A list page costs
a fixed number of calls whatever its length: one Nova page, then (at once) the names of the images
on that page in one Glance query and, only if some row boots from a volume, one Cinder page.
The flavor comes embedded in the server (compute microversion >= 2.47, which openstacksdk negotiates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from openstack.compute.v2.server import Server

from .calls import call, concurrently
from .errors import CloudError

# Nova's largest page by default (osapi_max_limit); one request never returns more
MAX_PAGE = 1000

# what the list can be sorted by: the query word -> Nova's sort_key
SORT_KEYS = {
    "name": "display_name",
    "created": "created_at",
    "status": "vm_state",
    "zone": "availability_zone",
    "key": "key_name",
}
STATUSES = [
    "ACTIVE",
    "BUILD",
    "SHUTOFF",
    "PAUSED",
    "SUSPENDED",
    "SHELVED",
    "SHELVED_OFFLOADED",
    "VERIFY_RESIZE",
    "REBOOT",
    "HARD_REBOOT",
    "RESIZE",
    "REBUILD",
    "MIGRATING",
    "RESCUE",
    "ERROR",
]

# Nova task states in words; others are turned from "resize_prep" into "Resize prep"
TASK_WORDS = {
    "powering-off": "Powering off",
    "powering-on": "Powering on",
    "rebooting": "Rebooting",
    "reboot_pending": "Rebooting",
    "reboot_started": "Rebooting",
    "rebooting_hard": "Rebooting (hard)",
    "reboot_pending_hard": "Rebooting (hard)",
    "reboot_started_hard": "Rebooting (hard)",
    "pausing": "Pausing",
    "unpausing": "Unpausing",
    "suspending": "Suspending",
    "resuming": "Resuming",
    "shelving": "Shelving",
    "shelving_image_pending_upload": "Shelving",
    "shelving_image_uploading": "Shelving",
    "shelving_offloading": "Shelving",
    "unshelving": "Unshelving",
    "spawning": "Spawning",
    "scheduling": "Scheduling",
    "networking": "Networking",
    "block_device_mapping": "Preparing volumes",
    "deleting": "Deleting",
    "image_snapshot": "Snapshotting",
    "image_snapshot_pending": "Snapshotting",
    "image_pending_upload": "Snapshotting",
    "image_uploading": "Snapshotting",
    "resize_prep": "Preparing resize",
    "resize_migrating": "Resizing",
    "resize_migrated": "Resizing",
    "resize_finish": "Finishing resize",
    "resize_reverting": "Reverting resize",
    "resize_confirming": "Confirming resize",
    "rebuilding": "Rebuilding",
    "rebuild_spawning": "Rebuilding",
    "rebuild_block_device_mapping": "Rebuilding",
}
STATUS_WORDS = {
    "ACTIVE": "Active",
    "BUILD": "Building",
    "SHUTOFF": "Shut off",
    "PAUSED": "Paused",
    "SUSPENDED": "Suspended",
    "SHELVED": "Shelved",
    "SHELVED_OFFLOADED": "Shelved",
    "VERIFY_RESIZE": "Confirm or revert resize",
    "REBOOT": "Rebooting",
    "HARD_REBOOT": "Rebooting (hard)",
    "RESIZE": "Resizing",
    "REBUILD": "Rebuilding",
    "MIGRATING": "Migrating",
    "RESCUE": "Rescued",
    "ERROR": "Error",
    "DELETED": "Deleted",
    "SOFT_DELETED": "Deleted (soft)",
    "UNKNOWN": "Unknown",
}


def task_words(task_state: str | None) -> str:
    if not task_state:
        return ""
    return TASK_WORDS.get(task_state, re.sub(r"[-_]+", " ", task_state).strip().capitalize())


@dataclass
class FlavorInfo:
    name: str = ""
    vcpus: int | None = None
    ram: int | None = None  # MiB
    disk: int | None = None  # GiB
    id: str = ""


@dataclass
class Address:
    addr: str
    kind: str  # "fixed" or "floating"
    version: int = 4
    mac: str = ""


@dataclass
class Instance:
    id: str
    name: str
    status: str
    task_state: str = ""
    vm_state: str = ""
    power_state: int | None = None
    locked: bool = False
    locked_reason: str = ""
    key_name: str = ""
    availability_zone: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    flavor: FlavorInfo = field(default_factory=FlavorInfo)
    image_id: str = ""
    image_name: str = ""
    volume_ids: list[str] = field(default_factory=list)
    boot_volume_id: str = ""
    boot_volume_name: str = ""
    networks: dict[str, list[Address]] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    security_groups: list[str] = field(default_factory=list)
    host: str = ""
    hypervisor_hostname: str = ""
    fault: str = ""
    project_id: str = ""
    user_id: str = ""

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.replace("_", " ").capitalize())

    @property
    def task_words(self) -> str:
        return task_words(self.task_state)

    @property
    def busy(self) -> bool:
        return bool(self.task_state) or self.status in ("BUILD", "REBOOT", "HARD_REBOOT", "RESIZE", "REBUILD")

    @property
    def boots_from_volume(self) -> bool:
        return not self.image_id

    @property
    def floating_ips(self) -> list[str]:
        return [a.addr for addrs in self.networks.values() for a in addrs if a.kind == "floating"]

    @property
    def fixed_ips(self) -> list[str]:
        return [a.addr for addrs in self.networks.values() for a in addrs if a.kind == "fixed"]


def _when(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _flavor(raw: Any) -> FlavorInfo:
    if not raw:
        return FlavorInfo()
    get = raw.get if isinstance(raw, dict) else lambda k, d=None: getattr(raw, k, d)
    # microversion >= 2.47 embeds the flavor: original_name, vcpus, ram, disk; older ones only an id
    return FlavorInfo(
        name=get("original_name") or get("name") or "",
        vcpus=get("vcpus"),
        ram=get("ram"),
        disk=get("disk"),
        id=get("id") or "",
    )


def instance_from(server: Server) -> Instance:
    """The plain view of an openstacksdk Server (templates never touch SDK objects)."""
    image = server.image
    image_id = (image.get("id") if isinstance(image, dict) else getattr(image, "id", None)) or ""
    networks: dict[str, list[Address]] = {}
    for net, addrs in (server.addresses or {}).items():
        networks[net] = [
            Address(
                addr=a.get("addr", ""),
                kind=a.get("OS-EXT-IPS:type", "fixed"),
                version=a.get("version", 4),
                mac=a.get("OS-EXT-IPS-MAC:mac_addr", ""),
            )
            for a in addrs
        ]
    fault = server.fault or {}
    return Instance(
        id=server.id,
        name=server.name or "",
        status=(server.status or "UNKNOWN").upper(),
        task_state=server.task_state or "",
        vm_state=server.vm_state or "",
        power_state=server.power_state,
        locked=bool(server.is_locked),
        locked_reason=server.locked_reason or "",
        key_name=server.key_name or "",
        availability_zone=server.availability_zone or "",
        created_at=_when(server.created_at),
        updated_at=_when(server.updated_at),
        flavor=_flavor(server.flavor),
        image_id=image_id,
        volume_ids=[v.get("id") for v in (server.attached_volumes or []) if v.get("id")],
        networks=networks,
        metadata=dict(server.metadata or {}),
        security_groups=sorted({g.get("name", "") for g in (server.security_groups or [])}),
        host=server.compute_host or "",
        hypervisor_hostname=server.hypervisor_hostname or "",
        fault=fault.get("message", "") if isinstance(fault, dict) else str(fault),
        project_id=server.project_id or "",
        user_id=server.user_id or "",
    )


# --- the list -----------------------------------------------------------------------------------


@dataclass
class ListQuery:
    name: str = ""
    status: str = ""
    sort: str = "created"
    direction: str = "desc"
    limit: int = 20
    marker: str = ""  # show the page after this instance
    before: str = ""  # show the page before this instance

    def nova_filters(self) -> dict[str, Any]:
        filters: dict[str, Any] = {}
        if self.name:
            # Nova matches the name as a regular expression: search for the literal text
            filters["name"] = re.escape(self.name)
        if self.status:
            filters["status"] = self.status
        return filters


@dataclass
class InstancePage:
    instances: list[Instance]
    next_marker: str = ""
    prev_before: str = ""


def _reverse(direction: str) -> str:
    return "asc" if direction == "desc" else "desc"


def _one_page(conn, query: ListQuery) -> tuple[list[Server], bool]:
    """One Nova request: the page plus one more row to know whether there is a further page."""
    backwards = bool(query.before)
    params: dict[str, Any] = {
        "limit": query.limit + 1,
        "sort_key": SORT_KEYS.get(query.sort, "created_at"),
        "sort_dir": _reverse(query.direction) if backwards else query.direction,
        **query.nova_filters(),
    }
    if backwards:
        params["marker"] = query.before
    elif query.marker:
        params["marker"] = query.marker
    # paginated=False: exactly one request (openstacksdk would otherwise ask again for a short page)
    servers = list(conn.compute.servers(details=True, paginated=False, **params))[: query.limit + 1]
    more = len(servers) > query.limit
    servers = servers[: query.limit]
    if backwards:
        servers.reverse()
    return servers, more


def image_names(conn, image_ids: set[str]) -> dict[str, str]:
    """Names of the given images in one Glance request (unknown or hidden ones are left out)."""
    ids = sorted(i for i in image_ids if i)
    if not ids:
        return {}
    images = conn.image.images(id="in:" + ",".join(ids), limit=len(ids), paginated=False)
    return {img.id: img.name or "" for img in images}


def project_volumes(conn) -> list[Any]:
    """The project's volumes, one Cinder request (the first MAX_PAGE)."""
    return list(conn.block_storage.volumes(details=True, limit=MAX_PAGE, paginated=False))


def _boot_volume(inst: Instance, volumes_by_id: dict[str, Any]) -> tuple[str, str]:
    for vid in inst.volume_ids:
        vol = volumes_by_id.get(vid)
        if vol is None:
            continue
        for att in vol.attachments or []:
            if att.get("server_id") == inst.id and att.get("device") in ("/dev/vda", "/dev/sda", "/dev/xvda"):
                return vid, vol.name or ""
    if inst.volume_ids:
        first = inst.volume_ids[0]
        vol = volumes_by_id.get(first)
        return first, (vol.name or "") if vol is not None else ""
    return "", ""


def fill_names(conn, instances: list[Instance], all_volumes: bool = False) -> dict[str, Any]:
    """Image and boot volume names for a set of instances: at most two calls, made at once.

    Returns the project's volumes by id when they were fetched (all_volumes: fetch them whenever an
    instance has a volume attached, for the detail page's list of attached volumes).
    """
    calls: dict[str, Any] = {}
    image_ids = {i.image_id for i in instances if i.image_id}
    if image_ids:
        calls["images"] = lambda: image_names(conn, image_ids)
    if any((all_volumes or i.boots_from_volume) and i.volume_ids for i in instances):
        calls["volumes"] = lambda: project_volumes(conn)
    if not calls:
        return {}
    # names are a nicety: a failing Glance or Cinder leaves ids on the page, not an error
    found = concurrently(calls, services={"images": "image", "volumes": "volume"}, optional=tuple(calls))
    names = found.get("images")
    names = names if isinstance(names, dict) else {}
    volumes = found.get("volumes")
    by_id = {v.id: v for v in volumes} if isinstance(volumes, list) else {}
    for inst in instances:
        inst.image_name = names.get(inst.image_id, "")
        if inst.boots_from_volume:
            inst.boot_volume_id, inst.boot_volume_name = _boot_volume(inst, by_id)
    return by_id


def list_instances(conn, query: ListQuery) -> InstancePage:
    servers, more = call(lambda: _one_page(conn, query), service="compute")
    instances = [instance_from(s) for s in servers]
    fill_names(conn, instances)
    page = InstancePage(instances=instances)
    if query.before:
        page.next_marker = instances[-1].id if instances else ""
        page.prev_before = instances[0].id if more and instances else ""
    else:
        page.next_marker = instances[-1].id if more and instances else ""
        page.prev_before = instances[0].id if query.marker and instances else ""
    return page


# --- one instance -------------------------------------------------------------------------------


def get_instance(conn, server_id: str, names: bool = True) -> Instance:
    server = call(lambda: conn.compute.get_server(server_id), service="compute", what="The instance")
    inst = instance_from(server)
    if names:
        fill_names(conn, [inst])
    return inst


@dataclass
class Port:
    id: str
    network_id: str
    network_name: str
    mac: str
    status: str
    fixed_ips: list[str]
    floating_ips: list[tuple[str, str]]  # (id, address)
    security_group_ids: list[str]


def instance_ports(conn, server_id: str) -> list[Port]:
    """The instance's ports with network names and floating IPs: three Neutron calls at once."""
    found = concurrently(
        {
            "ports": lambda: conn.network.ports(device_id=server_id),
            "networks": lambda: conn.network.networks(),
            "fips": lambda: conn.network.ips(),
        },
        services={"ports": "network", "networks": "network", "fips": "network"},
    )
    net_names = {n.id: n.name for n in found["networks"]}
    ports = []
    for p in found["ports"]:
        ports.append(
            Port(
                id=p.id,
                network_id=p.network_id,
                network_name=net_names.get(p.network_id, p.network_id),
                mac=p.mac_address or "",
                status=p.status or "",
                fixed_ips=[ip.get("ip_address", "") for ip in p.fixed_ips or []],
                floating_ips=[(f.id, f.floating_ip_address) for f in found["fips"] if f.port_id == p.id],
                security_group_ids=list(p.security_group_ids or []),
            )
        )
    return ports


def action_log(conn, server_id: str) -> list[Any]:
    return call(lambda: conn.compute.server_actions(server_id), service="compute", what="The instance")


def console_log(conn, server_id: str, lines: int) -> str:
    out = call(
        lambda: conn.compute.get_server_console_output(server_id, length=lines),
        service="compute",
        what="The instance",
    )
    return (out or {}).get("output", "") or ""


# --- what the action forms offer ---------------------------------------------------------------


def active_images(conn) -> list[Any]:
    """Images the project can boot (one Glance request, the first MAX_PAGE), by name."""
    images = conn.image.images(status="active", limit=MAX_PAGE, paginated=False)
    return sorted(images, key=lambda i: (i.name or "").lower())


def available_volumes(conn) -> list[Any]:
    volumes = conn.block_storage.volumes(details=True, status="available", limit=MAX_PAGE, paginated=False)
    return sorted(volumes, key=lambda v: (v.name or "").lower())


def free_ports(conn) -> list[Any]:
    """The project's ports that no instance or router uses."""
    return [p for p in conn.network.ports() if not p.device_id and not p.device_owner]


# --- actions ------------------------------------------------------------------------------------

_SIMPLE = {
    "start": lambda c, s: c.compute.start_server(s),
    "stop": lambda c, s: c.compute.stop_server(s),
    "reboot": lambda c, s: c.compute.reboot_server(s, "SOFT"),
    "reboot_hard": lambda c, s: c.compute.reboot_server(s, "HARD"),
    "pause": lambda c, s: c.compute.pause_server(s),
    "unpause": lambda c, s: c.compute.unpause_server(s),
    "suspend": lambda c, s: c.compute.suspend_server(s),
    "resume": lambda c, s: c.compute.resume_server(s),
    "shelve": lambda c, s: c.compute.shelve_server(s),
    "unshelve": lambda c, s: c.compute.unshelve_server(s),
    "lock": lambda c, s: c.compute.lock_server(s),
    "unlock": lambda c, s: c.compute.unlock_server(s),
    "confirm_resize": lambda c, s: c.compute.confirm_server_resize(s),
    "revert_resize": lambda c, s: c.compute.revert_server_resize(s),
    "delete": lambda c, s: c.compute.delete_server(s, ignore_missing=False),
}
SIMPLE_ACTIONS = frozenset(_SIMPLE)


def run_simple_action(conn, server_id: str, action: str) -> None:
    """start, stop, reboot, ... on one instance; CloudError says why Nova refused."""
    if action not in _SIMPLE:
        raise CloudError("bad_request", f"Unknown action: {action}.")
    server = Server.new(id=server_id)
    call(lambda: _SIMPLE[action](conn, server), service="compute", what="The instance")


def rename(conn, server_id: str, name: str) -> None:
    call(lambda: conn.compute.update_server(server_id, name=name), service="compute", what="The instance")


def resize(conn, server_id: str, flavor_id: str) -> None:
    call(lambda: conn.compute.resize_server(server_id, flavor_id), service="compute", what="The instance")


def rebuild(conn, server_id: str, image_id: str) -> None:
    call(lambda: conn.compute.rebuild_server(server_id, image_id), service="compute", what="The instance")


def snapshot(conn, server_id: str, name: str) -> str:
    image = call(lambda: conn.compute.create_server_image(server_id, name), service="compute", what="The instance")
    return getattr(image, "id", "") or ""


def attach_volume(conn, server_id: str, volume_id: str) -> None:
    call(
        lambda: conn.compute.create_volume_attachment(server_id, volume_id=volume_id),
        service="compute",
        what="The instance or volume",
    )


def detach_volume(conn, server_id: str, volume_id: str) -> None:
    call(
        lambda: conn.compute.delete_volume_attachment(server_id, volume_id, ignore_missing=False),
        service="compute",
        what="The volume attachment",
    )


def attach_interface(conn, server_id: str, network_id: str = "", port_id: str = "") -> None:
    attrs = {"port_id": port_id} if port_id else {"net_id": network_id}
    call(lambda: conn.compute.create_server_interface(server_id, **attrs), service="compute", what="The instance")


def detach_interface(conn, server_id: str, port_id: str) -> None:
    call(
        lambda: conn.compute.delete_server_interface(port_id, server=server_id, ignore_missing=False),
        service="compute",
        what="The interface",
    )


def set_security_groups(conn, server_id: str, add: list[str], remove: list[str]) -> None:
    """Add and remove security groups (by id, which Nova accepts where it says name)."""
    server = Server.new(id=server_id)
    for group in add:
        call(lambda g=group: server.add_security_group(conn.compute, g), service="compute", what="The instance")
    for group in remove:
        call(lambda g=group: server.remove_security_group(conn.compute, g), service="compute", what="The instance")


def associate_floating_ip(conn, port_id: str, fixed_ip: str, floating_ip_id: str = "", pool_id: str = "") -> str:
    """Give a port's fixed IP a floating IP: the chosen free one, or a new one from the pool."""
    if not floating_ip_id:
        fip = call(lambda: conn.network.create_ip(floating_network_id=pool_id), service="network")
        floating_ip_id = fip.id
    fip = call(
        lambda: conn.network.update_ip(floating_ip_id, port_id=port_id, fixed_ip_address=fixed_ip or None),
        service="network",
        what="The floating IP",
    )
    return fip.floating_ip_address


def disassociate_floating_ip(conn, floating_ip_id: str) -> None:
    call(lambda: conn.network.update_ip(floating_ip_id, port_id=None), service="network", what="The floating IP")
