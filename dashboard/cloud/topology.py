"""The project's network topology: external networks, routers, networks and instances, laid out
for an SVG drawn by the server.

A picture costs 5 calls at once, whatever the project holds: the project's networks, the
external networks, its routers, its ports and its instances' names. `layout` is
pure (unit-tested): four bands (external networks, routers, networks, instances), nodes evenly
spread in each band, edges for gateways, router interfaces and instance ports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .calls import concurrently, raw_json, raw_list, translated

NETWORK = "network"
BAND_Y = {"external": 40, "router": 130, "network": 220, "instance": 310}
SPACING = 150
MARGIN = 90
HEIGHT = 360
LABEL_CHARS = 17
INSTANCES_PER_ROW = 8
ROW_STEP = 60  # between two rows of instances


@dataclass
class Node:
    kind: str  # external, router, network, instance
    id: str
    name: str
    status: str = ""
    detail: str = ""  # CIDRs of a network, addresses of an instance
    x: int = 0
    y: int = 0

    @property
    def label(self) -> str:
        text = self.name or self.id[:8]
        return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"

    @property
    def tone(self) -> str:
        status = self.status.upper()
        if status in ("ACTIVE", "UP", ""):
            return "ok"
        if status in ("ERROR", "DOWN"):
            return "bad"
        return "busy"


@dataclass
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    kind: str = "port"  # gateway, interface, port


@dataclass
class Topology:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = HEIGHT

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]


def layout(
    networks: list[dict], externals: list[dict], routers: list[dict], ports: list[dict], servers: list[dict]
) -> Topology:
    """Place the project's resources (Neutron/Nova JSON bodies) in four bands and join them."""
    own_nets = sorted(
        (n for n in networks if not n.get("router:external")), key=lambda n: (n.get("name") or "", n["id"])
    )
    ext = sorted(externals, key=lambda n: (n.get("name") or "", n["id"]))
    servers_by_id = {s["id"]: s for s in servers}
    nodes: dict[tuple[str, str], Node] = {}
    for n in ext:
        nodes[("external", n["id"])] = Node("external", n["id"], n.get("name") or "", n.get("status") or "")
    for r in sorted(routers, key=lambda r: (r.get("name") or "", r["id"])):
        nodes[("router", r["id"])] = Node("router", r["id"], r.get("name") or "", r.get("status") or "")
    for n in own_nets:
        nodes[("network", n["id"])] = Node("network", n["id"], n.get("name") or "", n.get("status") or "")
    links: list[tuple[tuple[str, str], tuple[str, str], str]] = []
    for r in routers:
        gateway = (r.get("external_gateway_info") or {}).get("network_id")
        if gateway and ("external", gateway) in nodes:
            links.append((("router", r["id"]), ("external", gateway), "gateway"))
    instance_addresses: dict[str, list[str]] = {}
    for port in sorted(ports, key=lambda p: p["id"]):
        owner = port.get("device_owner") or ""
        net_key = ("network", port.get("network_id") or "")
        if net_key not in nodes:
            continue
        if owner.startswith("network:router_interface") and ("router", port.get("device_id")) in nodes:
            links.append((("router", port["device_id"]), net_key, "interface"))
        elif owner.startswith("compute:") and port.get("device_id"):
            sid = port["device_id"]
            server = servers_by_id.get(sid, {})
            if ("instance", sid) not in nodes:
                nodes[("instance", sid)] = Node("instance", sid, server.get("name") or "", server.get("status") or "")
            instance_addresses.setdefault(sid, []).extend(
                ip.get("ip_address", "") for ip in port.get("fixed_ips") or []
            )
            links.append((("instance", sid), net_key, "port"))
    for sid, addresses in instance_addresses.items():
        nodes[("instance", sid)].detail = ", ".join(a for a in addresses if a)
    bands: dict[str, list[Node]] = {kind: [] for kind in BAND_Y}
    for node in nodes.values():
        bands[node.kind].append(node)
    bands["instance"].sort(key=lambda n: (n.name, n.id))
    # instances wrap in rows as wide as the widest other band (at least INSTANCES_PER_ROW), so a
    # project with hundreds of instances gets a taller picture, not an endless one
    per_row = max(INSTANCES_PER_ROW, *(len(b) for kind, b in bands.items() if kind != "instance"))
    widest = max([len(b) for kind, b in bands.items() if kind != "instance"] + [min(len(bands["instance"]), per_row)])
    width = max(widest, 1) * SPACING + 2 * MARGIN - SPACING
    height = HEIGHT
    for kind, band in bands.items():
        rows = [band[i : i + per_row] for i in range(0, len(band), per_row)] if kind == "instance" else [band]
        for r, row in enumerate(rows):
            # each row centred: a lone router sits above the middle of the networks
            start = (width - (len(row) - 1) * SPACING) // 2
            for i, node in enumerate(row):
                node.x, node.y = start + i * SPACING, BAND_Y[kind] + r * ROW_STEP
            height = max(height, BAND_Y[kind] + r * ROW_STEP + 50)
    edges = []
    seen = set()
    for a, b, kind in links:
        if (a, b) in seen:
            continue
        seen.add((a, b))
        na, nb = nodes[a], nodes[b]
        edges.append(Edge(na.x, na.y, nb.x, nb.y, kind))
    ordered = [n for kind in BAND_Y for n in bands[kind]]
    return Topology(ordered, edges, width, height)


@translated(NETWORK)
def get_project_topology(conn, project_id: str) -> Topology:
    """The project's topology: 5 calls at once."""
    found = concurrently(
        {
            "networks": lambda: raw_json(conn, NETWORK, "/networks", params={"project_id": project_id})["networks"],
            "externals": lambda: raw_json(conn, NETWORK, "/networks", params={"router:external": "true"})["networks"],
            "routers": lambda: raw_json(conn, NETWORK, "/routers", params={"project_id": project_id})["routers"],
            "ports": lambda: raw_json(
                conn,
                NETWORK,
                "/ports",
                params={
                    "project_id": project_id,
                    "fields": ["id", "network_id", "device_id", "device_owner", "fixed_ips"],
                },
            )["ports"],
            "servers": lambda: raw_list(conn, "compute", "/servers", "servers"),
        },
        optional=("servers",),
    )
    servers = found["servers"] if isinstance(found["servers"], list) else []
    return layout(found["networks"], found["externals"], found["routers"], found["ports"], servers)
