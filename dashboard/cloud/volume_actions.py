"""What can be done to a volume: the table of what each state allows, and the calls that do it
besides create, edit and delete (those are in `volumes`).

Each function is one request to Cinder (two for a revert: the newest snapshot, then the revert);
attaching and detaching go through Nova (`instance_actions.attach_volume`, `detach_volume`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from .actions import Action, catalogue
from .calls import raw_json, translated
from .errors import CloudError
from .volumes import MICROVERSION, VOLUME_NOT_FOUND, Volume

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
        done=gettext_lazy("The volume “%(subject)s” is being detached."),
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
        done=gettext_lazy("The volume “%(subject)s” is going back to its latest snapshot."),
    ),
    Action("launch", gettext_lazy("Launch as instance"), "rocket-takeoff", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this volume? This cannot be undone."),
        danger=True,
        done=gettext_lazy("The volume “%(subject)s” is being deleted."),
        bulk_confirm=gettext_lazy("Delete the selected volumes? This cannot be undone."),
        bulk_done=ngettext_lazy("%(count)d volume is being deleted.", "%(count)d volumes are being deleted.", "count"),
    ),
)
BULK = ("delete",)

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


# --- the actions --------------------------------------------------------------------------------


def _action(conn, volume_id: str, body: dict, microversion: str = MICROVERSION) -> dict:
    return raw_json(conn, "volume", f"/volumes/{volume_id}/action", method="post", json=body, microversion=microversion)


@translated("volume", not_found=VOLUME_NOT_FOUND)
def extend_volume(conn, volume_id: str, new_size: int) -> None:
    _action(conn, volume_id, {"os-extend": {"new_size": new_size}})


@translated("volume", not_found=VOLUME_NOT_FOUND)
def set_volume_bootable(conn, volume_id: str, bootable: bool) -> None:
    _action(conn, volume_id, {"os-set_bootable": {"bootable": bootable}})


@translated("volume", not_found=VOLUME_NOT_FOUND)
def retype_volume(conn, volume_id: str, new_type: str, migrate: bool) -> None:
    policy = "on-demand" if migrate else "never"
    _action(conn, volume_id, {"os-retype": {"new_type": new_type, "migration_policy": policy}})


@translated("volume", not_found=VOLUME_NOT_FOUND)
def upload_volume_to_image(conn, volume_id: str, image_name: str, disk_format: str, force: bool) -> str:
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


@translated("volume", not_found=VOLUME_NOT_FOUND)
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


@translated("volume", not_found=VOLUME_NOT_FOUND)
def set_volume_metadata(conn, volume_id: str, metadata: dict[str, str]) -> None:
    """Replace the volume's metadata with these keys and values."""
    raw_json(
        conn,
        "volume",
        f"/volumes/{volume_id}/metadata",
        method="put",
        json={"metadata": metadata},
        microversion=MICROVERSION,
    )
