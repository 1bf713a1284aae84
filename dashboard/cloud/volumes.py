"""Volumes (Cinder) as Zenith shows them.

The volumes panel's list, detail and actions will live here; today: the project's volumes (for
naming an instance's boot and attached volumes in one call), those that can be attached, and the
volumes and snapshots an instance can boot from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .calls import raw_json, translated

# Cinder's largest page by default (osapi_max_limit)
MAX_PAGE = 1000


@dataclass
class Attachment:
    server_id: str
    device: str = ""
    attachment_id: str = ""


@dataclass
class Volume:
    id: str
    name: str
    size: int = 0  # GiB
    status: str = ""
    bootable: bool = False
    volume_type: str = ""
    availability_zone: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    project_id: str = ""
    # what Cinder kept of the image the volume was made from (volume_image_metadata): min_ram, min_disk, ...
    image_metadata: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.name or self.id} ({self.size} GiB)"


def volume_from(v: Any) -> Volume:
    return Volume(
        id=v.id,
        name=v.name or "",
        size=v.size or 0,
        status=v.status or "",
        bootable=str(v.is_bootable).lower() == "true",
        volume_type=v.volume_type or "",
        availability_zone=v.availability_zone or "",
        attachments=[
            Attachment(a.get("server_id", ""), a.get("device", "") or "", a.get("attachment_id", "") or "")
            for a in v.attachments or []
        ],
        project_id=getattr(v, "project_id", "") or "",
        image_metadata=dict(getattr(v, "volume_image_metadata", None) or {}),
    )


def volume_from_json(v: dict) -> Volume:
    return Volume(
        id=v["id"],
        name=v.get("name") or "",
        size=v.get("size") or 0,
        status=v.get("status") or "",
        bootable=str(v.get("bootable")).lower() == "true",
        volume_type=v.get("volume_type") or "",
        availability_zone=v.get("availability_zone") or "",
        attachments=[
            Attachment(a.get("server_id", ""), a.get("device", "") or "", a.get("attachment_id", "") or "")
            for a in v.get("attachments") or []
        ],
        project_id=v.get("os-vol-tenant-attr:tenant_id") or "",
        image_metadata=dict(v.get("volume_image_metadata") or {}),
    )


@dataclass
class Snapshot:
    id: str
    name: str
    size: int = 0  # GiB
    status: str = ""
    volume_id: str = ""
    description: str = ""
    project_id: str = ""
    created_at: str = ""

    @property
    def label(self) -> str:
        return f"{self.name or self.id} ({self.size} GiB)"


def snapshot_from(s: Any) -> Snapshot:
    return Snapshot(
        id=s.id,
        name=s.name or "",
        size=s.size or 0,
        status=s.status or "",
        volume_id=s.volume_id or "",
        description=s.description or "",
        project_id=getattr(s, "project_id", "") or "",
        created_at=s.created_at or "",
    )


@translated("volume")
def project_volumes(conn) -> list[Volume]:
    """The project's volumes, one Cinder request (the first MAX_PAGE), parsed as plain JSON."""
    body = raw_json(conn, "volume", "/volumes/detail", params={"limit": MAX_PAGE})
    return [volume_from_json(v) for v in body.get("volumes") or []]


@translated("volume")
def available_volumes(conn) -> list[Volume]:
    """Volumes that can be attached (not in use), by name."""
    body = raw_json(conn, "volume", "/volumes/detail", params={"status": "available", "limit": MAX_PAGE})
    return sorted((volume_from_json(v) for v in body.get("volumes") or []), key=lambda v: v.name.lower())


@translated("volume")
def bootable_volumes(conn) -> list[Volume]:
    """Volumes an instance can boot from: available, bootable and attached nowhere, by name."""
    return [v for v in available_volumes(conn) if v.bootable and not v.attachments]


@translated("volume", what=_("The volume"))
def get_volume(conn, volume_id: str) -> Volume:
    return volume_from(conn.block_storage.get_volume(volume_id))


@translated("volume")
def available_snapshots(conn) -> list[Snapshot]:
    """The project's volume snapshots that are ready to use (one Cinder request), by name."""
    found = conn.block_storage.snapshots(details=True, status="available", limit=MAX_PAGE, paginated=False)
    return sorted((snapshot_from(s) for s in found), key=lambda s: (s.name.lower(), s.id))


@translated("volume", what=_("The volume snapshot"))
def get_snapshot(conn, snapshot_id: str) -> Snapshot:
    return snapshot_from(conn.block_storage.get_snapshot(snapshot_id))


@translated("volume")
def volume_bodies(conn) -> list[dict]:
    """Every volume of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next)."""
    return [v.to_dict(computed=False) for v in conn.block_storage.volumes(details=True)]
