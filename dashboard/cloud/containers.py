"""Swift containers and the account that holds them: the list, one container, its settings, and
what its state allows.

What a page costs: the containers list is one account GET (limit + 1 names after a marker) and
nothing per row ("public" and the storage policy are per-container headers, shown on the
container's page only); the account's totals come with that GET. A container's page is one GET
of its folder, whose answer carries the container's headers (`list_objects_with_container`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests.structures import CaseInsensitiveDict

from .actions import Action, catalogue
from .calls import deployment_setting, raw, raw_check, raw_json, translated
from .errors import CloudError
from .object_names import container_name_problem, refuse_bad_name, swift_path
from .objects import (
    CONTAINER_NOT_FOUND,
    LISTING_LIMIT,
    PUBLIC_READ,
    as_int,
    delete_objects,
    folder_page,
    get_account_url,
    swift_time,
    swift_timestamp,
    user_metadata,
)
from .paging import ListParams, Page, marker_page


def is_public(read_acl: str) -> bool:
    """Whether a container's read ACL lets anyone read its objects."""
    return ".r:*" in [part.strip() for part in (read_acl or "").split(",")]


@dataclass
class Account:
    containers: int = 0
    objects: int = 0
    bytes: int = 0
    quota_bytes: int | None = None


@dataclass
class Container:
    name: str
    count: int = 0
    bytes: int = 0
    last_modified: datetime | None = None
    created: datetime | None = None
    read_acl: str = ""
    write_acl: str = ""
    storage_policy: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    quota_bytes: int | None = None
    quota_count: int | None = None
    public_url: str = ""  # the container's URL (readable by anyone only when public)

    @property
    def id(self) -> str:
        return self.name

    @property
    def public(self) -> bool:
        return is_public(self.read_acl)


def container_from(row: dict) -> Container:
    return Container(
        name=row.get("name", ""),
        count=as_int(row.get("count")),
        bytes=as_int(row.get("bytes")),
        last_modified=swift_time(row.get("last_modified")),
    )


def container_from_headers(name: str, headers, base_url: str) -> Container:
    h = {k.lower(): v for k, v in headers.items()}
    return Container(
        name=name,
        count=as_int(h.get("x-container-object-count")),
        bytes=as_int(h.get("x-container-bytes-used")),
        created=swift_timestamp(h.get("x-timestamp")),
        last_modified=swift_time(h.get("last-modified")),
        read_acl=h.get("x-container-read", ""),
        write_acl=h.get("x-container-write", ""),
        storage_policy=h.get("x-storage-policy", ""),
        metadata=user_metadata(headers, "x-container-meta-"),
        quota_bytes=as_int(h.get("x-container-meta-quota-bytes"), None),
        quota_count=as_int(h.get("x-container-meta-quota-count"), None),
        public_url=base_url + swift_path(name),
    )


def account_from(h) -> Account:
    return Account(
        containers=as_int(h.get("X-Account-Container-Count")),
        objects=as_int(h.get("X-Account-Object-Count")),
        bytes=as_int(h.get("X-Account-Bytes-Used")),
        quota_bytes=as_int(h.get("X-Account-Meta-Quota-Bytes"), None),
    )


# --- the account ---------------------------------------------------------------------------------


@translated("object-store")
def list_storage_policies(conn) -> list[tuple[str, bool]]:
    """(name, default) of the cluster's storage policies, from Swift's /info: a setting of the
    deployment, read once in 5 minutes per process."""

    def read() -> list[tuple[str, bool]]:
        parts = urlsplit(get_account_url(conn))
        info = raw_json(conn, "object-store", f"{parts.scheme}://{parts.netloc}/info")
        return [(p["name"], bool(p.get("default"))) for p in info.get("swift", {}).get("policies", [])]

    return deployment_setting(conn, "object storage policies", read)


# --- containers ----------------------------------------------------------------------------------


@translated("object-store")
def list_containers(conn, params: ListParams) -> Page:
    """A page of the account's containers by name (one GET, limit + 1 after the marker)."""
    return _container_rows(conn, params)[0]


@translated("object-store")
def list_containers_with_account(conn, params: ListParams) -> tuple[Page, Account]:
    """`list_containers` and the account's totals and quota, both from the one GET: Swift answers
    a listing with the headers a HEAD of the account gives."""
    page, headers = _container_rows(conn, params)
    return page, account_from(headers)


def _container_rows(conn, params: ListParams) -> tuple[Page, CaseInsensitiveDict]:
    headers = CaseInsensitiveDict()

    def fetch(limit: int, marker: str, direction: str):
        query = {"format": "json", "limit": limit}
        if marker:
            query["marker"] = marker
        if direction == "desc":
            query["reverse"] = "true"
        if params.filter("prefix"):
            query["prefix"] = params.filter("prefix")
        response = raw(conn, "object-store", "", params=query)
        headers.update(response.headers)
        return [container_from(row) for row in (response.json() if response.content else [])]

    return marker_page(fetch, params, id_of=lambda c: c.name), headers


@translated("object-store")
def list_container_bodies(conn, limit: int = LISTING_LIMIT) -> list[dict]:
    """The account's containers (the first `limit`, one GET) as plain dicts with an "id" (the
    name), for the live poller that compares one tick's list with the last."""
    rows = raw_json(conn, "object-store", "", params={"format": "json", "limit": limit}) or []
    return [{"id": row["name"], "count": row.get("count"), "bytes": row.get("bytes")} for row in rows]


@translated("object-store")
def list_container_names(conn, limit: int = LISTING_LIMIT) -> list[str]:
    """The account's container names (one GET, the first `limit`), for copy and move targets."""
    rows = raw_json(conn, "object-store", "", params={"format": "json", "limit": limit}) or []
    return [row["name"] for row in rows]


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def get_container(conn, name: str) -> Container:
    """One container's counts, ACLs, policy, metadata and quota: one HEAD."""
    refuse_bad_name(container_name_problem(name))
    response = raw(conn, "object-store", swift_path(name), method="head")
    return container_from_headers(name, response.headers, get_account_url(conn))


@translated("object-store")
def create_container(conn, name: str, storage_policy: str = "", public: bool = False) -> None:
    """Create a container (Swift would silently accept an existing name: it is checked first)."""
    refuse_bad_name(container_name_problem(name))
    existing = conn.object_store.head(swift_path(name))
    if existing.status_code < 300:
        raise CloudError("conflict", _("A container named “%(name)s” already exists.") % {"name": name})
    headers = {}
    if storage_policy:
        headers["X-Storage-Policy"] = storage_policy
    if public:
        headers["X-Container-Read"] = PUBLIC_READ
    raw(conn, "object-store", swift_path(name), method="put", headers=headers)


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def set_container_public(conn, name: str, public: bool) -> None:
    """Let anyone read the container's objects (and list them), or only the project."""
    refuse_bad_name(container_name_problem(name))
    headers = {"X-Container-Read": PUBLIC_READ} if public else {"X-Remove-Container-Read": "1"}
    raw(conn, "object-store", swift_path(name), method="post", headers=headers)


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def set_container_metadata(conn, name: str, metadata: dict[str, str], removed: Iterable[str] = ()) -> None:
    """Set some of a container's metadata items and remove others (one POST)."""
    refuse_bad_name(container_name_problem(name))
    headers = {f"X-Container-Meta-{k}": v for k, v in metadata.items()}
    headers.update({f"X-Remove-Container-Meta-{k}": "1" for k in removed if k not in metadata})
    raw(conn, "object-store", swift_path(name), method="post", headers=headers)


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def delete_container(conn, name: str, empty_first: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Delete a container; with `empty_first`, bulk-delete its objects before (10,000 per request,
    `progress(deleted so far)` after each). Returns the number of objects deleted."""
    refuse_bad_name(container_name_problem(name))
    deleted = 0
    if empty_first:
        while True:
            rows = raw_json(conn, "object-store", swift_path(name), params={"format": "json", "limit": LISTING_LIMIT})
            if not rows:
                break
            large = {row["name"] for row in rows if "slo_etag" in row}
            deleted += delete_objects(conn, name, [row["name"] for row in rows], large=large)
            if progress:
                progress(deleted)
            if len(rows) < LISTING_LIMIT:
                break
    response = conn.object_store.delete(swift_path(name))
    if response.status_code == 409:
        raise CloudError("conflict", _("The container is not empty: delete its objects first, or ask to empty it."))
    raw_check(response)
    return deleted


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def list_objects_with_container(conn, container: str, params: ListParams, folder: str = "") -> tuple[Page, Container]:
    """`list_objects` and the container's counts, ACLs, policy, metadata and quota, both from the
    one GET: Swift answers a listing with the headers a HEAD of the container gives."""
    page, headers = folder_page(conn, container, params, folder)
    return page, container_from_headers(container, headers, get_account_url(conn))


# --- what can be done --------------------------------------------------------------------------

ACTIONS = catalogue(
    Action("make_public", gettext_lazy("Make public"), "globe", form=True),  # its page shows the public URL first
    Action(
        "make_private",
        gettext_lazy("Make private"),
        "lock",
        done=gettext_lazy("The container “%(subject)s” is private again."),
    ),
    Action("metadata", gettext_lazy("Edit metadata"), "tags", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this container?"),
        danger=True,
        done=gettext_lazy("The container “%(subject)s” was deleted."),
    ),
    Action(
        "empty_delete",
        gettext_lazy("Empty and delete"),
        "trash-fill",
        confirm=gettext_lazy("Delete every object of this container, then the container?"),
        danger=True,
        done=gettext_lazy("The container “%(subject)s” was emptied and deleted."),
    ),
)


def allowed_actions(container: Container) -> list[str]:
    """The actions a container's state allows: public or private, empty or not."""
    allowed = ["make_private" if container.public else "make_public", "metadata"]
    allowed.append("empty_delete" if container.count else "delete")
    return allowed
