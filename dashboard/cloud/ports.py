"""Ports (Neutron): an instance's ports as its pages show them, the free ones a launch offers, and
the network panels' ports (list, one, create, edit, delete).

What a page costs: an instance's ports with their floating IPs is one round of 2 Neutron calls one
after the other (`instance_ports_calls`; network names come from the server's own addresses); a
port list of a network or an instance is one call, plus the instance names (2 calls at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import instances
from .calls import concurrently, raw, raw_json, raw_list, translated
from .floatingips import FloatingIP, list_all_floating_ips

PORT_NOT_FOUND = _("The port was not found; it may have been deleted.")

NETWORK = "network"
# the fields the instance pages read of a port: Neutron sends only these (`fields=`), parsed as
# plain JSON, not as openstacksdk objects (at hundreds of rows, most of a page's time otherwise)
PORT_FIELDS = [
    "id",
    "network_id",
    "name",
    "mac_address",
    "status",
    "fixed_ips",
    "security_groups",
    "device_id",
    "device_owner",
    "project_id",
]


@dataclass
class Port:
    id: str
    network_id: str
    name: str = ""
    network_name: str = ""
    mac: str = ""
    status: str = ""
    fixed_ips: list[str] = field(default_factory=list)
    list_all_floating_ips: list[tuple[str, str]] = field(default_factory=list)  # (id, address)
    security_group_ids: list[str] = field(default_factory=list)
    device_id: str = ""
    device_owner: str = ""
    project_id: str = ""

    @property
    def label(self) -> str:
        return f"{self.name or self.id} ({', '.join(self.fixed_ips)})"


def port_from_json(p: dict) -> Port:
    return Port(
        id=p["id"],
        network_id=p.get("network_id") or "",
        name=p.get("name") or "",
        mac=p.get("mac_address") or "",
        status=p.get("status") or "",
        fixed_ips=[ip.get("ip_address", "") for ip in p.get("fixed_ips") or []],
        security_group_ids=list(p.get("security_groups") or []),
        device_id=p.get("device_id") or "",
        device_owner=p.get("device_owner") or "",
        project_id=p.get("project_id") or "",
    )


@translated(NETWORK)
def list_free_ports(conn, project_id: str = "") -> list[Port]:
    """The project's ports that no instance or router uses.

    With a project id, only that project's ports are asked for (and only those without an owner),
    so an administrator is not offered other projects' ports.
    """
    query = {"project_id": project_id, "device_owner": ""} if project_id else {}
    found = map(port_from_json, raw_list(conn, NETWORK, "/ports", "ports", {**query, "fields": PORT_FIELDS}))
    return [p for p in found if not p.device_id and not p.device_owner]


@translated(NETWORK)
def list_server_ports(conn, server_id: str) -> list[Port]:
    """An instance's ports (one Neutron call), without network names or floating IPs."""
    found = raw_list(conn, NETWORK, "/ports", "ports", {"device_id": server_id, "fields": PORT_FIELDS})
    return [port_from_json(p) for p in found]


@translated(NETWORK)
def list_port_bodies(conn, project_id: str) -> list[dict]:
    """Every port of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next)."""
    return [p.to_dict(computed=False) for p in conn.network.ports(project_id=project_id)]


def network_names_by_mac(addresses: dict) -> dict[str, str]:
    """{MAC: network name} out of a server's addresses as Nova lists them (each under its network's
    name, with its port's MAC): an instance's ports named without listing Neutron's networks, the
    slowest of its listings. `addresses`: {name: [objects or dicts with a `mac`]}."""
    names = {}
    for name, addrs in (addresses or {}).items():
        for a in addrs:
            mac = a.get("OS-EXT-IPS-MAC:mac_addr", "") if isinstance(a, dict) else getattr(a, "mac", "")
            if mac:
                names[mac] = name
    return names


@translated(NETWORK)
def list_instance_ports(conn, server_id: str, project_id: str = "") -> list[Port]:
    """The instance's ports with their floating IPs, 2 Neutron calls (for the actions on them;
    network names, which need the server's addresses, are left as the networks' ids)."""
    return named_ports(concurrently(instance_ports_calls(conn, server_id, project_id)), None)


@translated(NETWORK)  # builds the calls only; the convention holds for every public function
def instance_ports_calls(conn, server_id: str, project_id: str = "") -> dict:
    """The Neutron calls of `list_instance_ports`, for a page that reads the server beside them
    (`named_ports` puts the answers together): the instance's ports, then the floating IPs on them
    (of `project_id`, or of any project for an admin's ""). One call of the round, the two one
    after the other: Neutron filters floating IPs by port, so the second reads a few rows instead
    of every floating IP of the project (at scale that listing outlasted the server's read, which
    the page waits for anyway); none is asked for when the instance has no port."""

    def ports_and_fips() -> tuple[list[Port], list[FloatingIP]]:
        ports = list_server_ports(conn, server_id)
        return ports, list_all_floating_ips(conn, project_id, [p.id for p in ports]) if ports else []

    return {"ports": ports_and_fips}


def named_ports(found: dict, addresses: dict | None) -> list[Port]:
    """The instance's ports with their network names (from the server's `addresses`; the network's
    id where Nova does not list the port yet) and floating IPs, out of `instance_ports_calls`."""
    ports, fips = found["ports"]
    names = network_names_by_mac(addresses or {})
    for port in ports:
        port.network_name = names.get(port.mac, port.network_id)
        port.floating_ips = [(f.id, f.floating_ip_address) for f in fips if f.port_id == port.id]
    return ports


# --- the network panels' ports -------------------------------------------------------------------


@dataclass
class PortInfo:
    id: str
    name: str
    network_id: str
    status: str = ""
    admin_state_up: bool = True
    mac: str = ""
    fixed_ips: list[dict] = field(default_factory=list)  # [{"subnet_id", "ip_address"}]
    device_id: str = ""
    device_owner: str = ""
    security_group_ids: list[str] = field(default_factory=list)
    port_security: bool = True
    allowed_address_pairs: list[dict] = field(default_factory=list)
    project_id: str = ""
    device_name: str = ""  # the instance's name, when an instance uses it

    @property
    def addresses(self) -> list[str]:
        return [ip.get("ip_address", "") for ip in self.fixed_ips]

    @property
    def is_instance_port(self) -> bool:
        return self.device_owner.startswith("compute:")

    @property
    def label(self) -> str:
        return f"{self.name or self.id[:8]} ({', '.join(self.addresses)})"


def port_info_from(body: dict) -> PortInfo:
    return PortInfo(
        id=body["id"],
        name=body.get("name") or "",
        network_id=body.get("network_id") or "",
        status=body.get("status") or "",
        admin_state_up=bool(body.get("admin_state_up", True)),
        mac=body.get("mac_address") or "",
        fixed_ips=list(body.get("fixed_ips") or []),
        device_id=body.get("device_id") or "",
        device_owner=body.get("device_owner") or "",
        security_group_ids=list(body.get("security_groups") or []),
        port_security=bool(body.get("port_security_enabled", True)),
        allowed_address_pairs=list(body.get("allowed_address_pairs") or []),
        project_id=body.get("project_id") or body.get("tenant_id") or "",
    )


def name_devices(ports: list[PortInfo], names: dict[str, str]) -> list[PortInfo]:
    for port in ports:
        if port.is_instance_port:
            port.device_name = names.get(port.device_id, "")
    return ports


@translated(NETWORK)
def list_ports(conn, *, network_id: str = "", device_id: str = "") -> list[PortInfo]:
    """The ports of a network or of an instance, with instance names: 2 calls at once."""
    query = {"network_id": network_id} if network_id else {"device_id": device_id}
    found = concurrently(
        {
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params=query)["ports"],
            "names": lambda: instances.list_server_names(conn),
        },
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return name_devices([port_info_from(p) for p in found["ports"]], names)


@translated(NETWORK, not_found=PORT_NOT_FOUND)
def get_port(conn, port_id: str) -> PortInfo:
    return port_info_from(raw_json(conn, NETWORK, f"/ports/{port_id}")["port"])


def port_body(spec: dict) -> dict:
    """Neutron's port body from a form's cleaned port."""
    body: dict[str, Any] = {}
    for key in ("name", "admin_state_up"):
        if key in spec:
            body[key] = spec[key]
    if spec.get("fixed_ips"):
        body["fixed_ips"] = spec["fixed_ips"]
    if "port_security_enabled" in spec:
        body["port_security_enabled"] = spec["port_security_enabled"]
        if not spec["port_security_enabled"]:  # Neutron wants neither groups nor pairs then
            body["security_groups"] = []
            body["allowed_address_pairs"] = []
    if spec.get("security_groups") is not None and spec.get("port_security_enabled", True):
        body["security_groups"] = spec["security_groups"]
    if spec.get("allowed_address_pairs") is not None and spec.get("port_security_enabled", True):
        body["allowed_address_pairs"] = [{"ip_address": a} for a in spec["allowed_address_pairs"]]
    return body


@translated(NETWORK, not_found=PORT_NOT_FOUND)
def create_port(conn, network_id: str, spec: dict) -> str:
    body = {**port_body(spec), "network_id": network_id}
    return raw_json(conn, NETWORK, "/ports", method="post", json={"port": body})["port"]["id"]


@translated(NETWORK, not_found=PORT_NOT_FOUND)
def update_port(conn, port_id: str, spec: dict) -> None:
    raw(conn, NETWORK, f"/ports/{port_id}", method="put", json={"port": port_body(spec)})


@translated(NETWORK, not_found=PORT_NOT_FOUND)
def delete_port(conn, port_id: str) -> None:
    raw(conn, NETWORK, f"/ports/{port_id}", method="delete")
