"""Per-project quotas of Nova, Cinder and Neutron: limits with current usage, and updates; and the
limits a launch is checked against (`get_compute_limits`, `get_volume_limits`).

Reads use each service's usage view (Nova `/os-quota-sets/{id}/detail`, Cinder `?usage=True`,
Neutron `/quotas/{id}/details`), so one call per service gives limit, in use and reserved.
Updates send only the changed limits; a service that refuses (a limit below usage) raises its own
reason, which `field_of_refusal` ties back to the resource it names. -1 means unlimited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openstack.connection import Connection

from .calls import raw, raw_check, raw_json, translated
from .identity import PROJECT_NOT_FOUND

UNLIMITED = -1
NOVA_MICROVERSION = "2.57"  # 2.57 dropped the injected-file and network quotas

# service -> [(resource as the service names it, label)]
RESOURCES: dict[str, list[tuple[str, str]]] = {
    "compute": [
        ("instances", _("Instances")),
        ("cores", _("vCPUs")),
        ("ram", _("RAM (MiB)")),
        ("key_pairs", _("Key pairs (per user)")),
        ("server_groups", _("Server groups")),
        ("server_group_members", _("Server group members")),
        ("metadata_items", _("Metadata items")),
    ],
    "volume": [
        ("volumes", _("Volumes")),
        ("gigabytes", _("Volume storage (GiB)")),
        ("snapshots", _("Snapshots")),
        ("backups", _("Backups")),
        ("backup_gigabytes", _("Backup storage (GiB)")),
    ],
    "network": [
        ("network", _("Networks")),
        ("subnet", _("Subnets")),
        ("port", _("Ports")),
        ("router", _("Routers")),
        ("floatingip", _("Floating IPs")),
        ("security_group", _("Security groups")),
        ("security_group_rule", _("Security group rules")),
    ],
}
SERVICE_TITLES = {
    "compute": _("Compute (Nova)"),
    "volume": _("Block Storage (Cinder)"),
    "network": _("Network (Neutron)"),
}


@dataclass
class QuotaItem:
    service: str
    resource: str
    label: str
    limit: int
    in_use: int = 0
    reserved: int = 0

    @property
    def key(self) -> str:
        """The form field name: service and resource."""
        return f"{self.service}-{self.resource}"

    @property
    def minimum(self) -> int:
        """The lowest limit the service accepts: what is used and reserved now."""
        return self.in_use + self.reserved

    @property
    def unlimited(self) -> bool:
        return self.limit == UNLIMITED

    @property
    def percent(self) -> int:
        if self.limit in (UNLIMITED, 0):
            return 0
        return min(100, round(100 * self.in_use / self.limit))


def below_usage(item: QuotaItem, new_limit: int) -> bool:
    return new_limit != UNLIMITED and new_limit < item.minimum


def _items(service: str, body: dict, used_key: str) -> list[QuotaItem]:
    items = []
    for resource, label in RESOURCES[service]:
        entry = body.get(resource)
        if not isinstance(entry, dict):
            continue  # this deployment does not know the resource
        items.append(
            QuotaItem(
                service=service,
                resource=resource,
                label=label,
                limit=int(entry.get("limit", UNLIMITED)),
                in_use=int(entry.get(used_key) or 0),
                reserved=int(entry.get("reserved") or 0),
            )
        )
    return items


@translated("compute", not_found=PROJECT_NOT_FOUND)
def get_compute_quotas(conn: Connection, project_id: str) -> list[QuotaItem]:
    body = raw_json(conn, "compute", f"/os-quota-sets/{project_id}/detail", microversion=NOVA_MICROVERSION)
    return _items("compute", body["quota_set"], "in_use")


@translated("volume", not_found=PROJECT_NOT_FOUND)
def get_volume_quotas(conn: Connection, project_id: str) -> list[QuotaItem]:
    body = raw_json(conn, "volume", f"/os-quota-sets/{project_id}?usage=True")
    return _items("volume", body["quota_set"], "in_use")


@translated("network", not_found=PROJECT_NOT_FOUND)
def get_network_quotas(conn: Connection, project_id: str) -> list[QuotaItem]:
    return _items("network", raw_json(conn, "network", f"/quotas/{project_id}/details")["quota"], "used")


QUOTA_READERS = {"compute": get_compute_quotas, "volume": get_volume_quotas, "network": get_network_quotas}


@translated("compute", not_found=PROJECT_NOT_FOUND)
def update_compute_quotas(conn: Connection, project_id: str, limits: dict[str, int]) -> None:
    # no "force": Nova itself refuses a limit below what is used and reserved
    path = f"/os-quota-sets/{project_id}"
    raw(conn, "compute", path, method="put", json={"quota_set": limits}, microversion=NOVA_MICROVERSION)


@translated("volume", not_found=PROJECT_NOT_FOUND)
def update_volume_quotas(conn: Connection, project_id: str, limits: dict[str, int]) -> None:
    raw(conn, "volume", f"/os-quota-sets/{project_id}", method="put", json={"quota_set": limits})


@translated("network", not_found=PROJECT_NOT_FOUND)
def update_network_quotas(conn: Connection, project_id: str, limits: dict[str, int]) -> None:
    # check_limit (quota-check-limit extension) makes Neutron refuse a limit below usage too;
    # a Neutron without the extension does not know the attribute: send the limits alone then
    response = conn.network.put(f"/quotas/{project_id}", json={"quota": {**limits, "check_limit": True}})
    if response.status_code == 400 and "check_limit" in response.text:
        raw(conn, "network", f"/quotas/{project_id}", method="put", json={"quota": limits})
    else:
        raw_check(response)


QUOTA_WRITERS = {"compute": update_compute_quotas, "volume": update_volume_quotas, "network": update_network_quotas}


def field_of_refusal(message: str, resources: list[str]) -> str | None:
    """The resource a service's refusal is about: the first of `resources` the message names.

    Nova: "Quota limit 0 for instances must be greater than or equal to already used and reserved 1."
    Cinder: "Quota volumes limit must be equal or greater than existing resources."
    """
    found = []
    for resource in resources:
        match = re.search(rf"(?<![\w-]){re.escape(resource)}(?![\w-])", message)
        if match:
            found.append((match.start(), resource))
    return min(found)[1] if found else None


# --- the project's limits as a launch reads them ------------------------------------------------
# Nova's and Cinder's `/limits`: the token's own project, no id to give; one call each.


def _int(value: Any, default: int = UNLIMITED) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass
class ComputeLimits:
    """The project's Nova figures a launch is checked against (max -1: unlimited)."""

    instances_used: int = 0
    instances_max: int = UNLIMITED
    cores_used: int = 0
    cores_max: int = UNLIMITED
    ram_used: int = 0  # MiB
    ram_max: int = UNLIMITED  # MiB


def compute_limits_from(limits: Any) -> ComputeLimits:
    a = limits.absolute
    return ComputeLimits(
        instances_used=_int(a.instances_used, 0),
        instances_max=_int(a.instances),
        cores_used=_int(a.total_cores_used, 0),
        cores_max=_int(a.total_cores),
        ram_used=_int(a.total_ram_used, 0),
        ram_max=_int(a.total_ram),
    )


@dataclass
class VolumeLimits:
    """The project's Cinder figures a launch onto new volumes is checked against (max -1: unlimited)."""

    volumes_used: int = 0
    volumes_max: int = UNLIMITED
    gigabytes_used: int = 0
    gigabytes_max: int = UNLIMITED


def volume_limits_from(limits: Any) -> VolumeLimits:
    a = limits.absolute
    return VolumeLimits(
        volumes_used=_int(a.total_volumes_used, 0),
        volumes_max=_int(a.max_total_volumes),
        gigabytes_used=_int(a.total_gigabytes_used, 0),
        gigabytes_max=_int(a.max_total_volume_gigabytes),
    )


@translated("compute")
def get_compute_limits(conn: Connection) -> ComputeLimits:
    return compute_limits_from(conn.compute.get_limits())


@translated("volume")
def get_volume_limits(conn: Connection) -> VolumeLimits:
    return volume_limits_from(conn.block_storage.get_limits())
