"""Volume snapshots (Cinder): the list, one snapshot, create, edit, delete, and what each state allows.

What a page costs: the list is one Cinder page and, at once, one Cinder listing of the project's
volume names (`volumes.with_volume_names`), whatever the number of rows; one snapshot is one call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from . import labels
from .actions import Action, catalogue
from .calls import raw_json, raw_list, translated
from .paging import ListParams, Page
from .volumes import MAX_PAGE, MICROVERSION, VOLUME_NOT_FOUND, CinderStatus, cinder_page, with_volume_names

SNAPSHOT_NOT_FOUND = gettext_lazy("The volume snapshot was not found; it may have been deleted.")


@dataclass
class Snapshot(CinderStatus):
    STATUS_LABELS = labels.SNAPSHOT_STATUS

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
def list_available_snapshots(conn) -> list[Snapshot]:
    """The project's volume snapshots that are ready to use (one Cinder request), by name."""
    found = conn.block_storage.snapshots(details=True, status="available", limit=MAX_PAGE, paginated=False)
    return sorted((snapshot_from(s) for s in found), key=lambda s: (s.name.lower(), s.id))


@translated("volume")
def list_snapshot_bodies(conn) -> list[dict]:
    """Every snapshot of the project, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next)."""
    return raw_list(conn, "volume", "/snapshots/detail", "snapshots")


@translated("volume", not_found=SNAPSHOT_NOT_FOUND)
def get_snapshot(conn, snapshot_id: str) -> Snapshot:
    return snapshot_from(conn.block_storage.get_snapshot(snapshot_id))


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


@translated("volume")
def list_snapshots(conn, params: ListParams) -> tuple[Page, dict[str, str]]:
    """A page of the project's snapshots, and the names of the volumes (two Cinder calls at once)."""
    filters = {"name": params.filter("name")} if params.filter("name") else {}
    page, names = with_volume_names(conn, lambda: cinder_page(conn, "/snapshots/detail", "snapshots", params, filters))
    return page.map(snapshot_from_json), names


@translated("volume", not_found=VOLUME_NOT_FOUND)
def create_snapshot(conn, volume_id: str, name: str, description: str = "", force: bool = False) -> str:
    body = {"volume_id": volume_id, "name": name, "description": description, "force": force}
    answer = raw_json(conn, "volume", "/snapshots", method="post", json={"snapshot": body}, microversion=MICROVERSION)
    return answer["snapshot"]["id"]


@translated("volume", not_found=SNAPSHOT_NOT_FOUND)
def update_snapshot(conn, snapshot_id: str, name: str, description: str) -> None:
    raw_json(
        conn,
        "volume",
        f"/snapshots/{snapshot_id}",
        method="put",
        json={"snapshot": {"name": name, "description": description}},
        microversion=MICROVERSION,
    )


@translated("volume", not_found=SNAPSHOT_NOT_FOUND)
def delete_snapshot(conn, snapshot_id: str) -> None:
    raw_json(conn, "volume", f"/snapshots/{snapshot_id}", method="delete", microversion=MICROVERSION)


ACTIONS = catalogue(
    Action("edit", gettext_lazy("Edit"), "pencil", form=True),
    Action("create_volume", gettext_lazy("Create volume"), "hdd", form=True),
    Action("launch", gettext_lazy("Launch as instance"), "rocket-takeoff", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this snapshot? This cannot be undone."),
        danger=True,
        done=gettext_lazy("The snapshot “%(subject)s” is being deleted."),
    ),
)


def allowed_actions(status: str) -> set[str]:
    if status == "available":
        return {"edit", "create_volume", "launch", "delete"}
    if status in ("error", "error_deleting"):
        return {"edit", "delete"}
    return set()


def offered(snap: Snapshot) -> list[Action]:
    allowed = allowed_actions(snap.status)
    return [a for name, a in ACTIONS.items() if name in allowed]
