"""Images (Glance) as Zenith shows them.

The images panel's list, detail and uploads will live here; today: the names of a page's images
(one call for any number) and the images an instance can be rebuilt or launched from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .calls import raw_json, translated

# Glance's largest page by default (api_limit_max)
MAX_PAGE = 1000


@dataclass
class Image:
    id: str
    name: str
    status: str = ""
    visibility: str = ""
    owner_id: str = ""
    disk_format: str = ""
    container_format: str = ""
    size: int | None = None  # bytes
    min_disk: int = 0  # GiB
    min_ram: int = 0  # MiB
    is_protected: bool = False
    created_at: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


def image_from(i: Any) -> Image:
    return Image(
        id=i.id,
        name=i.name or "",
        status=i.status or "",
        visibility=i.visibility or "",
        owner_id=getattr(i, "owner_id", None) or getattr(i, "owner", None) or "",
        disk_format=i.disk_format or "",
        container_format=i.container_format or "",
        size=i.size,
        min_disk=i.min_disk or 0,
        min_ram=i.min_ram or 0,
        is_protected=bool(i.is_protected),
        created_at=i.created_at or "",
    )


def image_from_json(i: dict) -> Image:
    return Image(
        id=i["id"],
        name=i.get("name") or "",
        status=i.get("status") or "",
        visibility=i.get("visibility") or "",
        owner_id=i.get("owner") or "",
        disk_format=i.get("disk_format") or "",
        container_format=i.get("container_format") or "",
        size=i.get("size"),
        min_disk=i.get("min_disk") or 0,
        min_ram=i.get("min_ram") or 0,
        is_protected=bool(i.get("protected")),
        created_at=i.get("created_at") or "",
    )


@translated("image")
def image_names(conn, image_ids: set[str]) -> dict[str, str]:
    """Names of the given images in one Glance request (unknown or hidden ones are left out)."""
    ids = sorted(i for i in image_ids if i)
    if not ids:
        return {}
    images = conn.image.images(id="in:" + ",".join(ids), limit=len(ids), paginated=False)
    return {img.id: img.name or "" for img in images}


@translated("image", what=_("The image"))
def get_image(conn, image_id: str) -> Image:
    return image_from(conn.image.get_image(image_id))


@translated("image")
def active_images(conn, project_id: str = "") -> list[Image]:
    """Images that can be booted (one Glance request, the first MAX_PAGE), by name.

    With a project id, only what that project may use: Glance shows administrators every
    project's private images too.
    """
    body = raw_json(conn, "image", "/images", params={"status": "active", "limit": MAX_PAGE})
    images = [image_from_json(i) for i in body.get("images") or []]
    if project_id:
        images = [i for i in images if i.owner_id == project_id or i.visibility != "private"]
    return sorted(images, key=lambda i: (i.name.lower(), i.id))


@translated("image")
def image_bodies(conn, project_id: str) -> list[dict]:
    """Every image the project may see, all pages, each as a plain dict of its fields (for the live
    poller, which compares one list with the next), whatever the token's role.

    With a member's token Glance itself answers with the project's own images and the public,
    community and shared-with-it ones. With an admin's token it answers with every project's
    images, so they are asked for by owner and visibility instead (3 calls); images other projects
    share with this one are then left out (Glance would need one call per image to say so).
    """
    if not _is_admin_token(conn):
        return [i.to_dict(computed=False) for i in conn.image.images()]
    found: dict[str, dict] = {}
    for query in ({"owner": project_id}, {"visibility": "public"}, {"visibility": "community"}):
        for image in conn.image.images(**query):
            found[image.id] = image.to_dict(computed=False)
    return list(found.values())


def _is_admin_token(conn) -> bool:
    auth_ref = getattr(conn.session.auth, "auth_ref", None)
    return "admin" in (getattr(auth_ref, "role_names", None) or [])
