"""Volumes (Cinder) as Zenith shows them: a page of the list, one volume, create, edit, delete.

For the instances pages: the project's volumes (naming an instance's boot and attached volumes in
one call), those that can be attached, and those an instance can boot from. For the volumes panel:
a page of the list and one volume. What each state allows and the other actions are in
`volume_actions`; snapshots, backups and transfers in `snapshots`, `backups` and `transfers`,
which page their lists and name their volumes with the helpers here (`cinder_page`,
`with_volume_names`); types, QoS specs, zones and the project's limits in `volume_types`.

What a page costs: the volumes list is one Cinder page and, at the same time, one Nova listing of
the project's server names (`GET /servers`, id and name only) to name the attachments, whatever the
number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from . import labels
from .calls import concurrently, raw_json, translated
from .paging import ListParams, Page, marker_page

VOLUME_NOT_FOUND = gettext_lazy("The volume was not found; it may have been deleted.")

# Cinder's largest page by default (osapi_max_limit)
MAX_PAGE = 1000
# 3.40: revert to snapshot; 3.42: extend in-use volumes;
# 3.47: a volume from a backup; 3.55: transfers (with or without snapshots)
MICROVERSION = "3.55"


def when(value: str | None) -> datetime | None:
    """A Cinder time (ISO, often without a zone: UTC) as an aware datetime."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


# the words of a status: dashboard.cloud.labels (every value of Cinder's API reference)
STATUS_WORDS = labels.VOLUME_STATUS
STATUSES = ["available", "in-use", "creating", "error", "attaching", "detaching", "deleting", "backing-up"]
# statuses where Cinder is working on the volume (a spinner, no action but a wait)
BUSY = {
    "creating",
    "attaching",
    "detaching",
    "deleting",
    "backing-up",
    "restoring-backup",
    "downloading",
    "uploading",
    "retyping",
    "extending",
    "reverting",
    "reserved",
}


def status_words(status: str, words: labels.Labels = labels.VOLUME_STATUS) -> str:
    """A volume's status in words (`words`: a snapshot's or a backup's map, for theirs)."""
    return labels.words(words, status)


def status_tone(status: str) -> str:
    if status in ("available", "in-use"):
        return "success" if status == "in-use" else "primary"
    if status.startswith("error"):
        return "danger"
    return "info"


class CinderStatus:
    """A volume's or a backup's status in words and as a Bootstrap tone (Cinder shares the set)."""

    status: str
    # the map of the status's words (a backup's class has its own)
    STATUS_LABELS = labels.VOLUME_STATUS

    @property
    def status_words(self) -> str:
        return status_words(self.status, self.STATUS_LABELS)

    @property
    def status_tone(self) -> str:
        return status_tone(self.status)


@dataclass
class Attachment:
    server_id: str
    device: str = ""
    attachment_id: str = ""
    server_name: str = ""  # filled by `name_attachments` (one Nova call for a whole page)


@dataclass
class Volume(CinderStatus):
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
    description: str = ""
    encrypted: bool = False
    multiattach: bool = False
    created_at: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    snapshot_id: str = ""
    source_volid: str = ""
    migration_status: str = ""

    @property
    def label(self) -> str:
        return f"{self.name or self.id} ({self.size} GiB)"

    @property
    def busy(self) -> str:
        """Words for a transitional status (creating, attaching, ...), "" when settled."""
        return self.status_words if self.status in BUSY else ""


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
        description=getattr(v, "description", "") or "",
        encrypted=bool(getattr(v, "is_encrypted", False)),
        multiattach=bool(getattr(v, "is_multiattach", False)),
        created_at=when(getattr(v, "created_at", None)),
        metadata=dict(getattr(v, "metadata", None) or {}),
        snapshot_id=getattr(v, "snapshot_id", "") or "",
        source_volid=getattr(v, "source_volume_id", "") or "",
        migration_status=getattr(v, "migration_status", "") or "",
    )


def volume_from_json(v: dict) -> Volume:
    """A volume from Cinder's raw JSON (lists parse many rows: no SDK object per row)."""
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
        description=v.get("description") or "",
        encrypted=bool(v.get("encrypted")),
        multiattach=bool(v.get("multiattach")),
        created_at=when(v.get("created_at")),
        metadata=dict(v.get("metadata") or {}),
        snapshot_id=v.get("snapshot_id") or "",
        source_volid=v.get("source_volid") or "",
        migration_status=v.get("migration_status") or "",
    )


@translated("volume")
def list_all_volumes(conn) -> list[Volume]:
    """The project's volumes, one Cinder request (the first MAX_PAGE), parsed as plain JSON."""
    body = raw_json(conn, "volume", "/volumes/detail", params={"limit": MAX_PAGE})
    return [volume_from_json(v) for v in body.get("volumes") or []]


@translated("volume")
def list_available_volumes(conn) -> list[Volume]:
    """Volumes that can be attached (not in use), by name."""
    body = raw_json(conn, "volume", "/volumes/detail", params={"status": "available", "limit": MAX_PAGE})
    return sorted((volume_from_json(v) for v in body.get("volumes") or []), key=lambda v: v.name.lower())


@translated("volume")
def list_bootable_volumes(conn) -> list[Volume]:
    """Volumes an instance can boot from: available, bootable and attached nowhere, by name."""
    return [v for v in list_available_volumes(conn) if v.bootable and not v.attachments]


@translated("volume", not_found=VOLUME_NOT_FOUND)
def get_volume(conn, volume_id: str) -> Volume:
    return volume_from(conn.block_storage.get_volume(volume_id))


@translated("volume")
def list_volume_bodies(conn) -> list[dict]:
    """Every volume of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next)."""
    return [v.to_dict(computed=False) for v in conn.block_storage.volumes(details=True)]


# --- the volumes list -----------------------------------------------------------------------------

# the list's sort words -> Cinder's sort keys
SORT_KEYS = {"created": "created_at", "name": "name", "size": "size", "status": "status"}


def cinder_filters(params: ListParams) -> dict[str, str]:
    """The list's filters as Cinder's query parameters.

    Cinder checks a member's filters against its resource_filters.json: the stock file allows
    name (exact), status and bootable for volumes, not "name~" (part of a name) nor volume_type,
    so the list offers those three."""
    query: dict[str, str] = {}
    if params.filter("name"):
        query["name"] = params.filter("name")
    if params.filter("status"):
        query["status"] = params.filter("status")
    if params.filter("bootable"):
        query["bootable"] = params.filter("bootable")
    return query


@translated("volume")
def cinder_page(conn, path: str, key: str, params: ListParams, filters: dict[str, str]) -> Page:
    """One Cinder request for a page of a list (raw JSON rows)."""

    def fetch(limit: int, marker: str, direction: str):
        query = {"limit": limit, "sort": f"{SORT_KEYS.get(params.sort, 'created_at')}:{direction}", **filters}
        if marker:
            query["marker"] = marker
        return raw_json(conn, "volume", path, params=query, microversion=MICROVERSION).get(key) or []

    return marker_page(fetch, params)


@translated("compute")
def _server_names(conn) -> dict[str, str]:
    """{server id: name} of the project's instances, to name the attachments: one Nova request
    (`GET /servers`, ids and names only). It is `instances.list_server_names`'s first page: that
    module imports this one, so this one reads the names itself."""
    servers = raw_json(conn, "compute", "/servers", params={"limit": MAX_PAGE}).get("servers") or []
    return {s["id"]: s.get("name") or "" for s in servers}


def name_attachments(items: list[Volume], names: dict[str, str]) -> None:
    for vol in items:
        for att in vol.attachments:
            att.server_name = names.get(att.server_id, "")


@translated("volume")
def list_volumes(conn, params: ListParams) -> Page:
    """A page of the project's volumes with their attachments named: one Cinder page and one Nova
    listing of names, made at once (the names are optional: ids show if Nova fails)."""
    found = concurrently(
        {
            "page": lambda: cinder_page(conn, "/volumes/detail", "volumes", params, cinder_filters(params)),
            "names": lambda: _server_names(conn),
        },
        services={"page": "volume", "names": "compute"},
        optional=("names",),
    )
    page = found["page"].map(volume_from_json)
    name_attachments(page.items, found["names"] if isinstance(found["names"], dict) else {})
    return page


@translated("volume", not_found=VOLUME_NOT_FOUND)
def get_volume_with_names(conn, volume_id: str) -> Volume:
    """One volume with its attachments named (two calls at once)."""
    found = concurrently(
        {
            "volume": lambda: raw_json(conn, "volume", f"/volumes/{volume_id}", microversion=MICROVERSION)["volume"],
            "names": lambda: _server_names(conn),
        },
        services={"volume": "volume", "names": "compute"},
        optional=("names",),
    )
    vol = volume_from_json(found["volume"])
    name_attachments([vol], found["names"] if isinstance(found["names"], dict) else {})
    return vol


# --- create, edit, delete -------------------------------------------------------------------------


@dataclass
class NewVolume:
    """What a create form asks Cinder for: a size and at most one source."""

    name: str
    size: int
    description: str = ""
    volume_type: str = ""
    availability_zone: str = ""
    image_id: str = ""
    snapshot_id: str = ""
    source_volid: str = ""
    backup_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


@translated("volume")
def create_volume(conn, new: NewVolume) -> str:
    body: dict[str, Any] = {"name": new.name, "size": new.size, "description": new.description}
    for key in ("volume_type", "availability_zone", "snapshot_id", "source_volid", "backup_id"):
        if getattr(new, key):
            body[key] = getattr(new, key)
    if new.image_id:
        body["imageRef"] = new.image_id
    if new.metadata:
        body["metadata"] = new.metadata
    answer = raw_json(conn, "volume", "/volumes", method="post", json={"volume": body}, microversion=MICROVERSION)
    return answer["volume"]["id"]


@translated("volume", not_found=VOLUME_NOT_FOUND)
def update_volume(conn, volume_id: str, name: str, description: str) -> None:
    raw_json(
        conn,
        "volume",
        f"/volumes/{volume_id}",
        method="put",
        json={"volume": {"name": name, "description": description}},
        microversion=MICROVERSION,
    )


@translated("volume", not_found=VOLUME_NOT_FOUND)
def delete_volume(conn, volume_id: str) -> None:
    raw_json(conn, "volume", f"/volumes/{volume_id}", method="delete", microversion=MICROVERSION)


# --- the volumes of snapshots, backups and transfers, named --------------------------------------


def rows_with_volume_names(rows: list, names: dict[str, str]) -> list[dict]:
    """Rows (snapshots, backups, transfers) with the name of their volume beside them."""
    return [{"obj": r, "volume_name": names.get(r.volume_id, "")} for r in rows]


@translated("volume")
def list_volume_names(conn) -> dict[str, str]:
    """{volume id: name} of the project's volumes, one Cinder request (summary list, no details)."""
    found = raw_json(conn, "volume", "/volumes", params={"limit": MAX_PAGE}, microversion=MICROVERSION)
    return {v["id"]: v.get("name") or "" for v in found.get("volumes") or []}


@translated("volume")
def with_volume_names(conn, page_call) -> tuple[Any, dict[str, str]]:
    """`page_call()` and the project's volume names, at once: (its result, {volume id: name}); the
    names are optional (ids show if they cannot be read)."""
    found = concurrently(
        {"page": page_call, "names": lambda: list_volume_names(conn)},
        services={"page": "volume", "names": "volume"},
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return found["page"], names
