"""Flavors (Nova): what sizes an instance can have."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .calls import translated


@dataclass
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int  # MiB
    disk: int  # GiB
    ephemeral: int = 0
    swap: int = 0
    is_public: bool = True
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} — {self.vcpus} vCPU, {self.ram} MiB RAM, {self.disk} GiB disk"


def flavor_from(f: Any) -> Flavor:
    return Flavor(
        id=f.id,
        name=f.name or "",
        vcpus=f.vcpus or 0,
        ram=f.ram or 0,
        disk=f.disk or 0,
        ephemeral=getattr(f, "ephemeral", 0) or 0,
        swap=int(getattr(f, "swap", 0) or 0),
        is_public=bool(getattr(f, "is_public", True)),
        description=getattr(f, "description", "") or "",
    )


@translated("compute")
def list_flavors(conn) -> list[Flavor]:
    """The flavors the project may use, smallest first."""
    found = [flavor_from(f) for f in conn.compute.flavors(details=True)]
    return sorted(found, key=lambda f: (f.vcpus, f.ram, f.disk, f.name))
