"""Instances (Nova servers) as the dashboard shows them: a page of the list, one instance, the
project's instance names, and the raw bodies the live pollers compare. What can be done to one,
and what each state allows, is in `instance_actions`; what it says (its action log, console
output, a remote console, its diagnostics) in `instance_logs`; flavors in `flavors`.

Calls go through `call` / `concurrently`, so every failure comes out as CloudError. A list page costs
a fixed number of calls whatever its length: one Nova page, then (at once) the names of the images
on that page in one Glance query and, only if some row boots from a volume, one Cinder page (the
list page and the API's list alike, in one response).
The flavor comes embedded in the server (compute microversion >= 2.47, which openstacksdk negotiates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from openstack.compute.v2.server import Server

from . import images, labels, volumes
from .calls import concurrently, raw, raw_json, raw_list, translated
from .paging import ListParams, Page, marker_page

INSTANCE_NOT_FOUND = _("The instance was not found; it may have been deleted.")

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

# the words of a status and of a task: dashboard.cloud.labels (every value of Nova's API reference)
TASK_WORDS = labels.INSTANCE_TASK
STATUS_WORDS = labels.INSTANCE_STATUS

STATUS_TONES = {
    "ACTIVE": "success",
    "ERROR": "danger",
    "SHUTOFF": "secondary",
    "SHELVED": "secondary",
    "SHELVED_OFFLOADED": "secondary",
    "VERIFY_RESIZE": "warning",
}


def task_words(task_state: str | None) -> str:
    return labels.words(labels.INSTANCE_TASK, task_state)


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
        return labels.words(labels.INSTANCE_STATUS, self.status)

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
        calls["images"] = lambda: images.list_image_names(conn, image_ids)
    if known_volumes is None and any((all_volumes or i.boots_from_volume) and i.volume_ids for i in instances):
        calls["volumes"] = lambda: volumes.list_all_volumes(conn)
    # names are a nicety: a failing Glance or Cinder leaves ids on the page, not an error
    found = concurrently(calls, services={"images": "image", "volumes": "volume"}, optional=tuple(calls))
    return name_sources(instances, found.get("images"), found.get("volumes", known_volumes))


def name_sources(instances: list[Instance], image_names, project_volumes) -> dict[str, volumes.Volume]:
    """Each instance's image named from `image_names` (id -> name), its boot volume found and named
    in `project_volumes` (the project's volumes); either may be None or the CloudError of its call
    (names are a nicety: the row then shows ids). Returns the volumes by id (fill_names' naming)."""
    names = image_names if isinstance(image_names, dict) else {}
    by_id = {v.id: v for v in project_volumes} if isinstance(project_volumes, list) else {}
    for inst in instances:
        inst.image_name = names.get(inst.image_id, "")
        if inst.boots_from_volume:
            inst.boot_volume_id, inst.boot_volume_name = _boot_volume(inst, by_id)
    return by_id


@translated("compute")
def list_instances(conn, params: ListParams, names: bool = True) -> Page:
    """A page of the project's instances with image and boot volume names: 1 Nova call, then at
    most 2 more at once (Glance names by the page's image ids, Cinder volumes when a row boots from
    one). Without `names`, the Nova call alone."""
    page = _server_page(conn, params).map(instance_from)
    if names:
        fill_names(conn, page.items)
    return page


@translated("compute")
def list_all_instances(conn, params: ListParams) -> Page:
    """A page of every project's instances (admin): one Nova request with all_tenants."""
    return _server_page(conn, params, all_projects=True).map(instance_from)


@translated("compute")
def list_server_names(conn) -> dict[str, str]:
    """{server id: name} of the project's instances, for pages of other resources that name the
    instances they point at: one Nova listing of ids and names (`GET /servers`, 1000 a page),
    whatever the number of rows to name (Nova does not filter a member's servers by several ids,
    and one GET per row would make the count depend on the rows)."""
    return {s["id"]: s.get("name") or "" for s in raw_list(conn, "compute", "/servers", "servers")}


# --- one instance -------------------------------------------------------------------------------


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def get_instance(conn, server_id: str, names: bool = True) -> Instance:
    inst = instance_from(conn.compute.get_server(server_id))
    if names:
        fill_names(conn, [inst])
    return inst


# --- for the live pollers: raw bodies, one request each ------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@translated("compute")
def list_changes_since(conn, since: datetime) -> tuple[list[dict], datetime]:
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


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def get_server_body(conn, server_id: str) -> dict:
    """One server's raw JSON body (``GET /servers/<id>``), as the changes-since listing gives it."""
    return raw_json(conn, "compute", f"/servers/{server_id}")["server"]
