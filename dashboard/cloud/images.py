"""Images (Glance) as Zenith shows them.

The images panel's list, detail, edits, members, imports and streamed uploads; the names of a
page's images (one call for any number) and the images an instance can be rebuilt or launched from.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from .actions import Action, catalogue
from .calls import deployment_setting, raw, raw_json, raw_list, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page

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


def image_brief_from_json(i: dict) -> Image:
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


@translated("image", what=gettext_lazy("The image"))
def get_image(conn, image_id: str) -> Image:
    return image_from(conn.image.get_image(image_id))


@translated("image")
def active_images(conn, project_id: str = "") -> list[Image]:
    """Images that can be booted (one Glance request, the first MAX_PAGE), by name.

    With a project id, only what that project may use: Glance shows administrators every
    project's private images too.
    """
    body = raw_json(conn, "image", "/images", params={"status": "active", "limit": MAX_PAGE})
    images = [image_brief_from_json(i) for i in body.get("images") or []]
    if project_id:
        images = [i for i in images if i.owner_id == project_id or i.visibility != "private"]
    return sorted(images, key=lambda i: (i.name.lower(), i.id))


@translated("image")
def image_bodies(conn, project_id: str) -> list[dict]:
    """Every image the project may see (its own, public, community, shared with it), all pages,
    each as a plain dict of its fields (for the live poller, which compares one list with the
    next), whatever the token's role: 3 listings.

    With a member's token Glance's default list holds the project's own images, the public ones
    and those shared with it that it accepted; community images and shares not yet answered are
    asked for apart. With an admin's token Glance answers with every project's images, so they are
    asked for by owner and visibility instead; images other projects share with this one are then
    left out (Glance would need one call per image to say so).
    """
    if _is_admin_token(conn):
        queries = ({"owner": project_id}, {"visibility": "public"}, {"visibility": "community"})
    else:
        queries = ({}, {"visibility": "community"}, {"visibility": "shared", "member_status": "all"})
    found: dict[str, dict] = {}
    for query in queries:
        for image in raw_list(conn, "image", "/images", "images", params=query, page=MAX_PAGE):
            if query or image.get("visibility") != "private" or image.get("owner") == project_id:
                found[image["id"]] = image
    return list(found.values())


def _is_admin_token(conn) -> bool:
    auth_ref = getattr(conn.session.auth, "auth_ref", None)
    return "admin" in (getattr(auth_ref, "role_names", None) or [])


# --- the images panel ---------------------------------------------------------------------------
# A list page costs one Glance call (raw JSON: no SDK object per row), plus one Keystone call for
# owner names when the user is an admin; a detail page costs three at once (image, members, the
# project's instances booted from it).

DISK_FORMATS = ("qcow2", "raw", "vmdk", "vdi", "vhd", "vhdx", "iso", "ploop", "ami", "ari", "aki")
CONTAINER_FORMATS = ("bare", "ovf", "ova", "docker", "ami", "ari", "aki", "compressed")
VISIBILITIES = ("private", "shared", "community", "public")
STATUSES = (
    "queued",
    "saving",
    "uploading",
    "importing",
    "active",
    "deactivated",
    "killed",
    "deleted",
    "pending_delete",
)
SORT_KEYS = {"name": "name", "created": "created_at", "size": "size", "status": "status"}
# fields Glance keeps itself: everything else of an image's JSON is a custom property
BASE_FIELDS = {
    "id", "name", "status", "visibility", "owner", "disk_format", "container_format", "size", "virtual_size",
    "min_disk", "min_ram", "protected", "created_at", "updated_at", "checksum", "os_hash_algo",
    "os_hash_value", "tags", "file", "self", "schema", "direct_url", "locations", "os_hidden",
    "stores",
}  # fmt: skip
STATUS_TONES = {
    "active": "success",
    "queued": "secondary",
    "saving": "info",
    "uploading": "info",
    "importing": "info",
    "deactivated": "warning",
    "killed": "danger",
    "deleted": "danger",
    "pending_delete": "warning",
}


@dataclass
class ImageDetail(Image):
    virtual_size: int | None = None
    updated_at: str = ""
    checksum: str = ""
    os_hash_algo: str = ""
    os_hash_value: str = ""
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    owner_name: str = ""

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "secondary")

    @property
    def busy(self) -> bool:
        return self.status in ("queued", "saving", "uploading", "importing")

    @property
    def busy_words(self) -> str:
        """Why no action is offered, when a transfer is running ("" otherwise)."""
        return self.status if self.busy else ""


def image_from_json(d: dict) -> ImageDetail:
    """An image from Glance's JSON (a row of a list, or one image)."""
    props = {k: v if isinstance(v, str) else str(v) for k, v in d.items() if k not in BASE_FIELDS}
    return ImageDetail(
        id=d["id"],
        name=d.get("name") or "",
        status=d.get("status") or "",
        visibility=d.get("visibility") or "",
        owner_id=d.get("owner") or "",
        disk_format=d.get("disk_format") or "",
        container_format=d.get("container_format") or "",
        size=d.get("size"),
        min_disk=d.get("min_disk") or 0,
        min_ram=d.get("min_ram") or 0,
        is_protected=bool(d.get("protected")),
        created_at=d.get("created_at") or "",
        virtual_size=d.get("virtual_size"),
        updated_at=d.get("updated_at") or "",
        checksum=d.get("checksum") or "",
        os_hash_algo=d.get("os_hash_algo") or "",
        os_hash_value=d.get("os_hash_value") or "",
        tags=list(d.get("tags") or []),
        properties=dict(sorted(props.items())),
    )


def glance_query(params: ListParams, project_id: str) -> dict[str, Any]:
    """Glance's list query for a page's filters and sort (pure: unit-tested)."""
    query: dict[str, Any] = {
        "sort_key": SORT_KEYS.get(params.sort, "created_at"),
        "sort_dir": params.request_direction,
    }
    if params.filter("name"):
        query["name"] = params.filter("name")  # Glance matches names exactly
    if params.filter("status"):
        query["status"] = params.filter("status")
    if params.filter("format"):
        query["disk_format"] = params.filter("format")
    visibility = params.filter("visibility")
    if visibility == "mine":
        query["owner"] = project_id
    elif visibility == "shared":
        query.update(visibility="shared", member_status="all")
    elif visibility in ("public", "community", "private"):
        query["visibility"] = visibility
    return query


@translated("image")
def list_images(conn, params: ListParams, project_id: str) -> Page:
    """One page of images (one Glance request)."""
    query = glance_query(params, project_id)

    def fetch(limit: int, marker: str, direction: str):
        q = {**query, "limit": limit, "sort_dir": direction}
        if marker:
            q["marker"] = marker
        return raw_json(conn, "image", "/images", params=q).get("images") or []

    return marker_page(fetch, params).map(image_from_json)


@translated("image", what="The image")
def image_detail(conn, image_id: str) -> ImageDetail:
    return image_from_json(raw_json(conn, "image", f"/images/{image_id}"))


@dataclass
class Member:
    member_id: str
    status: str
    name: str = ""


@translated("image", what="The image")
def image_members(conn, image_id: str) -> list[Member]:
    body = raw_json(conn, "image", f"/images/{image_id}/members")
    return [Member(m["member_id"], m.get("status", "")) for m in body.get("members") or []]


@dataclass
class ImageUser:
    id: str
    name: str
    status: str


@translated("compute")
def instances_from_image(conn, image_id: str) -> list[ImageUser]:
    """The project's instances booted from an image (one Nova call whatever their number)."""
    body = raw_json(conn, "compute", "/servers", params={"image": image_id, "limit": 1000})
    return [ImageUser(s["id"], s.get("name") or "", "") for s in body.get("servers") or []]


def image_body(fields: dict) -> dict:
    """Glance's create body from a form's cleaned data (pure: unit-tested)."""
    body = {
        "name": fields["name"],
        "disk_format": fields["disk_format"],
        "container_format": fields.get("container_format") or "bare",
        "min_disk": int(fields.get("min_disk") or 0),
        "min_ram": int(fields.get("min_ram") or 0),
        "visibility": fields.get("visibility") or "private",
        "protected": bool(fields.get("protected")),
    }
    for name in ("architecture", "os_distro", "os_version"):
        if fields.get(name):
            body[name] = fields[name]
    for name, value in (fields.get("properties") or {}).items():
        body.setdefault(name, value)
    return body


@translated("image")
def create_image(conn, fields: dict) -> ImageDetail:
    """A queued image record (its data comes by upload or import)."""
    return image_from_json(raw_json(conn, "image", "/images", method="post", json=image_body(fields)))


PATCH = "application/openstack-images-v2.1-json-patch"


def image_patch(current: ImageDetail, fields: dict) -> list[dict]:
    """JSON-patch operations from an edit form's data (pure: unit-tested); removed properties go."""
    ops: list[dict] = []
    simple = {
        "name": current.name,
        "visibility": current.visibility,
        "protected": current.is_protected,
        "min_disk": current.min_disk,
        "min_ram": current.min_ram,
    }
    for name, old in simple.items():
        if name in fields and fields[name] != old:
            ops.append({"op": "replace", "path": f"/{name}", "value": fields[name]})
    if "properties" in fields:
        new = fields["properties"]
        for name, value in new.items():
            if current.properties.get(name) != value:
                op = "replace" if name in current.properties else "add"
                ops.append({"op": op, "path": f"/{name}", "value": value})
        for name in current.properties:
            if name not in new:
                ops.append({"op": "remove", "path": f"/{name}"})
    return ops


@translated("image", what="The image")
def update_image(conn, image_id: str, ops: list[dict]) -> None:
    if ops:
        raw(conn, "image", f"/images/{image_id}", method="patch", json=ops, headers={"Content-Type": PATCH})


@translated("image", what="The image")
def delete_image(conn, image_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}", method="delete")


@translated("image", what="The image")
def set_active(conn, image_id: str, active: bool) -> None:
    """Reactivate or deactivate (Glance allows it to admins only)."""
    action = "reactivate" if active else "deactivate"
    raw(conn, "image", f"/images/{image_id}/actions/{action}", method="post")


@translated("image", what="The image")
def add_member(conn, image_id: str, project_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}/members", method="post", json={"member": project_id})


@translated("image", what="The image member")
def remove_member(conn, image_id: str, project_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}/members/{project_id}", method="delete")


@translated("image", what="The shared image")
def answer_share(conn, image_id: str, project_id: str, accept: bool) -> None:
    """Accept or reject an image another project shares with this one."""
    status = "accepted" if accept else "rejected"
    raw(conn, "image", f"/images/{image_id}/members/{project_id}", method="put", json={"status": status})


@translated("image")
def import_methods(conn) -> list[str]:
    """The import methods this Glance enables (`web-download`, `glance-direct`, ...): a setting of
    the deployment, read once in 5 minutes per process."""

    def read() -> list[str]:
        body = raw_json(conn, "image", "/info/import")
        return list((body.get("import-methods") or {}).get("value") or [])

    return deployment_setting(conn, "image import methods", read)


@translated("image", what="The image")
def import_from_url(conn, image_id: str, url: str) -> None:
    """Glance downloads the image's data itself (web-download import)."""
    body = {"method": {"name": "web-download", "uri": url}}
    raw(conn, "image", f"/images/{image_id}/import", method="post", json=body)


# --- streamed uploads (dashboard.uploads kind "images") -------------------------------------------


@translated("image", what="The image")
def upload_data(conn, upload, blocks) -> None:
    """PUT the image's data to Glance from an iterator of blocks, as they come (chunked body: no
    copy of the file in Zenith's memory or on its disk), once the first block shows the data is
    in the image's disk format (2 calls: the image's format, the PUT)."""
    disk_format = raw_json(conn, "image", f"/images/{upload.target_id}").get("disk_format") or ""
    blocks = checked_blocks(disk_format, blocks)
    head = next(blocks)  # refused before Glance is asked to store anything
    raw(
        conn,
        "image",
        f"/images/{upload.target_id}/file",
        method="put",
        data=itertools.chain([head], blocks),
        headers={"Content-Type": "application/octet-stream"},
    )


@translated("image", what="The image")
def abandon_upload(conn, upload) -> None:
    """A half-uploaded image is deleted (Glance would leave it queued or saving)."""
    try:
        delete_image(conn, upload.target_id)
    except CloudError as err:
        if err.kind != "not_found":
            raise


# --- what the data really is ----------------------------------------------------------------------
# Newer Glance (2024.2+) refuses data whose format does not match disk_format; older ones only log
# it. Zenith looks at the first block itself so every cloud gets the same clear refusal.

_MAGIC = (
    ("qcow2", 0, b"QFI\xfb"),
    ("vmdk", 0, b"KDMV"),
    ("vmdk", 0, b"# Disk DescriptorFile"),
    ("vhdx", 0, b"vhdxfile"),
    ("vdi", 0x40, b"\x7f\x10\xda\xbe"),
    ("iso", 0x8001, b"CD001"),
    ("vhd", 0, b"conectix"),
)
CHECKED_FORMATS = {"qcow2", "vmdk", "vhdx", "vdi", "iso", "raw"}


def sniff_format(head: bytes) -> str:
    """The disk format the first bytes of a file show ("" when none: raw data or unknown)."""
    for name, offset, magic in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return name
    return ""


def format_mismatch(claimed: str, head: bytes) -> str:
    """Why the data does not match the claimed disk format ("" when it does, or cannot be told)."""
    if claimed not in CHECKED_FORMATS:
        return ""
    found = sniff_format(head)
    if claimed == "raw":
        if not found:
            return ""
        return gettext("The file is a %(found)s image, not raw data: choose %(found)s as its disk format.") % {
            "found": found
        }
    if claimed == "iso" and len(head) <= 0x8001 + 5:
        return gettext("The file is too small to be an ISO image.")
    if found != claimed:
        if found:
            message = gettext(
                "The file is not a %(claimed)s image (it looks like a %(found)s image): choose its real disk format."
            )
        else:
            message = gettext(
                "The file is not a %(claimed)s image (it looks like raw or unknown data): choose its real disk format."
            )
        return message % {"claimed": claimed, "found": found}
    return ""


def checked_blocks(disk_format: str, blocks):
    """The blocks, after checking the first one's format; an empty file is refused."""
    iterator = iter(blocks)
    head = next(iterator, b"")
    if not head:
        raise CloudError("bad_request", gettext("The file is empty: choose an image file."))
    problem = format_mismatch(disk_format, bytes(head[: 0x8001 + 8]))
    if problem:
        raise CloudError("bad_request", problem)
    yield head
    yield from iterator


# --- what can be done to an image -----------------------------------------------------------------

ACTIONS = catalogue(
    Action("edit", gettext_lazy("Edit"), "pencil", form=True),
    Action("share", gettext_lazy("Share"), "share", form=True),
    Action("accept", gettext_lazy("Accept"), "check-lg"),
    Action("reject", gettext_lazy("Reject"), "x-lg"),
    Action("deactivate", gettext_lazy("Deactivate"), "pause-circle"),
    Action("reactivate", gettext_lazy("Reactivate"), "play-circle"),
    Action("delete", gettext_lazy("Delete"), "trash", confirm=gettext_lazy("Delete this image?"), danger=True),
)
BUSY = {"queued", "saving", "uploading", "importing"}


def allowed_actions(image: Image, project_id: str, is_admin: bool = False, member_status: str = "") -> set[str]:
    """What Glance lets this project do to an image in its state (pure: unit-tested).

    `member_status` is this project's answer to a share ("pending", "accepted", "rejected"; "" when
    the image is not shared with it). A protected image still offers Delete: Glance's refusal says why.
    """
    mine = image.owner_id == project_id
    if image.status in ("deleted", "pending_delete"):
        return set()
    allowed: set[str] = set()
    if mine or is_admin:
        allowed |= {"edit", "delete"}
        if image.visibility == "shared" or (mine and image.visibility == "private"):
            allowed.add("share")
        if image.status in BUSY:
            allowed = {"delete"}
    if is_admin and image.status == "active":
        allowed.add("deactivate")
    if is_admin and image.status == "deactivated":
        allowed.add("reactivate")
    if not mine and image.visibility == "shared" and member_status:
        allowed |= {"accept", "reject"}
        if member_status == "accepted":
            allowed.discard("accept")
        if member_status == "rejected":
            allowed.discard("reject")
    return allowed


def offered(image: Image, project_id: str, is_admin: bool = False, member_status: str = "") -> list[Action]:
    allowed = allowed_actions(image, project_id, is_admin, member_status)
    return [a for name, a in ACTIONS.items() if name in allowed]


@translated("image", what="The image share")
def membership(conn, image_id: str, project_id: str) -> str:
    """This project's answer to an image shared with it ("pending", "accepted", "rejected")."""
    return raw_json(conn, "image", f"/images/{image_id}/members/{project_id}").get("status") or ""


# --- a volume from an image (Cinder) ---------------------------------------------------------------


@translated("volume")
def create_volume_from_image(conn, image_id: str, name: str, size: int) -> str:
    """A new volume holding the image (Cinder copies it); its id."""
    body = {"volume": {"name": name, "size": size, "imageRef": image_id}}
    return raw_json(conn, "volume", "/volumes", method="post", json=body)["volume"]["id"]
