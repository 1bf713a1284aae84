"""Networks and subnets (Neutron), read as raw JSON: the network panels' (`NetworkInfo`, with
their subnets) and the lighter ones other pages offer (`Network`: a launch's networks, the pools of
floating IPs). Ports are in `ports`.

What a page costs:
- the networks list: one Neutron page of networks and, at once, every subnet a member sees (2
  calls, whatever the number of rows); an administrator sees every subnet of the cloud, so their
  page reads its networks' subnets by network id after the page, in the same response (2 calls);
- a network's detail: the network, its subnets, its ports and the project's instance names, at once
  (4 calls);
- a launch's networks: one call for a member, two at once for an administrator (`list_launch_networks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import instances, ports
from .actions import Action, catalogue
from .calls import call, concurrently, raw, raw_json, raw_list, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page

NETWORK_NOT_FOUND = _("The network was not found; it may have been deleted.")
SUBNET_NOT_FOUND = _("The subnet was not found; it may have been deleted.")

NETWORK = "network"
SORT_KEYS = {"name": "name", "status": "status"}
# the "show" filter: whose networks a list shows (Neutron shows an administrator every project's,
# so the default asks for the current project's only)
SHOW_CHOICES = (("external", _("External")), ("shared", _("Shared")))

ACTIONS = catalogue(
    Action("edit", _("Edit"), "pencil", form=True),
    Action("create_subnet", _("Add subnet"), "plus-lg", form=True),
    Action("create_port", _("Create port"), "plug", form=True),
    Action(
        "delete",
        _("Delete"),
        "trash",
        confirm=_("Delete this network and its subnets?"),
        danger=True,
        done=_("The network “%(subject)s” was deleted."),
    ),
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
# a member's subnets: Neutron's default quota is 100 a project, plus the shared and external ones
MAX_SUBNETS = 1000


@translated(NETWORK)
def list_networks_without_subnets(conn, project_id: str, params: ListParams) -> Page:
    """One page of networks with their subnets' ids but not the subnets: one Neutron call (the
    list page reads its rows' subnets after it, `list_subnets_by_network`)."""
    page = _neutron_page(conn, "/networks", "networks", network_query(params, project_id), params)
    return Page([network_info_from(b) for b in page.items], page.next_marker, page.prev_before)


@translated(NETWORK)
def list_networks_with_their_subnets(conn, project_id: str, params: ListParams) -> Page:
    """One page of networks, then their subnets by network id (2 calls, one after the other, in
    one response: an administrator's networks list page, whose view waits for no part). A failing
    subnets call leaves the subnets unread: the rows show their ids (`subnet_ids`)."""
    page = list_networks_without_subnets(conn, project_id, params)
    try:
        by_network = list_subnets_by_network(conn, [net.id for net in page.items if net.subnet_ids])
    except CloudError:
        return page
    for net in page.items:
        net.subnets = by_network.get(net.id, [])
    return page


@translated(NETWORK)
def list_visible_subnets(conn) -> list[dict]:
    """Every subnet a member sees (the project's, and those of the shared and external networks;
    the first MAX_SUBNETS), the row's fields only: one Neutron call whatever the page, made at once
    with a member's networks page (`name_subnets`). Not for an administrator's token, which sees
    every subnet of the cloud: that list reads its rows' subnets by network id after its page
    (`list_networks_with_their_subnets`)."""
    params = {"fields": list(ROW_SUBNET_FIELDS), "limit": MAX_SUBNETS}
    return raw_json(conn, NETWORK, "/subnets", params=params).get("subnets") or []


def name_subnets(networks: list[NetworkInfo], subnets) -> list[NetworkInfo]:
    """Each network's subnets from `subnets` (list_visible_subnets' rows), in its own order; none
    when the listing failed (None or its CloudError): the row then shows their ids."""
    if not isinstance(subnets, list):
        return networks
    by_id = {s["id"]: subnet_from(s) for s in subnets}
    for net in networks:
        net.subnets = [by_id[sid] for sid in net.subnet_ids if sid in by_id]
    return networks


@translated(NETWORK)
def list_subnets_by_network(
    conn, network_ids: list[str], fields: tuple[str, ...] = ROW_SUBNET_FIELDS
) -> dict[str, list[Subnet]]:
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
    the list page reads `list_networks_without_subnets` and then `list_subnets_by_network`."""
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


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
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


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
def get_network_with_ports(conn, network_id: str) -> dict:
    """A network's page: the network, its subnets, its ports and the instances on it (4 calls at once)."""
    found = concurrently(
        {
            "network": lambda: get_network(conn, network_id),
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params={"network_id": network_id})["ports"],
            "names": lambda: instances.list_server_names(conn),
        },
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    on_it = ports.name_devices([ports.port_info_from(p) for p in found["ports"]], names)
    servers = sorted({(p.device_id, p.device_name) for p in on_it if p.is_instance_port}, key=lambda i: i[1])
    return {"network": found["network"], "ports": on_it, "instances": servers}


@translated(NETWORK)
def list_subnet_pools(conn) -> list[dict]:
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


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
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


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
def update_network(conn, network_id: str, **changes) -> None:
    """Change a network's name, admin state or (administrators) sharing."""
    raw(conn, NETWORK, f"/networks/{network_id}", method="put", json={"network": changes})


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
def _delete_network(conn, network_id: str) -> None:
    raw(conn, NETWORK, f"/networks/{network_id}", method="delete")


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
def delete_network(conn, network_id: str) -> None:
    """Delete a network. Neutron refuses while ports remain, naming only their ids: when routers'
    interfaces are among them, the refusal names the routers to go to (two more calls, made on
    that refusal only: the network's router ports, then those routers' names)."""
    try:
        _delete_network(conn, network_id)
    except CloudError as err:
        if err.kind != "conflict" or "ports still in use" not in err.detail:
            raise
        try:
            names = call(lambda: _router_names_on(conn, network_id), service=NETWORK)
        except CloudError:
            names = []  # the lookup failing: Neutron's refusal as it is
        if not names:
            raise err from None
        quoted = ", ".join(gettext("“%(name)s”") % {"name": name} for name in names)  # « r1 » in French
        message = ngettext(
            "The router %(routers)s has an interface on this network. Remove it (on the router's page) "
            "first, then delete the network.",
            "The routers %(routers)s have interfaces on this network. Remove them (on the routers' pages) "
            "first, then delete the network.",
            len(names),
        ) % {"routers": quoted}
        refusal = CloudError("conflict", message, err.detail, err.cloud_status, err.service)
        refusal.explained = True
        raise refusal from None


def _router_names_on(conn, network_id: str) -> list[str]:
    """The names (else ids) of the routers with an interface on the network."""
    owners = (
        "network:router_interface",
        "network:router_interface_distributed",
        "network:ha_router_replicated_interface",
    )
    found = raw_list(
        conn,
        NETWORK,
        "/ports",
        "ports",
        {"network_id": network_id, "device_owner": list(owners), "fields": "device_id"},
    )
    ids = sorted({p["device_id"] for p in found if p.get("device_id")})
    if not ids:
        return []
    rows = raw_list(conn, NETWORK, "/routers", "routers", {"id": ids, "fields": ["id", "name"]})
    names = {r["id"]: r.get("name") or r["id"] for r in rows}
    return [names.get(i, i) for i in ids]


@translated(NETWORK, not_found=NETWORK_NOT_FOUND)
def create_subnet(conn, network_id: str, spec: dict) -> str:
    body = {**subnet_body(spec), "network_id": network_id}
    return raw_json(conn, NETWORK, "/subnets", method="post", json={"subnet": body})["subnet"]["id"]


@translated(NETWORK, not_found=SUBNET_NOT_FOUND)
def delete_subnet(conn, subnet_id: str) -> None:
    raw(conn, NETWORK, f"/subnets/{subnet_id}", method="delete")


@translated(NETWORK)
def list_network_bodies(conn, project_id: str) -> list[dict]:
    """The project's networks as plain dicts (for the live poller, which compares lists)."""
    return raw_list(conn, NETWORK, "/networks", "networks", {"project_id": project_id})


# --- the networks other pages offer (a launch, an instance's interfaces, floating IP pools) -------
# the fields those pages read: Neutron sends only these, parsed as plain JSON
NETWORK_FIELDS = ["id", "name", "router:external", "shared", "status", "project_id", "subnets"]


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


def _networks(conn, **filters) -> list[Network]:
    """One Neutron listing of networks (all pages) with just NETWORK_FIELDS."""
    return [
        network_from_json(n)
        for n in raw_list(conn, NETWORK, "/networks", "networks", {**filters, "fields": NETWORK_FIELDS})
    ]


@translated(NETWORK)
def list_visible_networks(conn, project_id: str = "") -> list[Network]:
    """The networks the project sees (its own, shared and external ones), by name."""
    found = _networks(conn)
    if project_id:
        found = [n for n in found if n.project_id == project_id or n.is_shared or n.is_router_external]
    return sorted(found, key=lambda n: (n.name.lower(), n.id))


@translated(NETWORK)
def list_own_networks(conn, project_id: str) -> list[Network]:
    """The project's own networks (one Neutron call; an administrator's other projects left out)."""
    return _networks(conn, project_id=project_id)


@translated(NETWORK)
def list_shared_networks(conn) -> list[Network]:
    """The networks shared with every project (one Neutron call)."""
    return _networks(conn, shared="true")


@translated(NETWORK)
def list_launch_networks(conn, project_id: str, sees_every_project: bool = True) -> list[Network]:
    """The networks an instance of the project can be put on: its own and the shared ones, by name.

    A member's listing holds exactly those (and the external ones, left out here): one call. An
    administrator's would hold every project's networks, so the two sets are asked for instead (2
    calls at once). The result is filtered the same way in both cases; `sees_every_project` only
    chooses the cheaper way to get it.
    """
    if sees_every_project:
        found = concurrently(
            {"own": lambda: list_own_networks(conn, project_id), "shared": lambda: list_shared_networks(conn)}
        )
        candidates = [*found["own"], *found["shared"]]
    else:
        candidates = _networks(conn)
    unique = {n.id: n for n in candidates if n.project_id == project_id or n.is_shared}
    return sorted(unique.values(), key=lambda n: (n.name.lower(), n.id))


@translated(NETWORK)
def list_external_networks(conn) -> list[Network]:
    """The external networks (floating IP pools), one Neutron call."""
    return sorted(_networks(conn, **{"router:external": "true"}), key=lambda n: (n.name.lower(), n.id))
