"""Security groups and their rules (Neutron), for the security groups pages.

What a page costs: the list is one Neutron page of groups (their rules come in the same body);
a group's page is the group and the project's group names, at once (2 calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actions import Action, catalogue
from .calls import concurrently, raw, raw_json, raw_list, translated
from .paging import ListParams, Page, marker_page

SECURITY_GROUP_NOT_FOUND = _("The security group was not found; it may have been deleted.")
RULE_NOT_FOUND = _("The rule was not found; it may have been deleted.")

NETWORK = "network"
SORT_KEYS = {"name": "name"}

ACTIONS = catalogue(
    Action("edit", _("Edit"), "pencil", form=True),
    Action("add_rule", _("Add rule"), "plus-lg", form=True),
    Action(
        "delete",
        _("Delete"),
        "trash",
        confirm=_("Delete this security group and its rules?"),
        danger=True,
        done=_("The security group “%(subject)s” was deleted."),
    ),
)

# preset -> the rules it adds (ingress); "all_from_group" allows everything from members of the group itself
PRESETS: dict[str, tuple[str, list[dict]]] = {
    "ssh": (_("SSH (TCP 22)"), [{"protocol": "tcp", "port_range_min": 22, "port_range_max": 22}]),
    "http": (_("HTTP (TCP 80)"), [{"protocol": "tcp", "port_range_min": 80, "port_range_max": 80}]),
    "https": (_("HTTPS (TCP 443)"), [{"protocol": "tcp", "port_range_min": 443, "port_range_max": 443}]),
    "icmp": (_("ICMP (ping)"), [{"protocol": "icmp"}]),
    "dns": (
        _("DNS (TCP and UDP 53)"),
        [
            {"protocol": "udp", "port_range_min": 53, "port_range_max": 53},
            {"protocol": "tcp", "port_range_min": 53, "port_range_max": 53},
        ],
    ),
    "all_from_group": (_("Everything from this same group"), [{"protocol": None, "remote_group": "self"}]),
}


@dataclass
class Rule:
    id: str
    direction: str
    ethertype: str
    protocol: str = ""
    port_range_min: int | None = None
    port_range_max: int | None = None
    remote_ip_prefix: str = ""
    remote_group_id: str = ""
    remote_group_name: str = ""
    description: str = ""

    @property
    def ports(self) -> str:
        if self.protocol in ("icmp", "ipv6-icmp"):
            if self.port_range_min is None:
                return ""
            code = "" if self.port_range_max is None else f" / {self.port_range_max}"
            return f"type {self.port_range_min}{code}"
        if self.port_range_min is None:
            return ""
        if self.port_range_min == self.port_range_max:
            return str(self.port_range_min)
        return f"{self.port_range_min}–{self.port_range_max}"


def rule_from(body: dict) -> Rule:
    return Rule(
        id=body["id"],
        direction=body.get("direction") or "",
        ethertype=body.get("ethertype") or "",
        protocol=body.get("protocol") or "",
        port_range_min=body.get("port_range_min"),
        port_range_max=body.get("port_range_max"),
        remote_ip_prefix=body.get("remote_ip_prefix") or "",
        remote_group_id=body.get("remote_group_id") or "",
        description=body.get("description") or "",
    )


@dataclass
class Group:
    id: str
    name: str
    description: str = ""
    project_id: str = ""
    rules: list[Rule] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or self.id


def group_from(body: dict) -> Group:
    return Group(
        id=body["id"],
        name=body.get("name") or "",
        description=body.get("description") or "",
        project_id=body.get("project_id") or body.get("tenant_id") or "",
        rules=sorted(
            (rule_from(r) for r in body.get("security_group_rules") or []),
            key=lambda r: (r.direction, r.ethertype, r.protocol, r.port_range_min or 0),
        ),
    )


@translated(NETWORK)
def list_groups(conn, project_id: str, params: ListParams) -> Page:
    """One page of the project's security groups with their rules (1 call)."""

    def fetch(limit: int, marker: str, direction: str):
        query: dict[str, Any] = {"project_id": project_id, "limit": limit, "sort_key": "name", "sort_dir": direction}
        if params.filter("name"):
            query["name"] = params.filter("name")
        if marker:
            query["marker"] = marker
        return raw_json(conn, NETWORK, "/security-groups", params=query).get("security_groups") or []

    page = marker_page(fetch, params)
    groups = [group_from(b) for b in page.items]
    names = {g.id: g.name for g in groups}
    for group in groups:
        for rule in group.rules:
            rule.remote_group_name = names.get(rule.remote_group_id, "")
    return Page(groups, page.next_marker, page.prev_before)


@translated(NETWORK)
def list_group_names(conn, project_id: str) -> list[tuple[str, str]]:
    """(id, name) of the project's security groups (one call)."""
    body = raw_json(conn, NETWORK, "/security-groups", params={"project_id": project_id, "fields": ["id", "name"]})
    return sorted(((g["id"], g.get("name") or g["id"]) for g in body["security_groups"]), key=lambda g: g[1].lower())


@translated(NETWORK, not_found=SECURITY_GROUP_NOT_FOUND)
def get_group(conn, group_id: str, project_id: str) -> Group:
    """A group with its rules, remote groups named (2 calls at once)."""
    found = concurrently(
        {
            "group": lambda: raw_json(conn, NETWORK, f"/security-groups/{group_id}")["security_group"],
            "names": lambda: list_group_names(conn, project_id),
        }
    )
    group = group_from(found["group"])
    names = dict(found["names"])
    for rule in group.rules:
        rule.remote_group_name = names.get(rule.remote_group_id, "")
    return group


@translated(NETWORK, not_found=SECURITY_GROUP_NOT_FOUND)
def create_group(conn, name: str, description: str = "") -> str:
    body = {"name": name, "description": description}
    return raw_json(conn, NETWORK, "/security-groups", method="post", json={"security_group": body})["security_group"][
        "id"
    ]


@translated(NETWORK, not_found=SECURITY_GROUP_NOT_FOUND)
def update_group(conn, group_id: str, name: str, description: str) -> None:
    body = {"name": name, "description": description}
    raw(conn, NETWORK, f"/security-groups/{group_id}", method="put", json={"security_group": body})


@translated(NETWORK, not_found=SECURITY_GROUP_NOT_FOUND)
def delete_group(conn, group_id: str) -> None:
    raw(conn, NETWORK, f"/security-groups/{group_id}", method="delete")


def rule_bodies(group_id: str, spec: dict) -> list[dict]:
    """Neutron rule bodies from a form's cleaned rule: a preset's rules, or the one rule typed."""
    base = {"security_group_id": group_id, "direction": spec.get("direction") or "ingress"}
    base["ethertype"] = spec.get("ethertype") or "IPv4"
    if spec.get("remote_ip_prefix"):
        base["remote_ip_prefix"] = spec["remote_ip_prefix"]
    if spec.get("remote_group_id"):
        base["remote_group_id"] = spec["remote_group_id"]
    if spec.get("preset"):
        bodies = []
        for rule in PRESETS[spec["preset"]][1]:
            body = {**base, **{k: v for k, v in rule.items() if k != "remote_group"}}
            if rule.get("remote_group") == "self":
                body["remote_group_id"] = group_id
                body.pop("remote_ip_prefix", None)
            bodies.append({k: v for k, v in body.items() if v is not None})
        return bodies
    body = dict(base)
    if spec.get("protocol"):
        body["protocol"] = spec["protocol"]
    for key in ("port_range_min", "port_range_max"):
        if spec.get(key) is not None:
            body[key] = spec[key]
    if spec.get("description"):
        body["description"] = spec["description"]
    return [body]


@translated(NETWORK, not_found=SECURITY_GROUP_NOT_FOUND)
def add_rules(conn, group_id: str, spec: dict) -> int:
    """Add a rule (or a preset's rules, in one call). Returns how many."""
    bodies = rule_bodies(group_id, spec)
    if len(bodies) == 1:
        raw(conn, NETWORK, "/security-group-rules", method="post", json={"security_group_rule": bodies[0]})
    else:
        raw(conn, NETWORK, "/security-group-rules", method="post", json={"security_group_rules": bodies})
    return len(bodies)


@translated(NETWORK, not_found=RULE_NOT_FOUND)
def delete_rule(conn, rule_id: str) -> None:
    raw(conn, NETWORK, f"/security-group-rules/{rule_id}", method="delete")


# --- the security groups other pages offer (a launch, an instance's groups) -----------------------

SECURITY_GROUP_FIELDS = ["id", "name", "description", "project_id"]  # not the rules


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
def list_groups_without_rules(conn, project_id: str = "") -> list[SecurityGroup]:
    """Security groups by name; with a project id, only that project's (Neutron shows admins all)."""
    query = {"project_id": project_id} if project_id else {}
    found = map(
        security_group_from_json,
        raw_list(conn, NETWORK, "/security-groups", "security_groups", {**query, "fields": SECURITY_GROUP_FIELDS}),
    )
    return sorted(found, key=lambda g: g.name.lower())
