"""The network panels' networks, subnets and ports (Neutron), read as raw JSON.

`dashboard.cloud.network` keeps what the instances pages need; this module is what the networks
pages need. What a page costs:
- the networks list: one Neutron page of networks, then the subnets of those networks in one call
  (2 calls, whatever the number of rows);
- a network's detail: the network, its subnets, its ports and the project's instance names, at once
  (4 calls);
- a port list (per network or per instance): one call, plus the instance names (2 calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actions import Action, catalogue
from .calls import concurrently, raw, raw_json, raw_list, translated
from .paging import ListParams, Page, marker_page

NETWORK = "network"
SORT_KEYS = {"name": "name", "status": "status"}
# the "show" filter: whose networks a list shows (Neutron shows an administrator every project's,
# so the default asks for the current project's only)
SHOW_CHOICES = (("external", _("External")), ("shared", _("Shared")))

ACTIONS = catalogue(
    Action("edit", _("Edit"), "pencil", form=True),
    Action("create_subnet", _("Add subnet"), "plus-lg", form=True),
    Action("create_port", _("Create port"), "plug", form=True),
    Action("delete", _("Delete"), "trash", confirm=_("Delete this network and its subnets?"), danger=True),
)


@dataclass
class Subnet:
    id: str
    name: str
    network_id: str
    cidr: str
    ip_version: int = 4
    gateway_ip: str = ""
    enable_dhcp: bool = True
    allocation_pools: list[dict] = field(default_factory=list)
    dns_nameservers: list[str] = field(default_factory=list)
    host_routes: list[dict] = field(default_factory=list)
    subnetpool_id: str = ""
    project_id: str = ""

    @property
    def label(self) -> str:
        return f"{self.name or self.id[:8]} ({self.cidr})"


def subnet_from(body: dict) -> Subnet:
    return Subnet(
        id=body["id"],
        name=body.get("name") or "",
        network_id=body.get("network_id") or "",
        cidr=body.get("cidr") or "",
        ip_version=body.get("ip_version") or 4,
        gateway_ip=body.get("gateway_ip") or "",
        enable_dhcp=bool(body.get("enable_dhcp")),
        allocation_pools=list(body.get("allocation_pools") or []),
        dns_nameservers=list(body.get("dns_nameservers") or []),
        host_routes=list(body.get("host_routes") or []),
        subnetpool_id=body.get("subnetpool_id") or "",
        project_id=body.get("project_id") or body.get("tenant_id") or "",
    )


@dataclass
class NetworkInfo:
    id: str
    name: str
    status: str = ""
    admin_state_up: bool = True
    shared: bool = False
    external: bool = False
    availability_zones: list[str] = field(default_factory=list)
    subnet_ids: list[str] = field(default_factory=list)
    subnets: list[Subnet] = field(default_factory=list)
    project_id: str = ""
    mtu: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


def network_info_from(body: dict) -> NetworkInfo:
    return NetworkInfo(
        id=body["id"],
        name=body.get("name") or "",
        status=body.get("status") or "",
        admin_state_up=bool(body.get("admin_state_up", True)),
        shared=bool(body.get("shared")),
        external=bool(body.get("router:external")),
        availability_zones=list(body.get("availability_zones") or []),
        subnet_ids=list(body.get("subnets") or []),
        project_id=body.get("project_id") or body.get("tenant_id") or "",
        mtu=body.get("mtu"),
    )


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


def network_query(params: ListParams, project_id: str) -> dict[str, Any]:
    """Neutron's query for a networks list page (without paging)."""
    query: dict[str, Any] = {}
    show = params.filter("show")
    if show == "external":
        query["router:external"] = "true"
    elif show == "shared":
        query["shared"] = "true"
    else:
        query["project_id"] = project_id
    if params.filter("name"):
        query["name"] = params.filter("name")
    return query


def _neutron_page(conn, path: str, key: str, query: dict, params: ListParams) -> Page:
    def fetch(limit: int, marker: str, direction: str):
        page_query = {**query, "limit": limit, "sort_key": SORT_KEYS.get(params.sort, "name"), "sort_dir": direction}
        if marker:
            page_query["marker"] = marker
        return raw_json(conn, NETWORK, path, params=page_query).get(key) or []

    return marker_page(fetch, params)


# what a list row shows of a subnet: Neutron answers a listing limited to these fields in about
# half the time of a full one (19 KB for 31 subnets here, 5 KB with these)
ROW_SUBNET_FIELDS = ("id", "name", "cidr", "network_id", "ip_version")


@translated(NETWORK)
def networks_page(conn, project_id: str, params: ListParams) -> Page:
    """One page of networks with their subnets' ids but not the subnets: one Neutron call (the
    list page reads its rows' subnets after it, `subnets_on`)."""
    page = _neutron_page(conn, "/networks", "networks", network_query(params, project_id), params)
    return Page([network_info_from(b) for b in page.items], page.next_marker, page.prev_before)


@translated(NETWORK)
def subnets_on(conn, network_ids: list[str], fields: tuple[str, ...] = ROW_SUBNET_FIELDS) -> dict[str, list[Subnet]]:
    """The subnets the user may see on these networks (a page's: at most a hundred), by network id:
    one Neutron call, whoever owns each subnet."""
    if not network_ids:
        return {}
    body = raw_json(conn, NETWORK, "/subnets", params={"network_id": list(network_ids), "fields": list(fields)})
    found: dict[str, list[Subnet]] = {nid: [] for nid in network_ids}
    for row in body.get("subnets") or []:
        subnet = subnet_from(row)
        if subnet.network_id in found:
            found[subnet.network_id].append(subnet)
    return found


@translated(NETWORK)
def list_networks(conn, project_id: str, params: ListParams) -> Page:
    """One page of networks with their subnets: 2 Neutron calls.

    The project's own networks (the default view) come with the project's subnets, asked for at
    the same time; a subnet of theirs that another project owns (an administrator can make one) is
    read by id afterwards, one call more. The shared and external views ask for their page's
    subnets by network once the page is known (they belong to other projects). The API's list;
    the list page reads `networks_page` and then `subnets_on`."""
    query = network_query(params, project_id)
    if "project_id" in query:
        found = concurrently(
            {
                "page": lambda: _neutron_page(conn, "/networks", "networks", query, params),
                "subnets": lambda: raw_list(conn, NETWORK, "/subnets", "subnets", {"project_id": project_id}),
            }
        )
        page, subnets = found["page"], found["subnets"]
        networks = [network_info_from(b) for b in page.items]
        known = {s["id"] for s in subnets}
        missing = [sid for n in networks for sid in n.subnet_ids if sid not in known]
        if missing:
            subnets += raw_json(conn, NETWORK, "/subnets", params={"id": missing}).get("subnets") or []
    else:
        page = _neutron_page(conn, "/networks", "networks", query, params)
        networks = [network_info_from(b) for b in page.items]
        # always asked (an empty page asks for network_id "", which matches none): a fixed cost
        subnet_query = {"network_id": [n.id for n in networks] or [""]}
        body = raw_json(conn, NETWORK, "/subnets", params=subnet_query)
        subnets = body.get("subnets") or []
    by_id = {s["id"]: subnet_from(s) for s in subnets}
    for net in networks:
        net.subnets = [by_id[sid] for sid in net.subnet_ids if sid in by_id]
    return Page(networks, page.next_marker, page.prev_before)


def _instance_names(conn) -> dict[str, str]:
    """{server id: name} of the project's instances (one Nova listing, no details)."""
    return {s["id"]: s.get("name") or "" for s in raw_list(conn, "compute", "/servers", "servers")}


def name_devices(ports: list[PortInfo], names: dict[str, str]) -> list[PortInfo]:
    for port in ports:
        if port.is_instance_port:
            port.device_name = names.get(port.device_id, "")
    return ports


@translated(NETWORK, what=_("The network"))
def get_network(conn, network_id: str) -> NetworkInfo:
    """One network with its subnets: 2 calls at once."""
    found = concurrently(
        {
            "network": lambda: raw_json(conn, NETWORK, f"/networks/{network_id}")["network"],
            "subnets": lambda: raw_json(conn, NETWORK, "/subnets", params={"network_id": network_id})["subnets"],
        }
    )
    net = network_info_from(found["network"])
    net.subnets = sorted((subnet_from(s) for s in found["subnets"]), key=lambda s: (s.ip_version, s.cidr))
    return net


@translated(NETWORK, what=_("The network"))
def network_detail(conn, network_id: str) -> dict:
    """A network's page: the network, its subnets, its ports and the instances on it (4 calls at once)."""
    found = concurrently(
        {
            "network": lambda: get_network(conn, network_id),
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params={"network_id": network_id})["ports"],
            "names": lambda: _instance_names(conn),
        },
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    ports = name_devices([port_info_from(p) for p in found["ports"]], names)
    instances = sorted({(p.device_id, p.device_name) for p in ports if p.is_instance_port}, key=lambda i: i[1])
    return {"network": found["network"], "ports": ports, "instances": instances}


@translated(NETWORK)
def subnet_pools(conn) -> list[dict]:
    """The subnet pools the project may allocate from ({"id", "name", "ip_version", "prefixes"})."""
    return [
        {
            "id": p["id"],
            "name": p.get("name") or p["id"],
            "ip_version": p.get("ip_version"),
            "prefixes": p.get("prefixes"),
        }
        for p in raw_json(conn, NETWORK, "/subnetpools").get("subnetpools") or []
    ]


def subnet_body(spec: dict) -> dict:
    """Neutron's subnet body from a form's cleaned subnet (see dashboard/panels/network/forms.py)."""
    body: dict[str, Any] = {"ip_version": spec["ip_version"], "enable_dhcp": spec.get("enable_dhcp", True)}
    if spec.get("name"):
        body["name"] = spec["name"]
    if spec.get("cidr"):
        body["cidr"] = spec["cidr"]
    if spec.get("subnetpool_id"):
        body["subnetpool_id"] = spec["subnetpool_id"]
        if spec.get("prefixlen"):
            body["prefixlen"] = spec["prefixlen"]
    if spec.get("no_gateway"):
        body["gateway_ip"] = None
    elif spec.get("gateway_ip"):
        body["gateway_ip"] = spec["gateway_ip"]
    if spec.get("allocation_pools"):
        body["allocation_pools"] = [{"start": s, "end": e} for s, e in spec["allocation_pools"]]
    if spec.get("dns_nameservers"):
        body["dns_nameservers"] = spec["dns_nameservers"]
    if spec.get("host_routes"):
        body["host_routes"] = [{"destination": d, "nexthop": n} for d, n in spec["host_routes"]]
    return body


@translated(NETWORK, what=_("The network"))
def create_network(
    conn, name: str, subnets: list[dict], admin_state_up: bool = True, shared: bool | None = None
) -> str:
    """A network and its subnets; if Neutron refuses a subnet, the network is deleted again so a
    corrected form does not leave a half-made network behind. Returns the network's id."""
    body: dict[str, Any] = {"name": name, "admin_state_up": admin_state_up}
    if shared is not None:
        body["shared"] = shared
    network_id = raw_json(conn, NETWORK, "/networks", method="post", json={"network": body})["network"]["id"]
    try:
        for spec in subnets:
            raw(
                conn,
                NETWORK,
                "/subnets",
                method="post",
                json={"subnet": {**subnet_body(spec), "network_id": network_id}},
            )
    except Exception:
        conn.network.delete(f"/networks/{network_id}")
        raise
    return network_id


@translated(NETWORK, what=_("The network"))
def update_network(conn, network_id: str, **changes) -> None:
    """Change a network's name, admin state or (administrators) sharing."""
    raw(conn, NETWORK, f"/networks/{network_id}", method="put", json={"network": changes})


@translated(NETWORK, what=_("The network"))
def delete_network(conn, network_id: str) -> None:
    raw(conn, NETWORK, f"/networks/{network_id}", method="delete")


@translated(NETWORK, what=_("The network"))
def create_subnet(conn, network_id: str, spec: dict) -> str:
    body = {**subnet_body(spec), "network_id": network_id}
    return raw_json(conn, NETWORK, "/subnets", method="post", json={"subnet": body})["subnet"]["id"]


@translated(NETWORK, what=_("The subnet"))
def get_subnet(conn, subnet_id: str) -> Subnet:
    return subnet_from(raw_json(conn, NETWORK, f"/subnets/{subnet_id}")["subnet"])


@translated(NETWORK, what=_("The subnet"))
def update_subnet(conn, subnet_id: str, **changes) -> None:
    raw(conn, NETWORK, f"/subnets/{subnet_id}", method="put", json={"subnet": changes})


@translated(NETWORK, what=_("The subnet"))
def delete_subnet(conn, subnet_id: str) -> None:
    raw(conn, NETWORK, f"/subnets/{subnet_id}", method="delete")


# --- ports -------------------------------------------------------------------------------------


@translated(NETWORK)
def ports_of(conn, *, network_id: str = "", device_id: str = "") -> list[PortInfo]:
    """The ports of a network or of an instance, with instance names: 2 calls at once."""
    query = {"network_id": network_id} if network_id else {"device_id": device_id}
    found = concurrently(
        {
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params=query)["ports"],
            "names": lambda: _instance_names(conn),
        },
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return name_devices([port_info_from(p) for p in found["ports"]], names)


@translated(NETWORK, what=_("The port"))
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


@translated(NETWORK, what=_("The port"))
def create_port(conn, network_id: str, spec: dict) -> str:
    body = {**port_body(spec), "network_id": network_id}
    return raw_json(conn, NETWORK, "/ports", method="post", json={"port": body})["port"]["id"]


@translated(NETWORK, what=_("The port"))
def update_port(conn, port_id: str, spec: dict) -> None:
    raw(conn, NETWORK, f"/ports/{port_id}", method="put", json={"port": port_body(spec)})


@translated(NETWORK, what=_("The port"))
def delete_port(conn, port_id: str) -> None:
    raw(conn, NETWORK, f"/ports/{port_id}", method="delete")


@translated(NETWORK)
def network_bodies(conn, project_id: str) -> list[dict]:
    """The project's networks as plain dicts (for the live poller, which compares lists)."""
    return raw_list(conn, NETWORK, "/networks", "networks", {"project_id": project_id})
