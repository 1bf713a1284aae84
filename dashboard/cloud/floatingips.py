"""Floating IPs (Neutron): the project's list, one, allocate, associate with a port, disassociate,
release; and the lighter listing an instance's pages read (`list_all_floating_ips`, `FloatingIP`).

What a page costs: the list is one Neutron page of floating IPs, the pools' names
(`routers.list_external_network_names`, 1 call) and the instances' (`instances.list_server_names`,
one Nova listing of ids and names), all at once whatever the rows (the list page adds the quota,
4 calls at once); the API's list reads the three at once. One floating IP (a live row, the forms)
is the floating IP and the network names at once, then its instance alone (GET /servers/{id},
when associated); the associate form reads the project's instance ports and names at once (2
calls). A failing names call leaves ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import instances
from .actions import Action, catalogue
from .calls import call, concurrently, raw, raw_json, raw_list, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page
from .routers import list_external_network_names

FLOATING_IP_NOT_FOUND = _("The floating IP was not found; it may have been deleted.")
EXTERNAL_NETWORK_NOT_FOUND = _("The external network was not found; it may have been deleted.")
FLOATING_IP_OR_PORT_NOT_FOUND = _("The floating IP or the port was not found; it may have been deleted.")

NETWORK = "network"
SORT_KEYS = {"address": "floating_ip_address", "status": "status"}

ACTIONS = catalogue(
    Action("associate", _("Associate"), "link-45deg", form=True),
    Action(
        "disassociate",
        _("Disassociate"),
        "x-circle",
        confirm=_("Disassociate this floating IP?"),
        done=_("The floating IP %(subject)s is no longer associated."),
    ),
    Action(
        "release",
        _("Release"),
        "trash",
        confirm=_("Release this floating IP to the pool?"),
        danger=True,
        done=_("The floating IP %(subject)s was released."),
    ),
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


def name_all(fips: list[FloatingIPInfo], networks, servers=None) -> list[FloatingIPInfo]:
    """The pool's name from `networks` (id -> name), the instance's from `servers`; "" for what they
    do not name, or when their listing failed (None or its CloudError): the row shows the id. An
    instance's id is kept only while the floating IP is on a port."""
    networks = networks if isinstance(networks, dict) else {}
    servers = servers if isinstance(servers, dict) else {}
    for fip in fips:
        fip.network_name = networks.get(fip.network_id, "")
        fip.device_id = fip.device_id if fip.port_id else ""
        fip.device_name = servers.get(fip.device_id, "")
    return fips


@translated(NETWORK)
def list_floating_ips(conn, project_id: str, params: ListParams, names: bool = False) -> Page:
    """One page of the project's floating IPs (1 call). With `names` (the API) the pools' and the
    instances' names too, read at once with the page (3 calls); the list page makes those calls
    itself, beside this one (ui.rows.list_page's `also`), with the quota."""

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
        calls.update(
            networks=lambda: list_external_network_names(conn), servers=lambda: instances.list_server_names(conn)
        )
    found = concurrently(calls, optional=("networks", "servers"))
    page = found["page"]
    fips = name_all([floating_ip_info_from(b) for b in page.items], found.get("networks"), found.get("servers"))
    return Page(fips, page.next_marker, page.prev_before)


def _server_name(conn, server_id: str) -> str:
    """The instance's name, "" when it cannot be read (a name is a nicety: the row shows the id)."""
    try:
        return call(lambda: raw_json(conn, "compute", f"/servers/{server_id}")["server"].get("name") or "", "compute")
    except CloudError:
        return ""


@translated(NETWORK, not_found=FLOATING_IP_NOT_FOUND)
def get_floating_ip(conn, fip_id: str, project_id: str) -> FloatingIPInfo:
    """One floating IP, named: the floating IP and the network names at once, then its instance
    alone when it is associated (GET /servers/{id}; 2 or 3 calls, no listing of the servers)."""
    found = concurrently(
        {
            "fip": lambda: raw_json(conn, NETWORK, f"/floatingips/{fip_id}")["floatingip"],
            "names": lambda: list_external_network_names(conn),
        },
        optional=("names",),
    )
    fip = name_all([floating_ip_info_from(found["fip"])], found["names"])[0]
    if fip.device_id:
        fip.device_name = _server_name(conn, fip.device_id)
    return fip


@translated(NETWORK, not_found=EXTERNAL_NETWORK_NOT_FOUND)
def allocate_floating_ip(conn, network_id: str, address: str = "", subnet_id: str = "") -> str:
    body: dict[str, Any] = {"floating_network_id": network_id}
    if address:
        body["floating_ip_address"] = address
    if subnet_id:
        body["subnet_id"] = subnet_id
    return raw_json(conn, NETWORK, "/floatingips", method="post", json={"floatingip": body})["floatingip"][
        "floating_ip_address"
    ]


@translated(NETWORK, not_found=FLOATING_IP_OR_PORT_NOT_FOUND)
def associate_floating_ip(conn, fip_id: str, port_id: str, fixed_ip: str = "") -> None:
    body: dict[str, Any] = {"port_id": port_id}
    if fixed_ip:
        body["fixed_ip_address"] = fixed_ip
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="put", json={"floatingip": body})


@translated(NETWORK, not_found=FLOATING_IP_NOT_FOUND)
def release_floating_ip(conn, fip_id: str) -> None:
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="delete")


@translated(NETWORK)
def list_association_targets(conn, project_id: str) -> list[tuple[str, str]]:
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
def list_floating_ip_bodies(conn, project_id: str) -> list[dict]:
    """The project's floating IPs as plain dicts (for the live poller)."""
    return raw_list(conn, NETWORK, "/floatingips", "floatingips", {"project_id": project_id})


# --- the floating IPs of an instance's ports (its pages and forms) -------------------------------

FLOATING_IP_FIELDS = [
    "id",
    "floating_ip_address",
    "port_id",
    "fixed_ip_address",
    "floating_network_id",
    "project_id",
    "status",
]


@dataclass
class FloatingIP:
    id: str
    floating_ip_address: str
    port_id: str = ""
    fixed_ip_address: str = ""
    floating_network_id: str = ""
    project_id: str = ""
    status: str = ""


def floating_ip_from_json(f: dict) -> FloatingIP:
    return FloatingIP(
        id=f["id"],
        floating_ip_address=f.get("floating_ip_address") or "",
        port_id=f.get("port_id") or "",
        fixed_ip_address=f.get("fixed_ip_address") or "",
        floating_network_id=f.get("floating_network_id") or "",
        project_id=f.get("project_id") or "",
        status=f.get("status") or "",
    )


@translated(NETWORK)
def list_all_floating_ips(conn, project_id: str = "", port_ids: list[str] | None = None) -> list[FloatingIP]:
    """Floating IPs; with a project id only that project's (an admin token sees every project's);
    with port ids only those on these ports (one call whatever their number)."""
    query: dict = {"project_id": project_id} if project_id else {}
    if port_ids is not None:
        query["port_id"] = list(port_ids)
    return [
        floating_ip_from_json(f)
        for f in raw_list(conn, NETWORK, "/floatingips", "floatingips", {**query, "fields": FLOATING_IP_FIELDS})
    ]


@translated(NETWORK, not_found=FLOATING_IP_NOT_FOUND)
def add_floating_ip_to_port(conn, port_id: str, fixed_ip: str, floating_ip_id: str = "", pool_id: str = "") -> str:
    """Give a port's fixed IP a floating IP: the chosen free one, or a new one from the pool."""
    if not floating_ip_id:
        floating_ip_id = conn.network.create_ip(floating_network_id=pool_id).id
    fip = conn.network.update_ip(floating_ip_id, port_id=port_id, fixed_ip_address=fixed_ip or None)
    return fip.floating_ip_address


@translated(NETWORK, not_found=FLOATING_IP_NOT_FOUND)
def disassociate_floating_ip(conn, fip_id: str) -> None:
    """Take the floating IP off its port (it stays the project's)."""
    raw(conn, NETWORK, f"/floatingips/{fip_id}", method="put", json={"floatingip": {"port_id": None}})
