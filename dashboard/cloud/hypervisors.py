"""Hypervisors, compute services, aggregates and availability zones (admin only).

Since compute microversion 2.88 Nova no longer reports a hypervisor's vCPU/RAM/disk figures;
Placement holds them. Placement has no call that returns every provider's inventory, so the
figures come from one `allocation_candidates` query, whose provider summaries give capacity and
usage of every provider that can still take a 1-vCPU allocation; only providers missing from it
(full, or without vCPUs) are then asked one by one.

Nova gives hypervisors and services whole: their pages (`page_of_hypervisors`, `list_services_page`) are cut
here from what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext_lazy as _

from .calls import concurrently, raw_json, translated
from .errors import CloudError
from .paging import ListParams, Page, whole_list_page

SERVICE_NOT_FOUND = _("The compute service was not found; it may have been deleted.")

COMPUTE_MICROVERSION = "2.88"
SERVICES_MICROVERSION = "2.53"
PLACEMENT_MICROVERSION = "1.29"  # provider summaries list all of a provider's resource classes
RESOURCE_CLASSES = ("VCPU", "MEMORY_MB", "DISK_GB")


@dataclass
class Resource:
    used: int = 0
    capacity: int = 0

    @property
    def percent(self) -> int:
        return 0 if not self.capacity else min(100, round(100 * self.used / self.capacity))


@dataclass
class Hypervisor:
    id: str
    hostname: str
    state: str
    status: str
    hypervisor_type: str
    host_ip: str
    service_host: str
    disabled_reason: str
    instances: int
    # every class of RESOURCE_CLASSES (zero until Placement's figures are known)
    resources: dict[str, Resource] = field(default_factory=lambda: {rc: Resource() for rc in RESOURCE_CLASSES})
    placement_missing: bool = False


def _capacity(inv: dict) -> int:
    return int((inv.get("total", 0) - inv.get("reserved", 0)) * inv.get("allocation_ratio", 1.0))


@translated("placement")
def list_resource_providers(conn) -> list[dict]:
    body = raw_json(conn, "placement", "/resource_providers", microversion=PLACEMENT_MICROVERSION)
    return body.get("resource_providers") or []


@translated("placement")
def list_capacity_summaries(conn) -> dict[str, dict]:
    """Placement's provider summaries of every provider that can take one more vCPU."""
    body = raw_json(conn, "placement", "/allocation_candidates?resources=VCPU:1", microversion=PLACEMENT_MICROVERSION)
    return body.get("provider_summaries") or {}


@translated("placement")
def get_placement_resources(conn, providers: list[dict], summaries: dict[str, dict]) -> dict[str, dict[str, Resource]]:
    """{provider uuid: {resource class: Resource}}; providers missing from the summaries are asked
    one by one (concurrently) - see the module docstring."""
    result: dict[str, dict[str, Resource]] = {
        uuid: {
            rc: Resource(used=v.get("used", 0), capacity=v.get("capacity", 0))
            for rc, v in (summary.get("resources") or {}).items()
        }
        for uuid, summary in summaries.items()
    }
    missing = [p["uuid"] for p in providers if p["uuid"] not in result]
    if missing:
        calls: dict[str, Any] = {}
        for uuid in missing:
            calls[f"inv:{uuid}"] = lambda u=uuid: raw_json(conn, "placement", f"/resource_providers/{u}/inventories")
            calls[f"use:{uuid}"] = lambda u=uuid: raw_json(conn, "placement", f"/resource_providers/{u}/usages")
        extra = concurrently(calls, services=dict.fromkeys(calls, "placement"))
        for uuid in missing:
            inventories = extra[f"inv:{uuid}"].get("inventories") or {}
            usages = extra[f"use:{uuid}"].get("usages") or {}
            result[uuid] = {
                rc: Resource(used=usages.get(rc, 0), capacity=_capacity(inv)) for rc, inv in inventories.items()
            }
    return result


@translated("compute")
def list_hypervisors(conn) -> dict:
    """Nova's hypervisors with the instances on each (the raw body)."""
    return raw_json(conn, "compute", "/os-hypervisors/detail?with_servers=true", microversion=COMPUTE_MICROVERSION)


def hypervisors_from(body: dict, placement: dict[str, dict[str, Resource]] | Exception) -> list[Hypervisor]:
    result = []
    for h in body.get("hypervisors") or []:
        service = h.get("service") or {}
        figures = None if isinstance(placement, Exception) else placement.get(h.get("id", ""))
        result.append(
            Hypervisor(
                id=h.get("id", ""),
                hostname=h.get("hypervisor_hostname", ""),
                state=h.get("state", ""),
                status=h.get("status", ""),
                hypervisor_type=h.get("hypervisor_type", ""),
                host_ip=h.get("host_ip", ""),
                service_host=service.get("host", ""),
                disabled_reason=service.get("disabled_reason") or "",
                instances=len(h.get("servers") or []),
                resources={rc: (figures or {}).get(rc, Resource()) for rc in RESOURCE_CLASSES},
                placement_missing=figures is None,
            )
        )
    return sorted(result, key=lambda h: h.hostname)


def _contains(text: str, part: str) -> bool:
    return not part or part.lower() in text.lower()


# the hypervisors list's orders and filters (dashboard/panels/hypervisors/lists.py declares them)
HYPERVISOR_SORT_KEYS = {
    "host": lambda h: (h.hostname.lower(), h.id),
    "vcpus": lambda h: (h.resources["VCPU"].percent, h.hostname),
    "ram": lambda h: (h.resources["MEMORY_MB"].percent, h.hostname),
    "disk": lambda h: (h.resources["DISK_GB"].percent, h.hostname),
    "instances": lambda h: (h.instances, h.hostname),
}


def hypervisor_matches(h: Hypervisor, filters: dict[str, str]) -> bool:
    """`host` contained in its host name (any case), `state` (up, down), `status` (enabled, disabled)."""
    return (
        _contains(h.hostname, filters.get("host", ""))
        and filters.get("state", h.state) == h.state
        and filters.get("status", h.status) == h.status
    )


def page_of_hypervisors(hypervisors: list[Hypervisor], params: ListParams) -> Page:
    """One page of the hypervisors read (`hosts`): no call."""
    return whole_list_page(hypervisors, params, sort_keys=HYPERVISOR_SORT_KEYS, matches=hypervisor_matches)


@dataclass
class ComputeService:
    """One of Nova's services (nova-compute on a host, the scheduler, the conductor...)."""

    id: str
    binary: str
    host: str
    zone: str = ""
    state: str = ""  # up, down
    status: str = ""  # enabled, disabled
    disabled_reason: str = ""
    forced_down: bool = False
    updated_at: datetime | None = None

    @property
    def switchable(self) -> bool:
        """Nova switches nova-compute services only."""
        return self.binary == "nova-compute"


def service_from(s: dict) -> ComputeService:
    updated = parse_datetime(s.get("updated_at") or "")
    return ComputeService(
        id=str(s.get("id", "")),
        binary=s.get("binary", ""),
        host=s.get("host", ""),
        zone=s.get("zone") or "",
        state=s.get("state", ""),
        status=s.get("status", ""),
        disabled_reason=s.get("disabled_reason") or "",
        forced_down=bool(s.get("forced_down")),
        # Nova writes UTC without saying so
        updated_at=make_aware(updated, UTC) if updated and is_naive(updated) else updated,
    )


@translated("compute")
def list_services(conn) -> list[ComputeService]:
    """Nova's services, by host then binary."""
    found = raw_json(conn, "compute", "/os-services", microversion=SERVICES_MICROVERSION).get("services") or []
    return sorted((service_from(s) for s in found), key=lambda s: (s.host, s.binary))


SERVICE_SORT_KEYS = {
    "host": lambda s: (s.host.lower(), s.binary, s.id),
    "binary": lambda s: (s.binary, s.host.lower(), s.id),
}


def service_matches(s: ComputeService, filters: dict[str, str]) -> bool:
    """`host` contained in its host name (any case), `state` (up, down), `status` (enabled, disabled)."""
    return (
        _contains(s.host, filters.get("host", ""))
        and filters.get("state", s.state) == s.state
        and filters.get("status", s.status) == s.status
    )


@translated("compute")
def list_services_page(conn, params: ListParams) -> Page:
    """One page of Nova's services (1 call: the list, cut here)."""
    return whole_list_page(list_services(conn), params, sort_keys=SERVICE_SORT_KEYS, matches=service_matches)


@translated("compute", not_found=SERVICE_NOT_FOUND)
def set_service_enabled(conn, service_id: str, enabled: bool, reason: str = "") -> ComputeService:
    body: dict[str, Any] = {"status": "enabled" if enabled else "disabled"}
    if not enabled and reason:
        body["disabled_reason"] = reason
    path = f"/os-services/{service_id}"
    found = raw_json(conn, "compute", path, method="put", json=body, microversion=SERVICES_MICROVERSION)
    return service_from({"id": service_id, **(found.get("service") or {})})


@translated("compute")
def list_aggregates(conn) -> list[dict]:
    return raw_json(conn, "compute", "/os-aggregates", microversion=SERVICES_MICROVERSION).get("aggregates") or []


@translated("compute")
def list_availability_zones(conn) -> list[dict]:
    """Zones with their hosts and the services on each."""
    zones = raw_json(conn, "compute", "/os-availability-zone/detail").get("availabilityZoneInfo") or []
    return [
        {
            "name": z.get("zoneName", ""),
            "available": (z.get("zoneState") or {}).get("available", False),
            "hosts": [
                {
                    "name": host,
                    "services": [
                        {"binary": binary, "available": s.get("available"), "active": s.get("active")}
                        for binary, s in sorted((services or {}).items())
                    ],
                }
                for host, services in sorted((z.get("hosts") or {}).items())
            ],
        }
        for z in zones
    ]


@dataclass
class Hosts:
    """The hypervisors with Placement's figures; a failing Placement leaves Nova's part shown."""

    hypervisors: list[Hypervisor]
    totals: dict[str, Resource]
    placement_error: CloudError | None = None

    @property
    def total_instances(self) -> int:
        return sum(h.instances for h in self.hypervisors)


@translated("compute")
def get_hosts(conn) -> Hosts:
    """Hypervisors with their vCPU, RAM and disk use: 3 calls at once (see the module docstring)."""
    found = concurrently(
        {
            "nova": lambda: list_hypervisors(conn),
            "providers": lambda: list_resource_providers(conn),
            "summaries": lambda: list_capacity_summaries(conn),
        },
        optional=("providers", "summaries"),
    )
    placement: dict | CloudError
    error = next((found[k] for k in ("providers", "summaries") if isinstance(found[k], CloudError)), None)
    if error is None:
        try:
            placement = get_placement_resources(conn, found["providers"], found["summaries"])
        except CloudError as exc:
            error = placement = exc
    else:
        placement = error
    hypervisors = hypervisors_from(found["nova"], placement)
    totals = {
        rc: Resource(
            used=sum(h.resources[rc].used for h in hypervisors),
            capacity=sum(h.resources[rc].capacity for h in hypervisors),
        )
        for rc in RESOURCE_CLASSES
    }
    return Hosts(hypervisors, totals, error)
