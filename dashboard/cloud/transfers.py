"""Volume transfers (Cinder): a volume handed from one project to another with a secret key.

The list is one Cinder call (a project has few open transfers); the key is shown once, in the
answer to the create.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy

from .calls import raw_json, translated
from .volumes import MICROVERSION, VOLUME_NOT_FOUND, when

TRANSFER_NOT_FOUND = gettext_lazy("The volume transfer was not found; it may have been accepted or deleted.")


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
        created_at=when(t.get("created_at")),
        auth_key=t.get("auth_key") or "",
    )


@translated("volume")
def list_transfers(conn) -> list[Transfer]:
    """The project's open transfers (one Cinder request; there are few)."""
    # no limit: this Cinder answers an empty list to /volume-transfers/detail?limit=N
    found = raw_json(conn, "volume", "/volume-transfers/detail", microversion=MICROVERSION)
    return [transfer_from_json(t) for t in found.get("transfers") or []]


@translated("volume", not_found=VOLUME_NOT_FOUND)
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


@translated("volume", not_found=TRANSFER_NOT_FOUND)
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


@translated("volume", not_found=TRANSFER_NOT_FOUND)
def delete_transfer(conn, transfer_id: str) -> None:
    raw_json(conn, "volume", f"/volume-transfers/{transfer_id}", method="delete", microversion=MICROVERSION)
