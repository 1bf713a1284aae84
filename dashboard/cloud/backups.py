"""Volume backups (Cinder): the list, one backup, create, restore, delete, and what each state allows.

Backups need Cinder's backup service (cinder-backup): when none runs, Cinder's refusal is said in
words that name it (`NO_BACKUP_SERVICE`). What a page costs: the list is one Cinder page and, at
once, one Cinder listing of the project's volume names; one backup is one call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from . import labels
from .actions import Action, catalogue
from .calls import raw_json, raw_list, translated
from .errors import CloudError, translate
from .paging import ListParams, Page
from .volumes import (
    MAX_PAGE,
    MICROVERSION,
    VOLUME_NOT_FOUND,
    CinderStatus,
    cinder_page,
    when,
    with_volume_names,
)

BACKUP_NOT_FOUND = gettext_lazy("The backup was not found; it may have been deleted.")


@dataclass
class Backup(CinderStatus):
    STATUS_LABELS = labels.BACKUP_STATUS

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
        created_at=when(b.get("created_at")),
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
    page, names = with_volume_names(conn, lambda: cinder_page(conn, "/backups/detail", "backups", params, filters))
    return page.map(backup_from_json), names


@translated("volume")
def list_backup_bodies(conn) -> list[dict]:
    """Every backup of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next: a backup's status and size change as it runs)."""
    return raw_list(conn, "volume", "/backups/detail", "backups")


@translated("volume", not_found=BACKUP_NOT_FOUND)
def get_backup(conn, backup_id: str) -> Backup:
    return backup_from_json(raw_json(conn, "volume", f"/backups/{backup_id}", microversion=MICROVERSION)["backup"])


@translated("volume", not_found=VOLUME_NOT_FOUND)
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
        err = translate(exc, service="volume", not_found=VOLUME_NOT_FOUND)
        raise _backup_refusal(err) if isinstance(err, CloudError) else err from None
    return answer["backup"]["id"]


@translated("volume", not_found=BACKUP_NOT_FOUND)
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
        err = translate(exc, service="volume", not_found=BACKUP_NOT_FOUND)
        raise _backup_refusal(err) if isinstance(err, CloudError) else err from None
    return (answer.get("restore") or {}).get("volume_id", "")


@translated("volume", not_found=BACKUP_NOT_FOUND)
def delete_backup(conn, backup_id: str) -> None:
    raw_json(conn, "volume", f"/backups/{backup_id}", method="delete", microversion=MICROVERSION)


ACTIONS = catalogue(
    Action("restore", gettext_lazy("Restore"), "cloud-arrow-down", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this backup? This cannot be undone."),
        danger=True,
        done=gettext_lazy("The backup “%(subject)s” is being deleted."),
    ),
)


def allowed_actions(status: str, has_dependents: bool = False) -> set[str]:
    allowed = {"restore", "delete"} if status == "available" else {"delete"} if status == "error" else set()
    if has_dependents:
        allowed.discard("delete")  # Cinder refuses to delete a backup that incremental ones build on
    return allowed


def offered(backup: Backup) -> list[Action]:
    allowed = allowed_actions(backup.status, backup.has_dependent_backups)
    return [a for name, a in ACTIONS.items() if name in allowed]


@translated("volume")
def list_available_backups(conn) -> list[Backup]:
    """Backups ready to restore or create a volume from (one Cinder request), by name."""
    found = raw_json(
        conn,
        "volume",
        "/backups/detail",
        params={"status": "available", "limit": MAX_PAGE},
        microversion=MICROVERSION,
    )
    return sorted((backup_from_json(b) for b in found.get("backups") or []), key=lambda b: (b.name.lower(), b.id))
