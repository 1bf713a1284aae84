"""Images (Glance) as Zenith shows them.

The images panel's list, detail, edits, members and imports (the streamed uploads' data:
image_uploads); the names of a
page's images (one call for any number) and the images an instance can be rebuilt or launched from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from . import labels
from .actions import Action, catalogue
from .calls import deployment_setting, raw, raw_json, raw_list, translated
from .errors import CloudError, translate
from .paging import ListParams, Page, marker_page

IMAGE_NOT_FOUND = gettext_lazy("The image was not found; it may have been deleted.")
MEMBER_NOT_FOUND = gettext_lazy("The image's member was not found; it may have been removed already.")
SHARED_IMAGE_NOT_FOUND = gettext_lazy("The image shared with the project was not found; it may have been deleted.")
SHARE_NOT_FOUND = gettext_lazy("This image is not shared with the project; the share may have been withdrawn.")

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

    # the codes in words (dashboard.cloud.labels)
    @property
    def status_words(self) -> str:
        return labels.words(labels.IMAGE_STATUS, self.status)

    @property
    def visibility_words(self) -> str:
        return labels.words(labels.IMAGE_VISIBILITY, self.visibility)

    @property
    def disk_format_words(self) -> str:
        return labels.words(labels.DISK_FORMAT, self.disk_format)

    @property
    def container_format_words(self) -> str:
        return labels.words(labels.CONTAINER_FORMAT, self.container_format)


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
def list_image_names(conn, image_ids: set[str]) -> dict[str, str]:
    """Names of the given images in one Glance request (unknown or hidden ones are left out)."""
    ids = sorted(i for i in image_ids if i)
    if not ids:
        return {}
    images = conn.image.images(id="in:" + ",".join(ids), limit=len(ids), paginated=False)
    return {img.id: img.name or "" for img in images}


@translated("image")
def list_images_by_id(conn, image_ids) -> dict[str, Image]:
    """{id: image} of the given images that still exist, in one Glance request (deleted ones, and
    those the project cannot see, are left out): the uploads panel's current names and states."""
    ids = sorted({i for i in image_ids if i})
    if not ids:
        return {}
    body = raw_json(conn, "image", "/images", params={"id": "in:" + ",".join(ids), "limit": len(ids)})
    return {i["id"]: image_brief_from_json(i) for i in body.get("images") or []}


@translated("image", not_found=IMAGE_NOT_FOUND)
def get_image(conn, image_id: str) -> Image:
    return image_from(conn.image.get_image(image_id))


@translated("image")
def list_active_images(conn, project_id: str = "") -> list[Image]:
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
def list_image_bodies(conn, project_id: str) -> list[dict]:
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
        return self.status_words if self.busy else ""


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


@translated("image", not_found=IMAGE_NOT_FOUND)
def get_image_with_properties(conn, image_id: str) -> ImageDetail:
    return image_from_json(raw_json(conn, "image", f"/images/{image_id}"))


@dataclass
class Member:
    member_id: str
    status: str
    name: str = ""


@translated("image", not_found=IMAGE_NOT_FOUND)
def list_image_members(conn, image_id: str) -> list[Member]:
    body = raw_json(conn, "image", f"/images/{image_id}/members")
    return [Member(m["member_id"], m.get("status", "")) for m in body.get("members") or []]


@dataclass
class ImageUser:
    id: str
    name: str
    status: str


@translated("compute")
def list_instances_from_image(conn, image_id: str) -> list[ImageUser]:
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


@translated("image", not_found=IMAGE_NOT_FOUND)
def update_image(conn, image_id: str, ops: list[dict]) -> None:
    if ops:
        raw(conn, "image", f"/images/{image_id}", method="patch", json=ops, headers={"Content-Type": PATCH})


@translated("image", not_found=IMAGE_NOT_FOUND)
def delete_image(conn, image_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}", method="delete")


@translated("image", not_found=IMAGE_NOT_FOUND)
def set_image_active(conn, image_id: str, active: bool) -> None:
    """Reactivate or deactivate (Glance allows it to admins only)."""
    action = "reactivate" if active else "deactivate"
    raw(conn, "image", f"/images/{image_id}/actions/{action}", method="post")


@translated("image", not_found=IMAGE_NOT_FOUND)
def add_image_member(conn, image_id: str, project_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}/members", method="post", json={"member": project_id})


@translated("image", not_found=MEMBER_NOT_FOUND)
def remove_image_member(conn, image_id: str, project_id: str) -> None:
    raw(conn, "image", f"/images/{image_id}/members/{project_id}", method="delete")


@translated("image", not_found=SHARED_IMAGE_NOT_FOUND)
def answer_image_share(conn, image_id: str, project_id: str, accept: bool) -> None:
    """Accept or reject an image another project shares with this one."""
    status = "accepted" if accept else "rejected"
    raw(conn, "image", f"/images/{image_id}/members/{project_id}", method="put", json={"status": status})


@translated("image")
def list_import_methods(conn) -> list[str]:
    """The import methods this Glance enables (`web-download`, `glance-direct`, ...): a setting of
    the deployment, read once in 5 minutes per process."""

    def read() -> list[str]:
        body = raw_json(conn, "image", "/info/import")
        return list((body.get("import-methods") or {}).get("value") or [])

    return deployment_setting(conn, "image import methods", read)


@translated("image", not_found=IMAGE_NOT_FOUND)
def import_image_from_url(conn, image_id: str, url: str) -> None:
    """Glance downloads the image's data itself (web-download import). A URL the cloud's import
    filtering refuses (a scheme, host or port its operator does not allow) is refused in words
    that say so."""
    body = {"method": {"name": "web-download", "uri": url}}
    try:
        raw(conn, "image", f"/images/{image_id}/import", method="post", json=body)
    except Exception as exc:  # noqa: BLE001 - translated here to recognise Glance's URL filtering
        err = translate(exc, service="image", not_found=IMAGE_NOT_FOUND)
        if isinstance(err, CloudError) and err.kind == "bad_request" and "does not pass filtering" in err.detail:
            message = gettext(
                "The Image service (Glance) does not download images from %(url)s: this cloud allows "
                "imports from some addresses and ports only. Upload the file instead, or ask your cloud operator."
            ) % {"url": url}
            raise CloudError("bad_request", message, err.detail) from None
        raise err from None


# --- what can be done to an image -----------------------------------------------------------------

ACTIONS = catalogue(
    Action("edit", gettext_lazy("Edit"), "pencil", form=True),
    Action("share", gettext_lazy("Share"), "share", form=True),
    Action("accept", gettext_lazy("Accept"), "check-lg", done=gettext_lazy("You accepted the image “%(subject)s”.")),
    Action("reject", gettext_lazy("Reject"), "x-lg", done=gettext_lazy("You rejected the image “%(subject)s”.")),
    Action(
        "deactivate",
        gettext_lazy("Deactivate"),
        "pause-circle",
        done=gettext_lazy("The image “%(subject)s” is deactivated."),
    ),
    Action(
        "reactivate",
        gettext_lazy("Reactivate"),
        "play-circle",
        done=gettext_lazy("The image “%(subject)s” is active again."),
    ),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this image?"),
        danger=True,
        done=gettext_lazy("The image “%(subject)s” was deleted."),
    ),
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


@translated("image", not_found=SHARE_NOT_FOUND)
def get_image_membership(conn, image_id: str, project_id: str) -> str:
    """This project's answer to an image shared with it ("pending", "accepted", "rejected")."""
    return raw_json(conn, "image", f"/images/{image_id}/members/{project_id}").get("status") or ""
