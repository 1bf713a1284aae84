"""Floating IPs, project-wide (Neutron): allocate, associate with an instance's port, release.

What a page costs: the list is one Neutron page of floating IPs, the ports they point at and the
instance names (3 calls, the last two at once); the associate form reads the project's instance
ports and names at once (2 calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actions import Action, catalogue
from .calls import concurrently, raw, raw_json, raw_list, translated
from .paging import ListParams, Page, marker_page

NETWORK = "network"
SORT_KEYS = {"address": "floating_ip_address", "status": "status"}

ACTIONS = catalogue(
    Action("associate", _("Associate"), "link-45deg", form=True),
    Action("disassociate", _("Disassociate"), "x-circle", confirm=_("Disassociate this floating IP?")),
    Action("release", _("Release"), "trash", confirm=_("Release this floating IP to the pool?"), danger=True),
)


@dataclass
class FloatingIPInfo:
    id: str
    address: str
    status: str = ""
    network_id: str = ""
    network_name: str = ""
    port_id: str = ""
    fixed_ip: str = ""
    device_id: str = ""
    device_name: str = ""
    project_id: str = ""

    @property
    def label(self) -> str:
        return self.address


def floating_ip_info_from(body: dict) -> FloatingIPInfo:
    return FloatingIPInfo(
        id=body["id"],
        address=body.get("floating_ip_address") or "",
        status=body.get("status") or "",
        network_id=body.get("floating_network_id") or "",
        port_id=body.get("port_id") or "",
        fixed_ip=body.get("fixed_ip_address") or "",
        # Neutron's fip-port-details: the port's device comes with the floating IP
        device_id=(body.get("port_details") or {}).get("device_id") or "",
        project_id=body.get("project_id") or body.get("tenant_id") or "",
    )


def allowed_actions(fip: FloatingIPInfo) -> list[str]:
    return ["disassociate", "release"] if fip.port_id else ["associate", "release"]


def offered(fip: FloatingIPInfo) -> list:
    return [ACTIONS[name] for name in allowed_actions(fip)]


def _names(conn, project_id: str) -> dict[str, Any]:
    """Instance id -> name, network id -> name: 2 calls at once (the port's instance comes with
    each floating IP, in Neutron's `port_details`, so the project's ports are not listed)."""
    found = concurrently(
        {
            "servers": lambda: raw_list(conn, "compute", "/servers", "servers"),
            "nets": lambda: raw_json(
                conn, NETWORK, "/networks", params={"router:external": "true", "fields": ["id", "name"]}
            )["networks"],
        },
        optional=("servers",),
    )
    servers = found["servers"] if isinstance(found["servers"], list) else []
    return {
        "server": {s["id"]: s.get("name") or "" for s in servers},
        "network": {n["id"]: n.get("name") or n["id"] for n in found["nets"]},
    }


def name_all(fips: list[FloatingIPInfo], names: dict[str, Any]) -> list[FloatingIPInfo]:
    for fip in fips:
        fip.network_name = names["network"].get(fip.network_id, fip.network_id)
        fip.device_id = fip.device_id if fip.port_id else ""
        fip.device_name = names["server"].get(fip.device_id, "")
    return fips


@translated(NETWORK)
def list_floating_ips(conn, project_id: str, params: ListParams) -> Page:
    """One page of the project's floating IPs, named (the page and the names at once: 3 calls)."""

    def fetch(limit: int, marker: str, direction: str):
        query: dict[str, Any] = {
            "project_id": project_id,
            "limit": limit,
            "sort_key": SORT_KEYS.get(params.sort, "floating_ip_address"),
            "sort_dir": direction,
        }
        if params.filter("address"):
            query["floating_ip_address"] = params.filter("address")
        if params.filter("status"):
            query["status"] = params.filter("status")
        if marker:
            query["marker"] = marker
        return raw_json(conn, NETWORK, "/floatingips", params=query).get("floatingips") or []

    found = concurrently({"page": lambda: marker_page(fetch, params), "names": lambda: _names(conn, project_id)})
    page = found["page"]
    fips = name_all([floating_ip_info_from(b) for b in page.items], found["names"])
    return Page(fips, page.next_marker, page.prev_before)


@translated(NETWORK, what=_("The floating IP"))
def get_floating_ip(conn, fip_id: str, project_id: str) -> FloatingIPInfo:
    found = concurrently(
        {
            "fip": lambda: raw_json(conn, NETWORK, f"/floatingips/{fip_id}")["floatingip"],
            "names": lambda: _names(conn, project_id),
        }
    )
    return name_all([floating_ip_info_from(found["fip"])], found["names"])[0]


@translated(NETWORK, what=_("The external network"))
def allocate(conn, network_id: str, address: str = "", subnet_id: str = "") -> str:
    body: dict[str, Any] = {"floating_network_id": network_id}
    if address:
        body["floating_ip_address"] = address
    if subnet_id:
        body["subnet_id"] = subnet_id
    return raw_json(conn, NETWORK, "/floatingips", method="post", json={"floatingip": body})["floatingip"][
        "floating_ip_address"
    ]


@translated(NETWORK, what=_("The floating IP or port"))
def associate(conn, fip_id: str, port_id: str, fixed_ip: str = "") -> None:
    body: dict[str, Any] = {"port_id": port_id}
    if fixed_ip:
        body["fixed_ip_address"] = fixed_ip
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="put", json={"floatingip": body})


@translated(NETWORK, what=_("The floating IP"))
def disassociate(conn, fip_id: str) -> None:
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="put", json={"floatingip": {"port_id": None}})


@translated(NETWORK, what=_("The floating IP"))
def release(conn, fip_id: str) -> None:
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="delete")


@translated(NETWORK)
def instance_targets(conn, project_id: str) -> list[tuple[str, str]]:
    """(port id|fixed ip, "instance: ip") for every fixed IP of the project's instance ports
    (2 calls at once), what a floating IP can be associated with."""
    found = concurrently(
        {
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params={"project_id": project_id})["ports"],
            "servers": lambda: raw_list(conn, "compute", "/servers", "servers"),
        }
    )
    names = {s["id"]: s.get("name") or s["id"] for s in found["servers"]}
    targets = [
        (f"{p['id']}|{ip['ip_address']}", f"{names.get(p['device_id'], p['device_id'])}: {ip['ip_address']}")
        for p in found["ports"]
        if (p.get("device_owner") or "").startswith("compute:")
        for ip in p.get("fixed_ips") or []
        if ":" not in ip.get("ip_address", "")  # floating IPs are IPv4
    ]
    return sorted(targets, key=lambda t: t[1].lower())


@translated(NETWORK)
def floating_ip_bodies(conn, project_id: str) -> list[dict]:
    """The project's floating IPs as plain dicts (for the live poller)."""
    return raw_list(conn, NETWORK, "/floatingips", "floatingips", {"project_id": project_id})
