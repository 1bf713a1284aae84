"""Routers (Neutron): list, detail, gateway, interfaces, static routes.

What a page costs: the list is one Neutron page of routers and the external networks' names
(`list_external_network_names`, whatever the rows), at once (2 calls); so is the API's list and a
live row (the router and the names at once, 2 calls); a router's detail is the router, its
interface ports and the subnets' names (3 calls at once). A failing names listing leaves ids.
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
INTERFACE_OWNERS = (
    "network:router_interface",
    "network:router_interface_distributed",
    "network:ha_router_replicated_interface",
)

ROUTER_NOT_FOUND = _("The router was not found; it may have been deleted.")
ROUTER_OR_SUBNET_NOT_FOUND = _("The router or the subnet was not found; it may have been deleted.")
ROUTER_INTERFACE_NOT_FOUND = _("The router interface was not found; it may have been removed already.")

ACTIONS = catalogue(
    Action("edit", _("Edit"), "pencil", form=True),
    Action("gateway", _("Set gateway"), "globe", form=True),
    Action(
        "clear_gateway",
        _("Clear gateway"),
        "x-circle",
        confirm=_("Clear this router's external gateway?"),
        done=_("The router “%(subject)s” has no external gateway any more."),
    ),
    Action("add_interface", _("Add interface"), "plus-lg", form=True),
    Action("routes", _("Static routes"), "signpost-split", form=True),
    Action(
        "delete",
        _("Delete"),
        "trash",
        confirm=_("Delete this router?"),
        danger=True,
        done=_("The router “%(subject)s” was deleted."),
    ),
)


@dataclass
class Router:
    id: str
    name: str
    status: str = ""
    admin_state_up: bool = True
    external_network_id: str = ""
    external_network_name: str = ""
    external_ips: list[str] = field(default_factory=list)
    enable_snat: bool | None = None
    routes: list[dict] = field(default_factory=list)
    project_id: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


def router_from(body: dict) -> Router:
    gateway = body.get("external_gateway_info") or {}
    return Router(
        id=body["id"],
        name=body.get("name") or "",
        status=body.get("status") or "",
        admin_state_up=bool(body.get("admin_state_up", True)),
        external_network_id=gateway.get("network_id") or "",
        external_ips=[ip.get("ip_address", "") for ip in gateway.get("external_fixed_ips") or []],
        enable_snat=gateway.get("enable_snat"),
        routes=list(body.get("routes") or []),
        project_id=body.get("project_id") or body.get("tenant_id") or "",
    )


def allowed_actions(router: Router) -> list[str]:
    """Which actions a router offers: clearing the gateway only when it has one."""
    names = list(ACTIONS)
    if not router.external_network_id:
        names.remove("clear_gateway")
    return names


def offered(router: Router) -> list[Action]:
    return [ACTIONS[name] for name in allowed_actions(router)]


@dataclass
class Interface:
    port_id: str
    subnet_id: str
    ip_address: str
    network_id: str
    status: str = ""
    subnet_label: str = ""


def _external_names(conn) -> dict[str, str]:
    body = raw_json(conn, NETWORK, "/networks", params={"router:external": "true", "fields": ["id", "name"]})
    return {n["id"]: n.get("name") or n["id"] for n in body.get("networks") or []}


@translated(NETWORK)
def list_external_network_choices(conn) -> list[tuple[str, str]]:
    """(id, name) of the external networks a gateway or floating IP can use."""
    return sorted(_external_names(conn).items(), key=lambda item: item[1].lower())


@translated(NETWORK)
def list_external_network_names(conn) -> dict[str, str]:
    """External network id -> name (1 call, whatever the rows it names): for the lists that name
    gateways and pools (routers, floating IPs), made at once with their page."""
    return _external_names(conn)


@translated(NETWORK)
def list_routers(conn, project_id: str, params: ListParams, network_names: bool = False) -> Page:
    """One page of the project's routers (1 call); with `network_names` (the API) their gateways'
    network names too, read at once with the page (2 calls; a failing names listing leaves ids).
    The list page makes the names call itself, beside this one (ui.rows.list_page's `also`)."""

    def fetch(limit: int, marker: str, direction: str):
        query: dict[str, Any] = {
            "project_id": project_id,
            "limit": limit,
            "sort_key": SORT_KEYS.get(params.sort, "name"),
            "sort_dir": direction,
        }
        if params.filter("name"):
            query["name"] = params.filter("name")
        if marker:
            query["marker"] = marker
        return raw_json(conn, NETWORK, "/routers", params=query).get("routers") or []

    calls = {"page": lambda: marker_page(fetch, params)}
    if network_names:
        calls["names"] = lambda: _external_names(conn)
    found = concurrently(calls, optional=("names",))
    routers = name_gateways([router_from(b) for b in found["page"].items], found.get("names"))
    return Page(routers, found["page"].next_marker, found["page"].prev_before)


def name_gateways(routers: list[Router], names) -> list[Router]:
    """Each router's gateway network named from `names` (id -> name: list_external_network_names);
    "" for what it does not name, or when the listing failed (`names` None or its CloudError): the
    cell then shows the network's id."""
    names = names if isinstance(names, dict) else {}
    for router in routers:
        router.external_network_name = names.get(router.external_network_id, "")
    return routers


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def get_router(conn, router_id: str) -> Router:
    found = concurrently(
        {
            "router": lambda: raw_json(conn, NETWORK, f"/routers/{router_id}")["router"],
            "names": lambda: _external_names(conn),
        },
        optional=("names",),
    )
    return name_gateways([router_from(found["router"])], found["names"])[0]


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def get_router_with_interfaces(conn, router_id: str) -> dict:
    """The router, its interfaces (with subnet names): 3 calls at once."""
    found = concurrently(
        {
            "router": lambda: get_router(conn, router_id),
            "ports": lambda: raw_json(conn, NETWORK, "/ports", params={"device_id": router_id})["ports"],
            "subnets": lambda: raw_json(conn, NETWORK, "/subnets", params={"fields": ["id", "name", "cidr"]})[
                "subnets"
            ],
        }
    )
    subnets = {s["id"]: f"{s.get('name') or s['id'][:8]} ({s.get('cidr')})" for s in found["subnets"]}
    interfaces = [
        Interface(
            port_id=p["id"],
            subnet_id=ip.get("subnet_id", ""),
            ip_address=ip.get("ip_address", ""),
            network_id=p.get("network_id", ""),
            status=p.get("status") or "",
            subnet_label=subnets.get(ip.get("subnet_id", ""), ip.get("subnet_id", "")),
        )
        for p in found["ports"]
        if p.get("device_owner") in INTERFACE_OWNERS
        for ip in p.get("fixed_ips") or []
    ]
    return {"router": found["router"], "interfaces": interfaces}


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def create_router(conn, name: str, external_network_id: str = "", enable_snat: bool | None = None) -> str:
    body: dict[str, Any] = {"name": name}
    if external_network_id:
        body["external_gateway_info"] = gateway_info(external_network_id, enable_snat)
    return raw_json(conn, NETWORK, "/routers", method="post", json={"router": body})["router"]["id"]


def gateway_info(network_id: str, enable_snat: bool | None) -> dict:
    info: dict[str, Any] = {"network_id": network_id}
    if enable_snat is not None:  # only administrators may choose (Neutron's default policy)
        info["enable_snat"] = enable_snat
    return info


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def update_router(conn, router_id: str, **changes) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": changes})


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def set_gateway(conn, router_id: str, network_id: str, enable_snat: bool | None = None) -> None:
    body = {"external_gateway_info": gateway_info(network_id, enable_snat)}
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": body})


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def clear_gateway(conn, router_id: str) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": {"external_gateway_info": {}}})


@translated(NETWORK, not_found=ROUTER_OR_SUBNET_NOT_FOUND)
def add_interface(conn, router_id: str, subnet_id: str = "", port_id: str = "") -> None:
    body = {"subnet_id": subnet_id} if subnet_id else {"port_id": port_id}
    raw(conn, NETWORK, f"/routers/{router_id}/add_router_interface", method="put", json=body)


@translated(NETWORK, not_found=ROUTER_INTERFACE_NOT_FOUND)
def remove_interface(conn, router_id: str, subnet_id: str = "", port_id: str = "") -> None:
    body = {"port_id": port_id} if port_id else {"subnet_id": subnet_id}
    raw(conn, NETWORK, f"/routers/{router_id}/remove_router_interface", method="put", json=body)


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def set_routes(conn, router_id: str, routes: list[tuple[str, str]]) -> None:
    body = {"routes": [{"destination": d, "nexthop": n} for d, n in routes]}
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": body})


@translated(NETWORK, not_found=ROUTER_NOT_FOUND)
def delete_router(conn, router_id: str) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="delete")


@translated(NETWORK)
def list_project_subnets(conn, project_id: str) -> list[tuple[str, str]]:
    """(id, label) of the project's subnets, for a router interface (one call)."""
    body = raw_json(conn, NETWORK, "/subnets", params={"project_id": project_id, "fields": ["id", "name", "cidr"]})
    found = [(s["id"], f"{s.get('name') or s['id'][:8]} ({s.get('cidr')})") for s in body.get("subnets") or []]
    return sorted(found, key=lambda item: item[1].lower())


@translated(NETWORK)
def list_router_bodies(conn, project_id: str) -> list[dict]:
    """The project's routers as plain dicts (for the live poller)."""
    return raw_list(conn, NETWORK, "/routers", "routers", {"project_id": project_id})
