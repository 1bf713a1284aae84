"""Where Nova may place a new instance, as a launch chooses it: availability zones and server
groups (affinity policies). One Nova call each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openstack.connection import Connection

from .calls import translated


@dataclass
class ServerGroup:
    id: str
    name: str
    policies: list[str] = field(default_factory=list)  # one since compute microversion 2.64

    @property
    def label(self) -> str:
        return f"{self.name} ({', '.join(self.policies)})"


def server_group_from(g: Any) -> ServerGroup:
    return ServerGroup(id=g.id, name=g.name or "", policies=list(g.policies or ([g.policy] if g.policy else [])))


@translated("compute")
def list_availability_zones(conn: Connection) -> list[str]:
    """The names of the zones that are up, sorted."""
    return sorted(z.name for z in conn.compute.availability_zones() if (z.state or {}).get("available", True))


@translated("compute")
def list_server_groups(conn: Connection) -> list[ServerGroup]:
    return [server_group_from(g) for g in conn.compute.server_groups()]
