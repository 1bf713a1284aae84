"""Instances (Nova servers) as the dashboard shows them: a page of the list, one instance, its actions.

Calls go through `call` / `concurrently`, so every failure comes out as CloudError. A list page costs
a fixed number of calls whatever its length: one Nova page, then (at once) the names of the images
on that page in one Glance query and, only if some row boots from a volume, one Cinder page.
The flavor comes embedded in the server (compute microversion >= 2.47, which openstacksdk negotiates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from openstack.compute.v2.server import Server

from . import images, volumes
from .actions import Action, catalogue
from .calls import concurrently, raw, raw_json, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page

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
    "powering-off": _("Powering off"),
    "powering-on": _("Powering on"),
    "rebooting": _("Rebooting"),
    "reboot_pending": _("Rebooting"),
    "reboot_started": _("Rebooting"),
    "rebooting_hard": _("Rebooting (hard)"),
    "reboot_pending_hard": _("Rebooting (hard)"),
    "reboot_started_hard": _("Rebooting (hard)"),
    "pausing": _("Pausing"),
    "unpausing": _("Unpausing"),
    "suspending": _("Suspending"),
    "resuming": _("Resuming"),
    "shelving": _("Shelving"),
    "shelving_image_pending_upload": _("Shelving"),
    "shelving_image_uploading": _("Shelving"),
    "shelving_offloading": _("Shelving"),
    "unshelving": _("Unshelving"),
    "spawning": _("Spawning"),
    "scheduling": _("Scheduling"),
    "networking": _("Networking"),
    "block_device_mapping": _("Preparing volumes"),
    "deleting": _("Deleting"),
    "image_snapshot": _("Snapshotting"),
    "image_snapshot_pending": _("Snapshotting"),
    "image_pending_upload": _("Snapshotting"),
    "image_uploading": _("Snapshotting"),
    "resize_prep": _("Preparing resize"),
    "resize_migrating": _("Resizing"),
    "resize_migrated": _("Resizing"),
    "resize_finish": _("Finishing resize"),
    "resize_reverting": _("Reverting resize"),
    "resize_confirming": _("Confirming resize"),
    "rebuilding": _("Rebuilding"),
    "rebuild_spawning": _("Rebuilding"),
    "rebuild_block_device_mapping": _("Rebuilding"),
}
STATUS_WORDS = {
    "ACTIVE": _("Active"),
    "BUILD": _("Building"),
    "SHUTOFF": _("Shut off"),
    "PAUSED": _("Paused"),
    "SUSPENDED": _("Suspended"),
    "SHELVED": _("Shelved"),
    "SHELVED_OFFLOADED": _("Shelved"),
    "VERIFY_RESIZE": _("Confirm or revert resize"),
    "REBOOT": _("Rebooting"),
    "HARD_REBOOT": _("Rebooting (hard)"),
    "RESIZE": _("Resizing"),
    "REBUILD": _("Rebuilding"),
    "MIGRATING": _("Migrating"),
    "RESCUE": _("Rescued"),
    "ERROR": _("Error"),
    "DELETED": _("Deleted"),
    "SOFT_DELETED": _("Deleted (soft)"),
    "UNKNOWN": _("Unknown"),
}

STATUS_TONES = {
    "ACTIVE": "success",
    "ERROR": "danger",
    "SHUTOFF": "secondary",
    "SHELVED": "secondary",
    "SHELVED_OFFLOADED": "secondary",
    "VERIFY_RESIZE": "warning",
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
    def status_tone(self) -> str:
        """The badge colour of the status (see the status_badge tag, dashboard/ui/templatetags/zenith_kit.py)."""
        return STATUS_TONES.get(self.status, "info")

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


def nova_filters(params: ListParams) -> dict[str, Any]:
    """The list's filters as Nova's query parameters."""
    filters: dict[str, Any] = {}
    if params.filter("name"):
        # Nova matches the name as a regular expression: search for the literal text
        filters["name"] = re.escape(params.filter("name"))
    if params.filter("status"):
        filters["status"] = params.filter("status")
    if params.filter("project"):
        filters["project_id"] = params.filter("project")
    return filters


def _server_page(conn, params: ListParams, all_projects: bool = False) -> Page:
    """One Nova request for a page of servers (SDK objects)."""

    def fetch(limit: int, marker: str, direction: str):
        query: dict[str, Any] = {
            "limit": limit,
            "sort_key": SORT_KEYS.get(params.sort, "created_at"),
            "sort_dir": direction,
            **nova_filters(params),
        }
        if marker:
            query["marker"] = marker
        if all_projects:
            query["all_projects"] = True
        # paginated=False: exactly one request (openstacksdk would otherwise ask again for a short page)
        return conn.compute.servers(details=True, paginated=False, **query)

    return marker_page(fetch, params)


def _boot_volume(inst: Instance, volumes_by_id: dict[str, volumes.Volume]) -> tuple[str, str]:
    for vid in inst.volume_ids:
        vol = volumes_by_id.get(vid)
        if vol is None:
            continue
        for att in vol.attachments:
            if att.server_id == inst.id and att.device in ("/dev/vda", "/dev/sda", "/dev/xvda"):
                return vid, vol.name or ""
    if inst.volume_ids:
        first = inst.volume_ids[0]
        vol = volumes_by_id.get(first)
        return first, (vol.name or "") if vol is not None else ""
    return "", ""


@translated("compute")
def fill_names(
    conn, instances: list[Instance], all_volumes: bool = False, known_volumes: Any = None
) -> dict[str, volumes.Volume]:
    """Image and boot volume names for a set of instances: at most two calls, made at once.

    Returns the project's volumes by id when they were fetched (all_volumes: fetch them whenever an
    instance has a volume attached, for the detail page's list of attached volumes). A page that
    read the project's volumes already (beside the server) passes them as `known_volumes` (a list,
    or the CloudError of that call): then only Glance is asked.
    """
    calls: dict[str, Any] = {}
    image_ids = {i.image_id for i in instances if i.image_id}
    if image_ids:
        calls["images"] = lambda: images.image_names(conn, image_ids)
    if known_volumes is None and any((all_volumes or i.boots_from_volume) and i.volume_ids for i in instances):
        calls["volumes"] = lambda: volumes.project_volumes(conn)
    # names are a nicety: a failing Glance or Cinder leaves ids on the page, not an error
    found = concurrently(calls, services={"images": "image", "volumes": "volume"}, optional=tuple(calls))
    names = found.get("images")
    names = names if isinstance(names, dict) else {}
    found_volumes = found.get("volumes", known_volumes)
    by_id = {v.id: v for v in found_volumes} if isinstance(found_volumes, list) else {}
    for inst in instances:
        inst.image_name = names.get(inst.image_id, "")
        if inst.boots_from_volume:
            inst.boot_volume_id, inst.boot_volume_name = _boot_volume(inst, by_id)
    return by_id


@translated("compute")
def list_instances(conn, params: ListParams, names: bool = True) -> Page:
    """A page of the project's instances with image and boot volume names: 1 Nova call, then at
    most 2 more at once (Glance names, Cinder volumes). Without `names`, the Nova call alone (the
    list page: its names part names the sources afterwards, see named_sources)."""
    page = _server_page(conn, params).map(instance_from)
    if names:
        fill_names(conn, page.items)
    return page


@translated("compute")
def named_sources(conn, images: Iterable[tuple[str, str]], volumes: Iterable[tuple[str, str]] = ()) -> list[Instance]:
    """The boot sources of a list's rows, named (the list's names part): `images` are (server id,
    image id) pairs, `volumes` (server id, attached volume id) pairs of the volume-booted rows.
    Returns one Instance per server, with only its id and source filled in (image_name, or
    boot_volume_id and boot_volume_name): fill_names' calls, at most 2 at once."""
    by_id: dict[str, Instance] = {}
    for server_id, image_id in images:
        by_id.setdefault(server_id, Instance(id=server_id, name="", status="")).image_id = image_id
    for server_id, volume_id in volumes:
        inst = by_id.setdefault(server_id, Instance(id=server_id, name="", status=""))
        if not inst.image_id:
            inst.volume_ids.append(volume_id)
    sources = list(by_id.values())
    fill_names(conn, sources)
    return sources


@translated("compute")
def all_projects_page(conn, params: ListParams) -> Page:
    """A page of every project's instances (admin): one Nova request with all_tenants."""
    return _server_page(conn, params, all_projects=True).map(instance_from)


# --- one instance -------------------------------------------------------------------------------

INSTANCE = _("The instance")


@translated("compute", what=INSTANCE)
def get_instance(conn, server_id: str, names: bool = True) -> Instance:
    inst = instance_from(conn.compute.get_server(server_id))
    if names:
        fill_names(conn, [inst])
    return inst


@dataclass
class ActionEvent:
    action: str
    start_time: str
    user_id: str
    request_id: str = ""
    message: str = ""


@translated("compute", what=INSTANCE)
def action_log(conn, server_id: str) -> list[ActionEvent]:
    return [
        ActionEvent(a.action or "", a.start_time or "", a.user_id or "", a.request_id or "", a.message or "")
        for a in conn.compute.server_actions(server_id)
    ]


@translated("compute", what=INSTANCE)
def console_log(conn, server_id: str, lines: int) -> str:
    out = conn.compute.get_server_console_output(server_id, length=lines)
    return (out or {}).get("output", "") or ""


@translated("compute", what=INSTANCE)
def console_link(conn, server_id: str, console_type: str) -> dict:
    """A remote console URL of the given type: {"url", "type"} (a one-time token inside)."""
    return dict(conn.compute.create_console(server_id, console_type=console_type) or {})


# --- for the live pollers: raw bodies, one request each ------------------------------------------

DIAGNOSTICS_MICROVERSION = "2.48"  # the standard diagnostics format, the same for every driver


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@translated("compute")
def changes_since(conn, since: datetime) -> tuple[list[dict], datetime]:
    """The project's servers changed since `since` (raw JSON bodies), and the cloud's time of the answer.

    One request, ``GET /servers/detail?changes-since=<since>``: an idle project answers an empty
    list; deleted instances come back too, with status DELETED. The time is the cloud's own (the
    response's Date header), so the next call can ask from there without clock skew; without a
    Date header, our time just before the request.
    """
    asked = datetime.now(UTC)
    response = raw(conn, "compute", "/servers/detail", params={"changes-since": _iso(since)})
    try:
        cloud_now = parsedate_to_datetime(response.headers["Date"])
    except (KeyError, TypeError, ValueError):
        cloud_now = asked
    return response.json().get("servers", []), cloud_now


@translated("compute", what=INSTANCE)
def server_body(conn, server_id: str) -> dict:
    """One server's raw JSON body (``GET /servers/<id>``), as the changes-since listing gives it."""
    return raw_json(conn, "compute", f"/servers/{server_id}")["server"]


@translated("compute", what=INSTANCE)
def diagnostics(conn, server_id: str) -> dict:
    """Nova's diagnostics of a running instance (admin; a 409 while it is not running), raw JSON."""
    return raw_json(conn, "compute", f"/servers/{server_id}/diagnostics", microversion=DIAGNOSTICS_MICROVERSION)


# --- what Nova allows ---------------------------------------------------------------------------
# `allowed_actions` mirrors Nova's own state checks (nova/compute/api.py `check_instance_state` and
# `check_instance_lock`), so pages only offer what Nova would accept; Nova still has the last word.
# Every page showing instances (the project's list and detail, all projects' list) uses it.

ACTIONS = catalogue(
    Action("start", _("Start"), "play-fill"),
    Action("stop", _("Stop"), "stop-fill", confirm=_("Stop this instance?")),
    Action("reboot", _("Soft reboot"), "arrow-clockwise", confirm=_("Reboot this instance?")),
    Action("reboot_hard", _("Hard reboot"), "lightning", confirm=_("Hard reboot (power cycle) this instance?")),
    Action("pause", _("Pause"), "pause-fill"),
    Action("unpause", _("Unpause"), "play"),
    Action("suspend", _("Suspend"), "moon", confirm=_("Suspend this instance?")),
    Action("resume", _("Resume"), "sunrise"),
    Action("shelve", _("Shelve"), "archive", confirm=_("Shelve this instance? It stops and its resources are freed.")),
    Action("unshelve", _("Unshelve"), "box-arrow-up"),
    Action("lock", _("Lock"), "lock"),
    Action("unlock", _("Unlock"), "unlock"),
    Action("rename", _("Rename"), "pencil", form=True),
    Action("resize", _("Resize"), "arrows-angle-expand", form=True),
    Action("confirm_resize", _("Confirm resize"), "check2-circle"),
    Action("revert_resize", _("Revert resize"), "arrow-counterclockwise", confirm=_("Revert to the old flavor?")),
    Action("rebuild", _("Rebuild"), "hammer", form=True, danger=True),
    Action("snapshot", _("Create snapshot"), "camera", form=True),
    Action("attach_volume", _("Attach volume"), "hdd", form=True),
    Action("detach_volume", _("Detach volume"), "hdd-fill", confirm=_("Detach this volume?"), target="volume_id"),
    Action("attach_interface", _("Attach interface"), "ethernet", form=True),
    Action(
        "detach_interface", _("Detach interface"), "x-circle", confirm=_("Detach this interface?"), target="port_id"
    ),
    Action("floating_ip", _("Associate floating IP"), "globe", form=True),
    Action(
        "disassociate_floating_ip",
        _("Disassociate floating IP"),
        "globe2",
        confirm=_("Disassociate this floating IP?"),
        target="floating_ip_id",
    ),
    Action("security_groups", _("Security groups"), "shield-lock", form=True),
    Action("delete", _("Delete"), "trash", confirm=_("Delete this instance? This cannot be undone."), danger=True),
)

# actions whose extra target (a volume, port or floating IP) is picked on the detail page
TARGETED = {a.name: a.target for a in ACTIONS.values() if a.target}

_CONNECTED = {"floating_ip", "disassociate_floating_ip", "security_groups"}
_VOLUMES = {"attach_volume", "detach_volume"}
_INTERFACES = {"attach_interface", "detach_interface"}

# status (Nova's API status) -> actions Nova allows when no task is running
BY_STATUS: dict[str, set[str]] = {
    "ACTIVE": {"stop", "reboot", "reboot_hard", "pause", "suspend", "shelve", "rename", "resize", "rebuild"}
    | {"snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "SHUTOFF": {"start", "reboot_hard", "shelve", "rename", "resize", "rebuild", "snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "PAUSED": {"unpause", "reboot_hard", "shelve", "rename", "snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "SUSPENDED": {"resume", "reboot_hard", "shelve", "rename", "snapshot", "delete"} | _CONNECTED,
    "SHELVED": {"unshelve", "rename", "delete", "disassociate_floating_ip"},
    "SHELVED_OFFLOADED": {"unshelve", "rename", "delete", "disassociate_floating_ip"},
    "VERIFY_RESIZE": {"confirm_resize", "revert_resize", "rename", "delete"},
    "ERROR": {"stop", "reboot_hard", "rebuild", "rename", "delete"},
    "RESCUE": {"stop", "rename", "delete"},
}
GONE = {"DELETED", "SOFT_DELETED"}
# what Nova does not lock-check (renaming, snapshots, security groups) or Neutron does (floating IPs)
LOCK_FREE = {"rename", "snapshot", "floating_ip", "disassociate_floating_ip", "security_groups"}
BULK = ("start", "stop", "delete")


def allowed_actions(
    status: str, task_state: str | None = None, locked: bool = False, is_admin: bool = False
) -> set[str]:
    """The actions Nova accepts for an instance in this state (status as the API reports it)."""
    status = (status or "").upper()
    if status in GONE or task_state == "deleting":
        return set()
    # while a task runs Nova only lets you delete (or lock) until it finishes
    base = {"delete"} if task_state else set(BY_STATUS.get(status, {"delete"}))
    if locked and not is_admin:
        # Nova's lock check refuses every other change to a locked instance (admins excepted)
        return (base & LOCK_FREE) | {"unlock"}
    return base | ({"unlock"} if locked else {"lock"})


def offered(inst: Instance, is_admin: bool = False) -> list[Action]:
    """The allowed actions on an instance, in display order (those needing a target excepted)."""
    allowed = allowed_actions(inst.status, inst.task_state, inst.locked, is_admin)
    return [a for name, a in ACTIONS.items() if name in allowed and not a.target]


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


@translated("compute", what=INSTANCE)
def run_simple_action(conn, server_id: str, action: str) -> None:
    """start, stop, reboot, ... on one instance; CloudError says why Nova refused."""
    if action not in _SIMPLE:
        raise CloudError("bad_request", _("Unknown action: %(action)s.") % {"action": action})
    _SIMPLE[action](conn, Server.new(id=server_id))


@translated("compute", what=INSTANCE)
def rename(conn, server_id: str, name: str) -> None:
    conn.compute.update_server(server_id, name=name)


@translated("compute", what=INSTANCE)
def resize(conn, server_id: str, flavor_id: str) -> None:
    conn.compute.resize_server(server_id, flavor_id)


@translated("compute", what=INSTANCE)
def rebuild(conn, server_id: str, image_id: str) -> None:
    conn.compute.rebuild_server(server_id, image_id)


@translated("compute", what=INSTANCE)
def snapshot(conn, server_id: str, name: str) -> str:
    image = conn.compute.create_server_image(server_id, name)
    return getattr(image, "id", "") or ""


@translated("compute", what=_("The instance or volume"))
def attach_volume(conn, server_id: str, volume_id: str) -> None:
    conn.compute.create_volume_attachment(server_id, volume_id=volume_id)


@translated("compute", what=_("The volume attachment"))
def detach_volume(conn, server_id: str, volume_id: str) -> None:
    conn.compute.delete_volume_attachment(server_id, volume_id, ignore_missing=False)


@translated("compute", what=INSTANCE)
def attach_interface(conn, server_id: str, network_id: str = "", port_id: str = "") -> None:
    attrs = {"port_id": port_id} if port_id else {"net_id": network_id}
    conn.compute.create_server_interface(server_id, **attrs)


@translated("compute", what=_("The interface"))
def detach_interface(conn, server_id: str, port_id: str) -> None:
    conn.compute.delete_server_interface(port_id, server=server_id, ignore_missing=False)


@translated("compute", what=INSTANCE)
def set_security_groups(conn, server_id: str, add: list[str], remove: list[str]) -> None:
    """Add and remove security groups (by id, which Nova accepts where it says name)."""
    server = Server.new(id=server_id)
    for group in add:
        server.add_security_group(conn.compute, group)
    for group in remove:
        server.remove_security_group(conn.compute, group)


# --- flavors ------------------------------------------------------------------------------------


@dataclass
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int  # MiB
    disk: int  # GiB
    ephemeral: int = 0
    swap: int = 0
    is_public: bool = True
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} — {self.vcpus} vCPU, {self.ram} MiB RAM, {self.disk} GiB disk"


def flavor_from(f: Any) -> Flavor:
    return Flavor(
        id=f.id,
        name=f.name or "",
        vcpus=f.vcpus or 0,
        ram=f.ram or 0,
        disk=f.disk or 0,
        ephemeral=getattr(f, "ephemeral", 0) or 0,
        swap=int(getattr(f, "swap", 0) or 0),
        is_public=bool(getattr(f, "is_public", True)),
        description=getattr(f, "description", "") or "",
    )


@translated("compute")
def flavors(conn) -> list[Flavor]:
    """The flavors the project may use, smallest first."""
    found = [flavor_from(f) for f in conn.compute.flavors(details=True)]
    return sorted(found, key=lambda f: (f.vcpus, f.ram, f.disk, f.name))
