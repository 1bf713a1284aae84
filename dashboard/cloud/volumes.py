"""Volumes (Cinder) as Zenith shows them: volumes, snapshots, backups, transfers and types.

For the instances pages: the project's volumes (naming an instance's boot and attached volumes in
one call), those that can be attached, and the volumes and snapshots an instance can boot from.
For the volumes panel: a page of each list, one resource, the table of what each volume state
allows (`ACTIONS`, `allowed_actions`), and every Cinder action the panel offers.

What a page costs: the volumes list is one Cinder page and, at the same time, one Nova listing of
the project's server names (`GET /servers`, id and name only) to name the attachments, whatever the
number of rows; snapshots, backups and transfers lists are one Cinder page each (the snapshots and
backups lists name their volumes with one more Cinder listing made at once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import Action, catalogue
from .calls import concurrently, raw, raw_json, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page

# Cinder's largest page by default (osapi_max_limit)
MAX_PAGE = 1000
# 3.40: revert to snapshot; 3.42: extend in-use volumes;
# 3.47: a volume from a backup; 3.55: transfers (with or without snapshots)
MICROVERSION = "3.55"


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is not None and moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


STATUS_WORDS = {
    "creating": gettext_lazy("Creating"),
    "available": gettext_lazy("Available"),
    "reserved": gettext_lazy("Reserved"),
    "attaching": gettext_lazy("Attaching"),
    "detaching": gettext_lazy("Detaching"),
    "in-use": gettext_lazy("In use"),
    "maintenance": gettext_lazy("Maintenance"),
    "deleting": gettext_lazy("Deleting"),
    "awaiting-transfer": gettext_lazy("Awaiting transfer"),
    "error": gettext_lazy("Error"),
    "error_deleting": gettext_lazy("Error deleting"),
    "backing-up": gettext_lazy("Backing up"),
    "restoring-backup": gettext_lazy("Restoring backup"),
    "error_backing-up": gettext_lazy("Error backing up"),
    "error_restoring": gettext_lazy("Error restoring"),
    "error_extending": gettext_lazy("Error extending"),
    "downloading": gettext_lazy("Downloading"),
    "uploading": gettext_lazy("Uploading"),
    "retyping": gettext_lazy("Retyping"),
    "extending": gettext_lazy("Extending"),
    "reverting": gettext_lazy("Reverting"),
}
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


def status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status.replace("_", " ").replace("-", " ").capitalize()))


def status_tone(status: str) -> str:
    if status in ("available", "in-use"):
        return "success" if status == "in-use" else "primary"
    if status.startswith("error"):
        return "danger"
    return "info"


@dataclass
class Attachment:
    server_id: str
    device: str = ""
    attachment_id: str = ""
    server_name: str = ""  # filled by `name_attachments` (one Nova call for a whole page)


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
    def status_words(self) -> str:
        return status_words(self.status)

    @property
    def status_tone(self) -> str:
        return status_tone(self.status)

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
        created_at=_when(getattr(v, "created_at", None)),
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
        created_at=_when(v.get("created_at")),
        metadata=dict(v.get("metadata") or {}),
        snapshot_id=v.get("snapshot_id") or "",
        source_volid=v.get("source_volid") or "",
        migration_status=v.get("migration_status") or "",
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


@translated("volume", what=gettext_lazy("The volume"))
def get_volume(conn, volume_id: str) -> Volume:
    return volume_from(conn.block_storage.get_volume(volume_id))


@translated("volume")
def available_snapshots(conn) -> list[Snapshot]:
    """The project's volume snapshots that are ready to use (one Cinder request), by name."""
    found = conn.block_storage.snapshots(details=True, status="available", limit=MAX_PAGE, paginated=False)
    return sorted((snapshot_from(s) for s in found), key=lambda s: (s.name.lower(), s.id))


@translated("volume", what=gettext_lazy("The volume snapshot"))
def get_snapshot(conn, snapshot_id: str) -> Snapshot:
    return snapshot_from(conn.block_storage.get_snapshot(snapshot_id))


@translated("volume")
def volume_bodies(conn) -> list[dict]:
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


def _list_page(conn, path: str, key: str, params: ListParams, filters: dict[str, str]) -> Page:
    """One Cinder request for a page of a list (raw JSON rows)."""

    def fetch(limit: int, marker: str, direction: str):
        query = {"limit": limit, "sort": f"{SORT_KEYS.get(params.sort, 'created_at')}:{direction}", **filters}
        if marker:
            query["marker"] = marker
        return raw_json(conn, "volume", path, params=query, microversion=MICROVERSION).get(key) or []

    return marker_page(fetch, params)


@translated("compute")
def server_names(conn) -> dict[str, str]:
    """{server id: name} of the project's instances: one Nova request (`GET /servers`, which
    answers ids and names only), for naming attachments and offering instances to attach to."""
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
            "page": lambda: _list_page(conn, "/volumes/detail", "volumes", params, cinder_filters(params)),
            "names": lambda: server_names(conn),
        },
        services={"page": "volume", "names": "compute"},
        optional=("names",),
    )
    page = found["page"].map(volume_from_json)
    name_attachments(page.items, found["names"] if isinstance(found["names"], dict) else {})
    return page


@translated("volume", what="The volume")
def volume_detail(conn, volume_id: str) -> Volume:
    """One volume with its attachments named (two calls at once)."""
    found = concurrently(
        {
            "volume": lambda: raw_json(conn, "volume", f"/volumes/{volume_id}", microversion=MICROVERSION)["volume"],
            "names": lambda: server_names(conn),
        },
        services={"volume": "volume", "names": "compute"},
        optional=("names",),
    )
    vol = volume_from_json(found["volume"])
    name_attachments([vol], found["names"] if isinstance(found["names"], dict) else {})
    return vol


# --- what Cinder allows ---------------------------------------------------------------------------
# `allowed_actions` mirrors the status checks of cinder/volume/api.py (delete, extend, retype,
# upload, snapshot, backup, transfer, revert...), so pages offer only what Cinder would accept;
# Cinder keeps the last word. Every page showing volumes (list rows, detail) uses it.

ACTIONS = catalogue(
    Action("edit", gettext_lazy("Edit"), "pencil", form=True),
    Action("extend", gettext_lazy("Extend"), "arrows-angle-expand", form=True),
    Action("attach", gettext_lazy("Attach to instance"), "link-45deg", form=True),
    Action(
        "detach",
        gettext_lazy("Detach"),
        "x-circle",
        confirm=gettext_lazy("Detach this volume from the instance?"),
        target="server_id",
    ),
    Action("bootable", gettext_lazy("Set bootable"), "power", form=True),
    Action("retype", gettext_lazy("Change type"), "shuffle", form=True),
    Action("snapshot", gettext_lazy("Create snapshot"), "camera", form=True),
    Action("backup", gettext_lazy("Create backup"), "cloud-arrow-up", form=True),
    Action("upload", gettext_lazy("Upload to image"), "image", form=True),
    Action("transfer", gettext_lazy("Create transfer"), "box-arrow-right", form=True),
    Action("metadata", gettext_lazy("Metadata"), "tags", form=True),
    Action(
        "revert",
        gettext_lazy("Revert to latest snapshot"),
        "arrow-counterclockwise",
        confirm=gettext_lazy("Revert this volume to its latest snapshot? Newer data is lost."),
    ),
    Action("launch", gettext_lazy("Launch as instance"), "rocket-takeoff", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this volume? This cannot be undone."),
        danger=True,
    ),
)
BULK = ("delete",)

_SETTLED = {"available", "in-use"}
BY_STATUS: dict[str, set[str]] = {
    "available": {"edit", "extend", "attach", "bootable", "retype", "snapshot", "backup", "upload", "transfer"}
    | {"metadata", "revert", "launch", "delete"},
    # in use: extend online (3.42), snapshots and backups forced, uploads forced; no delete, no transfer
    "in-use": {"edit", "extend", "detach", "bootable", "retype", "snapshot", "backup", "upload", "metadata"},
    "error": {"edit", "metadata", "delete"},
    "error_restoring": {"edit", "metadata", "delete"},
    "error_extending": {"edit", "metadata", "delete"},
    "error_managing": {"delete"},
    "error_backing-up": {"edit", "metadata"},
    "awaiting-transfer": {"edit"},
}


def allowed_actions(
    status: str, attached: bool = False, multiattach: bool = False, migrating: bool = False
) -> set[str]:
    """The actions Cinder accepts for a volume in this state."""
    allowed = set(BY_STATUS.get(status, set()))
    if status == "in-use" and multiattach:
        allowed.add("attach")  # a multi-attach volume may join more instances
    if attached or migrating:
        allowed.discard("delete")
    if migrating:
        allowed -= {"extend", "retype", "transfer", "revert"}
    return allowed


def offered(vol: Volume) -> list[Action]:
    """The allowed actions on a volume, in display order (the targeted ones are on the detail page)."""
    allowed = allowed_actions(
        vol.status, bool(vol.attachments), vol.multiattach, vol.migration_status not in ("", "success", "error")
    )
    return [a for name, a in ACTIONS.items() if name in allowed and not a.target]


# --- volume actions -------------------------------------------------------------------------------
VOLUME = "The volume"


def _action(conn, volume_id: str, body: dict, microversion: str = MICROVERSION) -> dict:
    return raw_json(conn, "volume", f"/volumes/{volume_id}/action", method="post", json=body, microversion=microversion)


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


@translated("volume", what=VOLUME)
def update_volume(conn, volume_id: str, name: str, description: str) -> None:
    raw_json(
        conn,
        "volume",
        f"/volumes/{volume_id}",
        method="put",
        json={"volume": {"name": name, "description": description}},
        microversion=MICROVERSION,
    )


@translated("volume", what=VOLUME)
def delete_volume(conn, volume_id: str) -> None:
    raw_json(conn, "volume", f"/volumes/{volume_id}", method="delete", microversion=MICROVERSION)


@translated("volume", what=VOLUME)
def extend_volume(conn, volume_id: str, new_size: int) -> None:
    _action(conn, volume_id, {"os-extend": {"new_size": new_size}})


@translated("volume", what=VOLUME)
def set_bootable(conn, volume_id: str, bootable: bool) -> None:
    _action(conn, volume_id, {"os-set_bootable": {"bootable": bootable}})


@translated("volume", what=VOLUME)
def retype_volume(conn, volume_id: str, new_type: str, migrate: bool) -> None:
    policy = "on-demand" if migrate else "never"
    _action(conn, volume_id, {"os-retype": {"new_type": new_type, "migration_policy": policy}})


@translated("volume", what=VOLUME)
def upload_to_image(conn, volume_id: str, image_name: str, disk_format: str, force: bool) -> str:
    answer = _action(
        conn,
        volume_id,
        {
            "os-volume_upload_image": {
                "image_name": image_name,
                "disk_format": disk_format,
                "container_format": "bare",
                "force": force,
            }
        },
    )
    return (answer.get("os-volume_upload_image") or {}).get("image_id", "")


@translated("volume", what=VOLUME)
def revert_to_latest_snapshot(conn, volume_id: str) -> str:
    """Revert a volume to its newest available snapshot (Cinder accepts only that one)."""
    snaps = raw_json(
        conn,
        "volume",
        "/snapshots/detail",
        params={"volume_id": volume_id, "status": "available", "sort": "created_at:desc", "limit": 1},
        microversion=MICROVERSION,
    ).get("snapshots")
    if not snaps:
        raise CloudError("conflict", _("This volume has no available snapshot to revert to."))
    _action(conn, volume_id, {"revert": {"snapshot_id": snaps[0]["id"]}})
    return snaps[0].get("name") or snaps[0]["id"]


@translated("volume", what=VOLUME)
def set_metadata(conn, volume_id: str, metadata: dict[str, str]) -> None:
    """Replace the volume's metadata with these keys and values."""
    raw_json(
        conn,
        "volume",
        f"/volumes/{volume_id}/metadata",
        method="put",
        json={"metadata": metadata},
        microversion=MICROVERSION,
    )


@translated("compute", what="The instance or volume")
def attach_to_instance(conn, volume_id: str, server_id: str) -> str:
    """Attach through Nova (it asks Cinder); returns the device Nova chose."""
    answer = raw_json(
        conn,
        "compute",
        f"/servers/{server_id}/os-volume_attachments",
        method="post",
        json={"volumeAttachment": {"volumeId": volume_id}},
    )
    return (answer.get("volumeAttachment") or {}).get("device") or ""


@translated("compute", what="The volume attachment")
def detach_from_instance(conn, volume_id: str, server_id: str) -> None:
    raw(conn, "compute", f"/servers/{server_id}/os-volume_attachments/{volume_id}", method="delete")


# --- snapshots ------------------------------------------------------------------------------------


def snapshot_from_json(s: dict) -> Snapshot:
    return Snapshot(
        id=s["id"],
        name=s.get("name") or "",
        size=s.get("size") or 0,
        status=s.get("status") or "",
        volume_id=s.get("volume_id") or "",
        description=s.get("description") or "",
        project_id=s.get("os-extended-snapshot-attributes:project_id") or "",
        created_at=s.get("created_at") or "",
    )


def volume_names(rows: list, names: dict[str, str]) -> list[dict]:
    """Rows (snapshots, backups, transfers) with the name of their volume beside them."""
    return [{"obj": r, "volume_name": names.get(r.volume_id, "")} for r in rows]


@translated("volume")
def all_volume_names(conn) -> dict[str, str]:
    """{volume id: name} of the project's volumes, one Cinder request (summary list, no details)."""
    found = raw_json(conn, "volume", "/volumes", params={"limit": MAX_PAGE}, microversion=MICROVERSION)
    return {v["id"]: v.get("name") or "" for v in found.get("volumes") or []}


def _with_names(conn, page_call):
    found = concurrently(
        {"page": page_call, "names": lambda: all_volume_names(conn)},
        services={"page": "volume", "names": "volume"},
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return found["page"], names


@translated("volume")
def list_snapshots(conn, params: ListParams) -> tuple[Page, dict[str, str]]:
    """A page of the project's snapshots, and the names of the volumes (two Cinder calls at once)."""
    filters = {"name": params.filter("name")} if params.filter("name") else {}
    page, names = _with_names(conn, lambda: _list_page(conn, "/snapshots/detail", "snapshots", params, filters))
    return page.map(snapshot_from_json), names


@translated("volume", what="The volume snapshot")
def snapshot_detail(conn, snapshot_id: str) -> Snapshot:
    return snapshot_from_json(
        raw_json(conn, "volume", f"/snapshots/{snapshot_id}", microversion=MICROVERSION)["snapshot"]
    )


@translated("volume", what=VOLUME)
def create_snapshot(conn, volume_id: str, name: str, description: str = "", force: bool = False) -> str:
    body = {"volume_id": volume_id, "name": name, "description": description, "force": force}
    answer = raw_json(conn, "volume", "/snapshots", method="post", json={"snapshot": body}, microversion=MICROVERSION)
    return answer["snapshot"]["id"]


@translated("volume", what="The volume snapshot")
def update_snapshot(conn, snapshot_id: str, name: str, description: str) -> None:
    raw_json(
        conn,
        "volume",
        f"/snapshots/{snapshot_id}",
        method="put",
        json={"snapshot": {"name": name, "description": description}},
        microversion=MICROVERSION,
    )


@translated("volume", what="The volume snapshot")
def delete_snapshot(conn, snapshot_id: str) -> None:
    raw_json(conn, "volume", f"/snapshots/{snapshot_id}", method="delete", microversion=MICROVERSION)


SNAPSHOT_ACTIONS = catalogue(
    Action("edit", gettext_lazy("Edit"), "pencil", form=True),
    Action("create_volume", gettext_lazy("Create volume"), "hdd", form=True),
    Action("launch", gettext_lazy("Launch as instance"), "rocket-takeoff", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this snapshot? This cannot be undone."),
        danger=True,
    ),
)


def snapshot_allowed(status: str) -> set[str]:
    if status == "available":
        return {"edit", "create_volume", "launch", "delete"}
    if status in ("error", "error_deleting"):
        return {"edit", "delete"}
    return set()


def snapshot_offered(snap: Snapshot) -> list[Action]:
    allowed = snapshot_allowed(snap.status)
    return [a for name, a in SNAPSHOT_ACTIONS.items() if name in allowed]


# --- backups --------------------------------------------------------------------------------------


@dataclass
class Backup:
    id: str
    name: str
    status: str = ""
    size: int = 0
    volume_id: str = ""
    snapshot_id: str = ""
    description: str = ""
    incremental: bool = False
    has_dependent_backups: bool = False
    created_at: datetime | None = None
    fail_reason: str = ""

    @property
    def status_words(self) -> str:
        return status_words(self.status)

    @property
    def status_tone(self) -> str:
        return status_tone(self.status)


def backup_from_json(b: dict) -> Backup:
    return Backup(
        id=b["id"],
        name=b.get("name") or "",
        status=b.get("status") or "",
        size=b.get("size") or 0,
        volume_id=b.get("volume_id") or "",
        snapshot_id=b.get("snapshot_id") or "",
        description=b.get("description") or "",
        incremental=bool(b.get("is_incremental")),
        has_dependent_backups=bool(b.get("has_dependent_backups")),
        created_at=_when(b.get("created_at")),
        fail_reason=b.get("fail_reason") or "",
    )


NO_BACKUP_SERVICE = gettext_lazy(
    "This cloud has no volume backup service running (cinder-backup): backups cannot be made or restored now."
)


def _backup_refusal(err: CloudError) -> CloudError:
    """Cinder's refusal when no cinder-backup runs, in words that say so."""
    if re.search(r"backup.*(service|host)|service.*backup", err.detail or err.message, re.IGNORECASE):
        return CloudError("unavailable", str(NO_BACKUP_SERVICE), err.detail)
    return err


@translated("volume")
def list_backups(conn, params: ListParams) -> tuple[Page, dict[str, str]]:
    filters = {"name": params.filter("name")} if params.filter("name") else {}
    page, names = _with_names(conn, lambda: _list_page(conn, "/backups/detail", "backups", params, filters))
    return page.map(backup_from_json), names


@translated("volume", what="The backup")
def backup_detail(conn, backup_id: str) -> Backup:
    return backup_from_json(raw_json(conn, "volume", f"/backups/{backup_id}", microversion=MICROVERSION)["backup"])


@translated("volume", what=VOLUME)
def create_backup(
    conn,
    volume_id: str,
    name: str,
    description: str = "",
    incremental: bool = False,
    force: bool = False,
    snapshot_id: str = "",
) -> str:
    body: dict[str, Any] = {
        "volume_id": volume_id,
        "name": name,
        "description": description,
        "incremental": incremental,
        "force": force,
    }
    if snapshot_id:
        body["snapshot_id"] = snapshot_id
    try:
        answer = raw_json(conn, "volume", "/backups", method="post", json={"backup": body}, microversion=MICROVERSION)
    except Exception as exc:  # noqa: BLE001 - translated here to recognise "no backup service"
        from .errors import translate

        err = translate(exc, service="volume", what=VOLUME)
        raise _backup_refusal(err) if isinstance(err, CloudError) else err from None
    return answer["backup"]["id"]


@translated("volume", what="The backup")
def restore_backup(conn, backup_id: str, volume_id: str = "", name: str = "") -> str:
    """Restore into an existing volume (`volume_id`) or a new one (`name`); returns the volume's id."""
    body = {"volume_id": volume_id} if volume_id else {"name": name}
    try:
        answer = raw_json(
            conn,
            "volume",
            f"/backups/{backup_id}/restore",
            method="post",
            json={"restore": body},
            microversion=MICROVERSION,
        )
    except Exception as exc:  # noqa: BLE001
        from .errors import translate

        err = translate(exc, service="volume", what="The backup")
        raise _backup_refusal(err) if isinstance(err, CloudError) else err from None
    return (answer.get("restore") or {}).get("volume_id", "")


@translated("volume", what="The backup")
def delete_backup(conn, backup_id: str) -> None:
    raw_json(conn, "volume", f"/backups/{backup_id}", method="delete", microversion=MICROVERSION)


BACKUP_ACTIONS = catalogue(
    Action("restore", gettext_lazy("Restore"), "cloud-arrow-down", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this backup? This cannot be undone."),
        danger=True,
    ),
)


def backup_allowed(status: str, has_dependents: bool = False) -> set[str]:
    allowed = {"restore", "delete"} if status == "available" else {"delete"} if status == "error" else set()
    if has_dependents:
        allowed.discard("delete")  # Cinder refuses to delete a backup that incremental ones build on
    return allowed


def backup_offered(backup: Backup) -> list[Action]:
    allowed = backup_allowed(backup.status, backup.has_dependent_backups)
    return [a for name, a in BACKUP_ACTIONS.items() if name in allowed]


# --- transfers ------------------------------------------------------------------------------------


@dataclass
class Transfer:
    id: str
    name: str
    volume_id: str = ""
    created_at: datetime | None = None
    auth_key: str = ""  # only in the answer to a create: shown once


def transfer_from_json(t: dict) -> Transfer:
    return Transfer(
        id=t["id"],
        name=t.get("name") or "",
        volume_id=t.get("volume_id") or "",
        created_at=_when(t.get("created_at")),
        auth_key=t.get("auth_key") or "",
    )


@translated("volume")
def list_transfers(conn) -> list[Transfer]:
    """The project's open transfers (one Cinder request; there are few)."""
    # no limit: this Cinder answers an empty list to /volume-transfers/detail?limit=N
    found = raw_json(conn, "volume", "/volume-transfers/detail", microversion=MICROVERSION)
    return [transfer_from_json(t) for t in found.get("transfers") or []]


@translated("volume", what=VOLUME)
def create_transfer(conn, volume_id: str, name: str) -> Transfer:
    answer = raw_json(
        conn,
        "volume",
        "/volume-transfers",
        method="post",
        json={"transfer": {"volume_id": volume_id, "name": name}},
        microversion=MICROVERSION,
    )
    return transfer_from_json(answer["transfer"])


@translated("volume", what="The transfer")
def accept_transfer(conn, transfer_id: str, auth_key: str) -> str:
    """Take the transferred volume into the current project; returns its id."""
    answer = raw_json(
        conn,
        "volume",
        f"/volume-transfers/{transfer_id}/accept",
        method="post",
        json={"accept": {"auth_key": auth_key}},
        microversion=MICROVERSION,
    )
    return (answer.get("transfer") or {}).get("volume_id", "")


@translated("volume", what="The transfer")
def delete_transfer(conn, transfer_id: str) -> None:
    raw_json(conn, "volume", f"/volume-transfers/{transfer_id}", method="delete", microversion=MICROVERSION)


# --- types, zones and quotas ----------------------------------------------------------------------


@dataclass
class VolumeType:
    id: str
    name: str
    description: str = ""
    is_public: bool = True
    extra_specs: dict[str, str] = field(default_factory=dict)
    qos_specs_id: str = ""


def type_from_json(t: dict) -> VolumeType:
    return VolumeType(
        id=t["id"],
        name=t.get("name") or "",
        description=t.get("description") or "",
        is_public=bool(t.get("os-volume-type-access:is_public", t.get("is_public", True))),
        extra_specs=dict(t.get("extra_specs") or {}),
        qos_specs_id=t.get("qos_specs_id") or "",
    )


@translated("volume")
def volume_types(conn) -> list[VolumeType]:
    """The volume types the project may use (an admin sees every type, with extra specs)."""
    found = raw_json(conn, "volume", "/types", params={"is_public": "None"}, microversion=MICROVERSION)
    return sorted((type_from_json(t) for t in found.get("volume_types") or []), key=lambda t: t.name.lower())


@dataclass
class QosSpec:
    id: str
    name: str
    consumer: str = ""
    specs: dict[str, str] = field(default_factory=dict)


@translated("volume")
def qos_specs(conn) -> list[QosSpec]:
    """QoS specs (admin only)."""
    found = raw_json(conn, "volume", "/qos-specs", microversion=MICROVERSION).get("qos_specs") or []
    return [QosSpec(q["id"], q.get("name") or "", q.get("consumer") or "", dict(q.get("specs") or {})) for q in found]


@translated("volume")
def availability_zones(conn) -> list[str]:
    found = raw_json(conn, "volume", "/os-availability-zone", microversion=MICROVERSION)
    return sorted(
        z["zoneName"] for z in found.get("availabilityZoneInfo") or [] if (z.get("zoneState") or {}).get("available")
    )


@dataclass
class Limit:
    limit: int  # -1: unlimited
    in_use: int = 0

    @property
    def left(self) -> int | None:
        return None if self.limit < 0 else max(0, self.limit - self.in_use)


@translated("volume", what="Project")
def volume_limits(conn, project_id: str) -> dict[str, Limit]:
    """The project's Cinder quotas with usage: volumes, gigabytes, snapshots, backups and the
    per-type ones ("volumes_<type>", "gigabytes_<type>"); one request."""
    body = raw_json(conn, "volume", f"/os-quota-sets/{project_id}", params={"usage": "True"})["quota_set"]
    return {
        key: Limit(int(value.get("limit", -1)), int(value.get("in_use") or 0) + int(value.get("reserved") or 0))
        for key, value in body.items()
        if isinstance(value, dict)
    }


def quota_problem(limits: dict[str, Limit], size: int, volume_type: str = "", count: int = 1) -> str:
    """Why a new volume of `size` GiB (of `volume_type`) would go over quota, or "" if it fits."""
    checks = [("volumes", count, _("volumes")), ("gigabytes", size * count, _("GiB of volume storage"))]
    if volume_type:
        checks += [
            (f"volumes_{volume_type}", count, _("volumes of type %(type)s") % {"type": volume_type}),
            (
                f"gigabytes_{volume_type}",
                size * count,
                _("GiB of type %(type)s") % {"type": volume_type},
            ),
        ]
    for key, wanted, words in checks:
        limit = limits.get(key)
        if limit is None or limit.left is None:
            continue
        if wanted > limit.left:
            return _("Over quota: %(wanted)s %(words)s asked, %(left)s left (limit %(limit)s).") % {
                "wanted": wanted,
                "words": words,
                "left": limit.left,
                "limit": limit.limit,
            }
    return ""


@translated("volume")
def available_backups(conn) -> list[Backup]:
    """Backups ready to restore or create a volume from (one Cinder request), by name."""
    found = raw_json(
        conn,
        "volume",
        "/backups/detail",
        params={"status": "available", "limit": MAX_PAGE},
        microversion=MICROVERSION,
    )
    return sorted((backup_from_json(b) for b in found.get("backups") or []), key=lambda b: (b.name.lower(), b.id))
