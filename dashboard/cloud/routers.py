"""Routers (Neutron): list, detail, gateway, interfaces, static routes.

What a page costs: the list is one Neutron page of routers (1 call); the gateways' network names
follow in its names part (`external_names`, 1 call); the API's list reads both at once; a live row
is the router and the names at once (2 calls); a router's detail is the router, its interface ports
and the subnets' names (3 calls at once).
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

ACTIONS = catalogue(
    Action("edit", _("Edit"), "pencil", form=True),
    Action("gateway", _("Set gateway"), "globe", form=True),
    Action("clear_gateway", _("Clear gateway"), "x-circle", confirm=_("Clear this router's external gateway?")),
    Action("add_interface", _("Add interface"), "plus-lg", form=True),
    Action("routes", _("Static routes"), "signpost-split", form=True),
    Action("delete", _("Delete"), "trash", confirm=_("Delete this router?"), danger=True),
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
def external_networks(conn) -> list[tuple[str, str]]:
    """(id, name) of the external networks a gateway or floating IP can use."""
    return sorted(_external_names(conn).items(), key=lambda item: item[1].lower())


@translated(NETWORK)
def external_names(conn) -> dict[str, str]:
    """External network id -> name (1 call), for the routers list's names part."""
    return _external_names(conn)


@translated(NETWORK)
def list_routers(conn, project_id: str, params: ListParams, network_names: bool = False) -> Page:
    """One page of the project's routers (1 call); with `network_names` (the API) their gateways'
    network names too, read at once with the page (2 calls). The list page has the names follow in
    its names part (`external_names`), so that it waits for the routers alone."""

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
    found = concurrently(calls)
    names = found.get("names") or {}
    routers = [router_from(b) for b in found["page"].items]
    for router in routers:
        router.external_network_name = names.get(router.external_network_id, "")
    return Page(routers, found["page"].next_marker, found["page"].prev_before)


@translated(NETWORK, what=_("The router"))
def get_router(conn, router_id: str) -> Router:
    found = concurrently(
        {
            "router": lambda: raw_json(conn, NETWORK, f"/routers/{router_id}")["router"],
            "names": lambda: _external_names(conn),
        }
    )
    router = router_from(found["router"])
    router.external_network_name = found["names"].get(router.external_network_id, router.external_network_id)
    return router


@translated(NETWORK, what=_("The router"))
def router_detail(conn, router_id: str) -> dict:
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


@translated(NETWORK, what=_("The router"))
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


@translated(NETWORK, what=_("The router"))
def update_router(conn, router_id: str, **changes) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": changes})


@translated(NETWORK, what=_("The router"))
def set_gateway(conn, router_id: str, network_id: str, enable_snat: bool | None = None) -> None:
    body = {"external_gateway_info": gateway_info(network_id, enable_snat)}
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": body})


@translated(NETWORK, what=_("The router"))
def clear_gateway(conn, router_id: str) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": {"external_gateway_info": {}}})


@translated(NETWORK, what=_("The router or subnet"))
def add_interface(conn, router_id: str, subnet_id: str = "", port_id: str = "") -> None:
    body = {"subnet_id": subnet_id} if subnet_id else {"port_id": port_id}
    raw(conn, NETWORK, f"/routers/{router_id}/add_router_interface", method="put", json=body)


@translated(NETWORK, what=_("The router interface"))
def remove_interface(conn, router_id: str, subnet_id: str = "", port_id: str = "") -> None:
    body = {"port_id": port_id} if port_id else {"subnet_id": subnet_id}
    raw(conn, NETWORK, f"/routers/{router_id}/remove_router_interface", method="put", json=body)


@translated(NETWORK, what=_("The router"))
def set_routes(conn, router_id: str, routes: list[tuple[str, str]]) -> None:
    body = {"routes": [{"destination": d, "nexthop": n} for d, n in routes]}
    raw(conn, NETWORK, f"/routers/{router_id}", method="put", json={"router": body})


@translated(NETWORK, what=_("The router"))
def delete_router(conn, router_id: str) -> None:
    raw(conn, NETWORK, f"/routers/{router_id}", method="delete")


@translated(NETWORK)
def project_subnets(conn, project_id: str) -> list[tuple[str, str]]:
    """(id, label) of the project's subnets, for a router interface (one call)."""
    body = raw_json(conn, NETWORK, "/subnets", params={"project_id": project_id, "fields": ["id", "name", "cidr"]})
    found = [(s["id"], f"{s.get('name') or s['id'][:8]} ({s.get('cidr')})") for s in body.get("subnets") or []]
    return sorted(found, key=lambda item: item[1].lower())


@translated(NETWORK)
def router_bodies(conn, project_id: str) -> list[dict]:
    """The project's routers as plain dicts (for the live poller)."""
    return raw_list(conn, NETWORK, "/routers", "routers", {"project_id": project_id})
