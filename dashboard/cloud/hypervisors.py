"""Hypervisors, compute services, aggregates and availability zones (admin only).

Since compute microversion 2.88 Nova no longer reports a hypervisor's vCPU/RAM/disk figures;
Placement holds them. Placement has no call that returns every provider's inventory, so the
figures come from one `allocation_candidates` query, whose provider summaries give capacity and
usage of every provider that can still take a 1-vCPU allocation; only providers missing from it
(full, or without vCPUs) are then asked one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .calls import concurrently, raw_json, translated
from .errors import CloudError

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
    resources: dict[str, Resource] = field(default_factory=dict)
    placement_missing: bool = False


def _capacity(inv: dict) -> int:
    return int((inv.get("total", 0) - inv.get("reserved", 0)) * inv.get("allocation_ratio", 1.0))


@translated("placement")
def resource_providers(conn) -> list[dict]:
    body = raw_json(conn, "placement", "/resource_providers", microversion=PLACEMENT_MICROVERSION)
    return body.get("resource_providers") or []


@translated("placement")
def capacity_summaries(conn) -> dict[str, dict]:
    """Placement's provider summaries of every provider that can take one more vCPU."""
    body = raw_json(conn, "placement", "/allocation_candidates?resources=VCPU:1", microversion=PLACEMENT_MICROVERSION)
    return body.get("provider_summaries") or {}


@translated("placement")
def placement_resources(conn, providers: list[dict], summaries: dict[str, dict]) -> dict[str, dict[str, Resource]]:
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
def hypervisor_list(conn) -> dict:
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


@translated("compute")
def services(conn) -> list[dict]:
    return raw_json(conn, "compute", "/os-services", microversion=SERVICES_MICROVERSION).get("services") or []


@translated("compute", what=_("The compute service"))
def set_service_enabled(conn, service_id: str, enabled: bool, reason: str = "") -> dict:
    body: dict[str, Any] = {"status": "enabled" if enabled else "disabled"}
    if not enabled and reason:
        body["disabled_reason"] = reason
    path = f"/os-services/{service_id}"
    return raw_json(conn, "compute", path, method="put", json=body, microversion=SERVICES_MICROVERSION).get(
        "service", {}
    )


@translated("compute")
def aggregates(conn) -> list[dict]:
    return raw_json(conn, "compute", "/os-aggregates", microversion=SERVICES_MICROVERSION).get("aggregates") or []


@translated("compute")
def availability_zones(conn) -> list[dict]:
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
def hosts(conn) -> Hosts:
    """Hypervisors with their vCPU, RAM and disk use: 3 calls at once (see the module docstring)."""
    found = concurrently(
        {
            "nova": lambda: hypervisor_list(conn),
            "providers": lambda: resource_providers(conn),
            "summaries": lambda: capacity_summaries(conn),
        },
        optional=("providers", "summaries"),
    )
    placement: dict | CloudError
    error = next((found[k] for k in ("providers", "summaries") if isinstance(found[k], CloudError)), None)
    if error is None:
        try:
            placement = placement_resources(conn, found["providers"], found["summaries"])
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
