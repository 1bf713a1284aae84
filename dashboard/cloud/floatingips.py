"""Floating IPs, project-wide (Neutron): allocate, associate with an instance's port, release.

What a page costs: the list is one Neutron page of floating IPs (1 call); the pools' and the
instances' names follow in the list's names part (`routers.external_names`, 1 call, and
`server_names`, one Nova listing of ids and names, made only when a row of the page is associated;
at once); the API's list reads the three at once. One floating IP (a live row, the forms) is the floating IP and the
network names at once, then its instance alone (GET /servers/{id}, when associated); the associate
form reads the project's instance ports and names at once (2 calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actions import Action, catalogue
from .calls import call, concurrently, raw, raw_json, raw_list, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page
from .routers import external_names

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


def name_all(
    fips: list[FloatingIPInfo], networks: dict[str, str], servers: dict[str, str] | None = None
) -> list[FloatingIPInfo]:
    """The pool's name from `networks` (id -> name), the instance's from `servers`; "" for what they
    do not name (the row shows the id); an instance's id is kept only while the floating IP is on a
    port."""
    for fip in fips:
        fip.network_name = networks.get(fip.network_id, "")
        fip.device_id = fip.device_id if fip.port_id else ""
        fip.device_name = (servers or {}).get(fip.device_id, "")
    return fips


@translated(NETWORK)
def list_floating_ips(conn, project_id: str, params: ListParams, names: bool = False) -> Page:
    """One page of the project's floating IPs (1 call). With `names` (the API) the pools' and the
    instances' names too, read at once with the page (3 calls; listing the project's servers costs
    more than the page); the list page has them follow in its names part (`routers.external_names`
    and `server_names`), so that it waits for Neutron's page alone."""

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

    calls = {"page": lambda: marker_page(fetch, params)}
    if names:
        calls.update(networks=lambda: external_names(conn), servers=lambda: server_names(conn))
    found = concurrently(calls, optional=("servers",))
    servers = found.get("servers")
    page = found["page"]
    fips = name_all(
        [floating_ip_info_from(b) for b in page.items],
        found.get("networks") or {},
        servers if isinstance(servers, dict) else {},
    )
    return Page(fips, page.next_marker, page.prev_before)


@translated("compute")
def server_names(conn) -> dict[str, str]:
    """Instance id -> name for the project's instances: one Nova listing of ids and names (one call
    up to 1000 instances), whatever the number of rows to name. Nova does not filter a member's
    servers by several ids, and one GET /servers/{id} per associated row would make the count
    depend on the rows (up to a page's 100)."""
    return {s["id"]: s.get("name") or "" for s in raw_list(conn, "compute", "/servers", "servers")}


def _server_name(conn, server_id: str) -> str:
    """The instance's name, "" when it cannot be read (a name is a nicety: the row shows the id)."""
    try:
        return call(lambda: raw_json(conn, "compute", f"/servers/{server_id}")["server"].get("name") or "", "compute")
    except CloudError:
        return ""


@translated(NETWORK, what=_("The floating IP"))
def get_floating_ip(conn, fip_id: str, project_id: str) -> FloatingIPInfo:
    """One floating IP, named: the floating IP and the network names at once, then its instance
    alone when it is associated (GET /servers/{id}; 2 or 3 calls, no listing of the servers)."""
    found = concurrently(
        {
            "fip": lambda: raw_json(conn, NETWORK, f"/floatingips/{fip_id}")["floatingip"],
            "names": lambda: external_names(conn),
        }
    )
    fip = name_all([floating_ip_info_from(found["fip"])], found["names"])[0]
    if fip.device_id:
        fip.device_name = _server_name(conn, fip.device_id)
    return fip


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
