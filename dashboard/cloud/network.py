"""Networks, ports, floating IPs and security groups (Neutron) as Zenith shows them.

The network panels will live here; today: what an instance's interfaces tab and its floating-IP,
interface and security-group forms need, each a fixed number of Neutron calls made at once, and the
networks, free ports and security groups a launch offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .calls import concurrently, raw_list, translated

NETWORK = "network"

# the fields a page reads of each kind: Neutron sends only these (`fields=`), and they are parsed as
# plain JSON, not as openstacksdk objects (at hundreds of rows, most of a page's time otherwise)
NETWORK_FIELDS = ["id", "name", "router:external", "shared", "status", "project_id", "subnets"]
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
FLOATING_IP_FIELDS = [
    "id",
    "floating_ip_address",
    "port_id",
    "fixed_ip_address",
    "floating_network_id",
    "project_id",
    "status",
]
SECURITY_GROUP_FIELDS = ["id", "name", "description", "project_id"]  # not the rules


def _listing(conn, path: str, key: str, fields: list[str], **filters) -> list[dict]:
    """One Neutron listing (all pages) of just these fields, as plain JSON."""
    return raw_list(conn, NETWORK, path, key, {**filters, "fields": fields})


@dataclass
class Network:
    id: str
    name: str
    is_router_external: bool = False
    is_shared: bool = False
    status: str = ""
    project_id: str = ""
    subnet_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass
class FloatingIP:
    id: str
    floating_ip_address: str
    port_id: str = ""
    fixed_ip_address: str = ""
    floating_network_id: str = ""
    project_id: str = ""
    status: str = ""


def network_from_json(n: dict) -> Network:
    return Network(
        id=n["id"],
        name=n.get("name") or "",
        is_router_external=bool(n.get("router:external")),
        is_shared=bool(n.get("shared")),
        status=n.get("status") or "",
        project_id=n.get("project_id") or "",
        subnet_ids=list(n.get("subnets") or []),
    )


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


@dataclass
class Port:
    id: str
    network_id: str
    name: str = ""
    network_name: str = ""
    mac: str = ""
    status: str = ""
    fixed_ips: list[str] = field(default_factory=list)
    floating_ips: list[tuple[str, str]] = field(default_factory=list)  # (id, address)
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


@dataclass
class SecurityGroup:
    id: str
    name: str
    description: str = ""
    project_id: str = ""


def security_group_from_json(g: dict) -> SecurityGroup:
    return SecurityGroup(
        id=g["id"],
        name=g.get("name") or "",
        description=g.get("description") or "",
        project_id=g.get("project_id") or "",
    )


@translated(NETWORK)
def networks(conn, project_id: str = "") -> list[Network]:
    """The networks the project sees (its own, shared and external ones), by name."""
    found = [network_from_json(n) for n in _listing(conn, "/networks", "networks", NETWORK_FIELDS)]
    if project_id:
        found = [n for n in found if n.project_id == project_id or n.is_shared or n.is_router_external]
    return sorted(found, key=lambda n: (n.name.lower(), n.id))


@translated(NETWORK)
def own_networks(conn, project_id: str) -> list[Network]:
    """The project's own networks (one Neutron call; an administrator's other projects left out)."""
    found = _listing(conn, "/networks", "networks", NETWORK_FIELDS, project_id=project_id)
    return [network_from_json(n) for n in found]


@translated(NETWORK)
def shared_networks(conn) -> list[Network]:
    """The networks shared with every project (one Neutron call)."""
    return [network_from_json(n) for n in _listing(conn, "/networks", "networks", NETWORK_FIELDS, shared="true")]


@translated(NETWORK)
def launch_networks(conn, project_id: str, sees_every_project: bool = True) -> list[Network]:
    """The networks an instance of the project can be put on: its own and the shared ones, by name.

    A member's listing holds exactly those (and the external ones, left out here): one call. An
    administrator's would hold every project's networks, so the two sets are asked for instead (2
    calls at once). The result is filtered the same way in both cases; `sees_every_project` only
    chooses the cheaper way to get it.
    """
    if sees_every_project:
        found = concurrently({"own": lambda: own_networks(conn, project_id), "shared": lambda: shared_networks(conn)})
        candidates = [*found["own"], *found["shared"]]
    else:
        candidates = [network_from_json(n) for n in _listing(conn, "/networks", "networks", NETWORK_FIELDS)]
    unique = {n.id: n for n in candidates if n.project_id == project_id or n.is_shared}
    return sorted(unique.values(), key=lambda n: (n.name.lower(), n.id))


@translated(NETWORK)
def free_ports(conn, project_id: str = "") -> list[Port]:
    """The project's ports that no instance or router uses.

    With a project id, only that project's ports are asked for (and only those without an owner),
    so an administrator is not offered other projects' ports.
    """
    query = {"project_id": project_id, "device_owner": ""} if project_id else {}
    found = map(port_from_json, _listing(conn, "/ports", "ports", PORT_FIELDS, **query))
    return [p for p in found if not p.device_id and not p.device_owner]


@translated(NETWORK)
def server_ports(conn, server_id: str) -> list[Port]:
    """An instance's ports (one Neutron call), without network names or floating IPs."""
    return [port_from_json(p) for p in _listing(conn, "/ports", "ports", PORT_FIELDS, device_id=server_id)]


@translated(NETWORK)
def port_bodies(conn, project_id: str) -> list[dict]:
    """Every port of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next)."""
    return [p.to_dict(computed=False) for p in conn.network.ports(project_id=project_id)]


@translated(NETWORK)
def floating_ips(conn, project_id: str = "", port_ids: list[str] | None = None) -> list[FloatingIP]:
    """Floating IPs; with a project id only that project's (an admin token sees every project's);
    with port ids only those on these ports (one call whatever their number)."""
    query: dict = {"project_id": project_id} if project_id else {}
    if port_ids is not None:
        query["port_id"] = list(port_ids)
    return [
        floating_ip_from_json(f) for f in _listing(conn, "/floatingips", "floatingips", FLOATING_IP_FIELDS, **query)
    ]


@translated(NETWORK)
def security_groups(conn, project_id: str = "") -> list[SecurityGroup]:
    """Security groups by name; with a project id, only that project's (Neutron shows admins all)."""
    query = {"project_id": project_id} if project_id else {}
    found = map(
        security_group_from_json, _listing(conn, "/security-groups", "security_groups", SECURITY_GROUP_FIELDS, **query)
    )
    return sorted(found, key=lambda g: g.name.lower())


@translated(NETWORK)
def external_networks(conn) -> list[Network]:
    """The external networks (floating IP pools), one Neutron call."""
    found = _listing(conn, "/networks", "networks", NETWORK_FIELDS, **{"router:external": "true"})
    return sorted(map(network_from_json, found), key=lambda n: (n.name.lower(), n.id))


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
def instance_ports(conn, server_id: str, project_id: str = "") -> list[Port]:
    """The instance's ports with their floating IPs, 2 Neutron calls (for the actions on them;
    network names, which need the server's addresses, are left as the networks' ids)."""
    return named_ports(concurrently(instance_ports_calls(conn, server_id, project_id)), None)


@translated(NETWORK)  # builds the calls only; the convention holds for every public function
def instance_ports_calls(conn, server_id: str, project_id: str = "") -> dict:
    """The Neutron calls of `instance_ports`, for a page that reads the server beside them
    (`named_ports` puts the answers together): the instance's ports, then the floating IPs on them
    (of `project_id`, or of any project for an admin's ""). One call of the round, the two one
    after the other: Neutron filters floating IPs by port, so the second reads a few rows instead
    of every floating IP of the project (at scale that listing outlasted the server's read, which
    the page waits for anyway); none is asked for when the instance has no port."""

    def ports_and_fips() -> tuple[list[Port], list[FloatingIP]]:
        ports = server_ports(conn, server_id)
        return ports, floating_ips(conn, project_id, [p.id for p in ports]) if ports else []

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


@translated(NETWORK, what=_("The floating IP"))
def associate_floating_ip(conn, port_id: str, fixed_ip: str, floating_ip_id: str = "", pool_id: str = "") -> str:
    """Give a port's fixed IP a floating IP: the chosen free one, or a new one from the pool."""
    if not floating_ip_id:
        floating_ip_id = conn.network.create_ip(floating_network_id=pool_id).id
    fip = conn.network.update_ip(floating_ip_id, port_id=port_id, fixed_ip_address=fixed_ip or None)
    return fip.floating_ip_address


@translated(NETWORK, what=_("The floating IP"))
def disassociate_floating_ip(conn, floating_ip_id: str) -> None:
    conn.network.update_ip(floating_ip_id, port_id=None)
