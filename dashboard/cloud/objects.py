"""Object storage (Swift): containers, objects, folders, sharing, large objects, streamed transfers.

Every call is a raw request to the project's Swift account (the object-store endpoint of the
catalog), parsed as plain JSON: listings of thousands of names are not turned into SDK objects.

What a page costs:
- the containers list: one account GET (limit + 1 names after a marker) and nothing per row;
  "public" and the storage policy are per-container headers, shown on the container's page only;
- a container's folder view: one container HEAD and one GET with prefix + delimiter "/" and a
  limit, made at once, so a container of 10,000 objects opens as fast as one of 10;
- an object's page: one HEAD.

Transfers never hold an object in memory: downloads hand out Swift's response chunks as they
arrive (`open_download`), uploads send the caller's chunks as they arrive (`upload_object`), cut
into segments of a static large object (SLO) above a size, written one after the other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests.structures import CaseInsensitiveDict

from .actions import Action, catalogue
from .calls import concurrently, deployment_setting, raw, raw_check, raw_json, translated
from .errors import CloudError
from .paging import ListParams, Page, marker_page

# Swift's own limits (constraints in /info; these are its defaults)
MAX_CONTAINER_NAME_BYTES = 256
MAX_OBJECT_NAME_BYTES = 1024
MAX_BULK_DELETES = 10000  # names one bulk-delete request may carry (bulk middleware default)
LISTING_LIMIT = 10000  # Swift's largest listing page
DOWNLOAD_CHUNK = 64 * 1024
FOLDER_TYPE = "application/directory"
PUBLIC_READ = ".r:*,.rlistings"  # anyone may read objects and list the container
MANIFEST_DELETE = {"multipart-manifest": "delete"}  # a static large object's DELETE takes its segments too

log = logging.getLogger(__name__)

CONTAINER = "The container"
OBJECT = "The object"


# --- names -------------------------------------------------------------------------------------


def container_name_problem(name: str) -> str:
    """Why Swift would refuse this container name ("" when it would not)."""
    if not name:
        return _("Enter a container name.")
    if "/" in name:
        return _("A container name cannot contain “/”.")
    if len(name.encode("utf-8")) > MAX_CONTAINER_NAME_BYTES:
        return _("A container name is at most %(n)d bytes long.") % {"n": MAX_CONTAINER_NAME_BYTES}
    if "\x00" in name or name in (".", ".."):
        return _("This is not a valid container name.")
    return ""


def object_name_problem(name: str) -> str:
    """Why Swift would refuse this object name ("" when it would not)."""
    if not name:
        return _("Enter an object name.")
    if len(name.encode("utf-8")) > MAX_OBJECT_NAME_BYTES:
        return _("An object name is at most %(n)d bytes long.") % {"n": MAX_OBJECT_NAME_BYTES}
    if "\x00" in name:
        return _("This is not a valid object name.")
    return ""


def _check(problem: str) -> None:
    if problem:
        raise CloudError("bad_request", problem)


def _path(container: str, name: str = "") -> str:
    """The request path of a container or an object, quoted (names may hold any character)."""
    path = "/" + quote(container, safe="")
    return path + "/" + quote(name, safe="/") if name else path


def parent_of(name: str) -> str:
    """The folder holding a name: "a/b/c.txt" -> "a/b/", "a/" -> ""."""
    stripped = name[:-1] if name.endswith("/") else name
    return stripped.rsplit("/", 1)[0] + "/" if "/" in stripped else ""


def basename_of(name: str) -> str:
    """The last part of a name: "a/b/c.txt" -> "c.txt", "a/b/" -> "b/"."""
    folder = name.endswith("/")
    stripped = name[:-1] if folder else name
    return stripped.rsplit("/", 1)[-1] + ("/" if folder else "")


def breadcrumbs(prefix: str) -> list[tuple[str, str]]:
    """(label, prefix) of every folder down to `prefix`: "a/b/" -> [("a", "a/"), ("b", "a/b/")]."""
    crumbs, path = [], ""
    for part in prefix.split("/")[:-1]:  # a folder's prefix ends with "/": its last part is ""
        path += part + "/"
        crumbs.append((part, path))
    return crumbs


# --- what Swift answers --------------------------------------------------------------------------


def _when(value: str | None) -> datetime | None:
    """A listing's last_modified (ISO, UTC, no zone) or a header's HTTP date."""
    if not value:
        return None
    try:
        if value[:4].isdigit():
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None


def _timestamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), UTC) if value else None
    except ValueError:
        return None


def _int(value, default: int | None = 0) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _meta(headers, prefix: str) -> dict[str, str]:
    """User metadata from headers (X-Container-Meta-Color: red -> {"color": "red"}), quota keys excluded."""
    found = {}
    for key, value in headers.items():
        if key.lower().startswith(prefix):
            short = key[len(prefix) :].lower()
            if not short.startswith(("quota-", "temp-url-")):
                found[short] = value
    return found


def is_public(read_acl: str) -> bool:
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


@dataclass
class Entry:
    """A row of a folder view: an object, or a folder (a "subdir" of the listing, or a folder marker)."""

    name: str
    folder: bool = False
    bytes: int = 0
    content_type: str = ""
    etag: str = ""
    last_modified: datetime | None = None
    large: bool = False  # a static large object (its listing row says so)

    @property
    def id(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return basename_of(self.name)


@dataclass
class ObjectInfo:
    container: str
    name: str
    bytes: int = 0
    content_type: str = ""
    etag: str = ""
    last_modified: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    large: str = ""  # "static" (SLO manifest), "dynamic" (DLO) or ""
    delete_at: datetime | None = None
    public_url: str = ""

    @property
    def label(self) -> str:
        return basename_of(self.name)


def container_from(row: dict) -> Container:
    return Container(
        name=row.get("name", ""),
        count=_int(row.get("count")),
        bytes=_int(row.get("bytes")),
        last_modified=_when(row.get("last_modified")),
    )


def entry_from(row: dict) -> Entry:
    if "subdir" in row:
        return Entry(name=row["subdir"], folder=True)
    name = row.get("name", "")
    return Entry(
        name=name,
        folder=name.endswith("/") and row.get("content_type", "").startswith(FOLDER_TYPE),
        bytes=_int(row.get("bytes")),
        content_type=row.get("content_type", ""),
        # an SLO's listing row carries its whole-object etag apart from the manifest's hash
        etag=(row.get("slo_etag") or row.get("hash", "")).strip('"'),
        large="slo_etag" in row,
        last_modified=_when(row.get("last_modified")),
    )


def _container_info(name: str, headers, base_url: str) -> Container:
    h = {k.lower(): v for k, v in headers.items()}
    return Container(
        name=name,
        count=_int(h.get("x-container-object-count")),
        bytes=_int(h.get("x-container-bytes-used")),
        created=_timestamp(h.get("x-timestamp")),
        last_modified=_when(h.get("last-modified")),
        read_acl=h.get("x-container-read", ""),
        write_acl=h.get("x-container-write", ""),
        storage_policy=h.get("x-storage-policy", ""),
        metadata=_meta(headers, "x-container-meta-"),
        quota_bytes=_int(h.get("x-container-meta-quota-bytes"), None),
        quota_count=_int(h.get("x-container-meta-quota-count"), None),
        public_url=base_url + _path(name),
    )


# --- the account ---------------------------------------------------------------------------------


def _endpoint(conn) -> str:
    """The account's URL (http://host:8080/v1/AUTH_<project>), from the catalog."""
    return conn.object_store.get_endpoint().rstrip("/")


def _account_from(h) -> Account:
    return Account(
        containers=_int(h.get("X-Account-Container-Count")),
        objects=_int(h.get("X-Account-Object-Count")),
        bytes=_int(h.get("X-Account-Bytes-Used")),
        quota_bytes=_int(h.get("X-Account-Meta-Quota-Bytes"), None),
    )


@translated("object-store")
def storage_policies(conn) -> list[tuple[str, bool]]:
    """(name, default) of the cluster's storage policies, from Swift's /info: a setting of the
    deployment, read once in 5 minutes per process."""

    def read() -> list[tuple[str, bool]]:
        parts = urlsplit(_endpoint(conn))
        info = raw_json(conn, "object-store", f"{parts.scheme}://{parts.netloc}/info")
        return [(p["name"], bool(p.get("default"))) for p in info.get("swift", {}).get("policies", [])]

    return deployment_setting(conn, "object storage policies", read)


# --- containers ----------------------------------------------------------------------------------


@translated("object-store")
def list_containers(conn, params: ListParams) -> Page:
    """A page of the account's containers by name (one GET, limit + 1 after the marker)."""
    return _container_rows(conn, params)[0]


@translated("object-store")
def containers_page(conn, params: ListParams) -> tuple[Page, Account]:
    """`list_containers` and the account's totals and quota, both from the one GET: Swift answers
    a listing with the headers a HEAD of the account gives."""
    page, headers = _container_rows(conn, params)
    return page, _account_from(headers)


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
def container_bodies(conn, limit: int = LISTING_LIMIT) -> list[dict]:
    """The account's containers (the first `limit`, one GET) as plain dicts with an "id" (the
    name), for the live poller that compares one tick's list with the last."""
    rows = raw_json(conn, "object-store", "", params={"format": "json", "limit": limit}) or []
    return [{"id": row["name"], "count": row.get("count"), "bytes": row.get("bytes")} for row in rows]


@translated("object-store")
def container_names(conn, limit: int = LISTING_LIMIT) -> list[str]:
    """The account's container names (one GET, the first `limit`), for copy and move targets."""
    rows = raw_json(conn, "object-store", "", params={"format": "json", "limit": limit}) or []
    return [row["name"] for row in rows]


@translated("object-store", what=CONTAINER)
def get_container(conn, name: str) -> Container:
    """One container's counts, ACLs, policy, metadata and quota: one HEAD."""
    _check(container_name_problem(name))
    response = raw(conn, "object-store", _path(name), method="head")
    return _container_info(name, response.headers, _endpoint(conn))


@translated("object-store")
def create_container(conn, name: str, storage_policy: str = "", public: bool = False) -> None:
    """Create a container (Swift would silently accept an existing name: it is checked first)."""
    _check(container_name_problem(name))
    existing = conn.object_store.head(_path(name))
    if existing.status_code < 300:
        raise CloudError("conflict", _("A container named “%(name)s” already exists.") % {"name": name})
    headers = {}
    if storage_policy:
        headers["X-Storage-Policy"] = storage_policy
    if public:
        headers["X-Container-Read"] = PUBLIC_READ
    raw(conn, "object-store", _path(name), method="put", headers=headers)


@translated("object-store", what=CONTAINER)
def set_public(conn, name: str, public: bool) -> None:
    """Let anyone read the container's objects (and list them), or only the project."""
    _check(container_name_problem(name))
    headers = {"X-Container-Read": PUBLIC_READ} if public else {"X-Remove-Container-Read": "1"}
    raw(conn, "object-store", _path(name), method="post", headers=headers)


META_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


@translated("object-store", what=CONTAINER)
def set_container_metadata(conn, name: str, metadata: dict[str, str], removed: Iterable[str] = ()) -> None:
    """Set some of a container's metadata items and remove others (one POST)."""
    _check(container_name_problem(name))
    headers = {f"X-Container-Meta-{k}": v for k, v in metadata.items()}
    headers.update({f"X-Remove-Container-Meta-{k}": "1" for k in removed if k not in metadata})
    raw(conn, "object-store", _path(name), method="post", headers=headers)


@translated("object-store", what=CONTAINER)
def delete_container(conn, name: str, empty_first: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Delete a container; with `empty_first`, bulk-delete its objects before (10,000 per request,
    `progress(deleted so far)` after each). Returns the number of objects deleted."""
    _check(container_name_problem(name))
    deleted = 0
    if empty_first:
        while True:
            rows = raw_json(conn, "object-store", _path(name), params={"format": "json", "limit": LISTING_LIMIT})
            if not rows:
                break
            large = {row["name"] for row in rows if "slo_etag" in row}
            deleted += delete_objects(conn, name, [row["name"] for row in rows], large=large)
            if progress:
                progress(deleted)
            if len(rows) < LISTING_LIMIT:
                break
    response = conn.object_store.delete(_path(name))
    if response.status_code == 409:
        raise CloudError("conflict", _("The container is not empty: delete its objects first, or ask to empty it."))
    raw_check(response)
    return deleted


# --- objects -------------------------------------------------------------------------------------


@translated("object-store", what=CONTAINER)
def list_objects(conn, container: str, params: ListParams, folder: str = "") -> Page:
    """A page of one folder's entries (objects and sub-folders) by name: one GET with prefix,
    delimiter "/" and limit + 1 after the marker. The list's "prefix" filter narrows the names
    inside the folder."""
    return _object_rows(conn, container, params, folder)[0]


@translated("object-store", what=CONTAINER)
def objects_page(conn, container: str, params: ListParams, folder: str = "") -> tuple[Page, Container]:
    """`list_objects` and the container's counts, ACLs, policy, metadata and quota, both from the
    one GET: Swift answers a listing with the headers a HEAD of the container gives."""
    page, headers = _object_rows(conn, container, params, folder)
    return page, _container_info(container, headers, _endpoint(conn))


def _object_rows(conn, container: str, params: ListParams, folder: str) -> tuple[Page, CaseInsensitiveDict]:
    _check(container_name_problem(container))
    prefix = folder + params.filter("prefix")
    headers = CaseInsensitiveDict()

    def fetch(limit: int, marker: str, direction: str):
        query = {"format": "json", "limit": limit, "delimiter": "/"}
        if prefix:
            query["prefix"] = prefix
        if marker:
            query["marker"] = marker
        if direction == "desc":
            query["reverse"] = "true"
        response = raw(conn, "object-store", _path(container), params=query)
        headers.update(response.headers)
        rows = (response.json() if response.content else None) or []
        # the folder's own marker object ("a/" inside "a/") is the folder itself, not a row of it
        return [entry_from(row) for row in rows if row.get("name") != folder or not folder]

    return marker_page(fetch, params, id_of=lambda e: e.name), headers


@translated("object-store", what=CONTAINER)
def names_under(conn, container: str, prefix: str, limit: int = 100 * LISTING_LIMIT) -> list[tuple[str, bool]]:
    """(name, is a static large object) of every object starting with `prefix` (a folder's whole
    tree), 10,000 per GET."""
    _check(container_name_problem(container))
    names: list[tuple[str, bool]] = []
    marker = ""
    while len(names) < limit:
        query = {"format": "json", "limit": LISTING_LIMIT, "prefix": prefix}
        if marker:
            query["marker"] = marker
        rows = raw_json(conn, "object-store", _path(container), params=query) or []
        names.extend((row["name"], "slo_etag" in row) for row in rows)
        if len(rows) < LISTING_LIMIT:
            break
        marker = rows[-1]["name"]
    return names


def _object_info(container: str, name: str, headers, base_url: str) -> ObjectInfo:
    h = {k.lower(): v for k, v in headers.items()}
    large = "static" if h.get("x-static-large-object") == "True" else "dynamic" if h.get("x-object-manifest") else ""
    return ObjectInfo(
        container=container,
        name=name,
        bytes=_int(h.get("content-length")),
        content_type=h.get("content-type", ""),
        etag=h.get("etag", "").strip('"'),
        last_modified=_when(h.get("last-modified")),
        metadata=_meta(headers, "x-object-meta-"),
        large=large,
        delete_at=_timestamp(h.get("x-delete-at")),
        public_url=base_url + _path(container, name),
    )


@translated("object-store", what=OBJECT)
def get_object(conn, container: str, name: str) -> ObjectInfo:
    """One object's size, type, etag, dates and metadata: one HEAD."""
    _check(container_name_problem(container) or object_name_problem(name))
    response = raw(conn, "object-store", _path(container, name), method="head")
    return _object_info(container, name, response.headers, _endpoint(conn))


@translated("object-store", what=OBJECT)
def set_object_metadata(conn, container: str, name: str, metadata: dict[str, str]) -> None:
    """Replace an object's metadata (Swift's POST sets the whole set)."""
    _check(container_name_problem(container) or object_name_problem(name))
    headers = {f"X-Object-Meta-{k}": v for k, v in metadata.items()}
    raw(conn, "object-store", _path(container, name), method="post", headers=headers)


@translated("object-store", what=CONTAINER)
def create_folder(conn, container: str, name: str) -> None:
    """A folder: an empty object named "<name>/" of type application/directory, as Horizon makes them."""
    name = name if name.endswith("/") else name + "/"
    _check(container_name_problem(container) or object_name_problem(name))
    headers = {"Content-Type": FOLDER_TYPE, "Content-Length": "0"}
    raw(conn, "object-store", _path(container, name), method="put", headers=headers, data=b"")


@dataclass
class BulkResult:
    deleted: int = 0
    not_found: int = 0
    errors: list[str] = field(default_factory=list)


def _bulk_delete(conn, container: str, names: list[str]) -> int:
    """Delete names of a container with the bulk middleware, 10,000 a request; the number deleted."""
    return bulk_delete_result(conn, container, names).deleted


@translated("object-store", what=CONTAINER)
def bulk_delete_result(conn, container: str, names: list[str]) -> BulkResult:
    """Delete many objects of a container with Swift's bulk delete (one POST per 10,000 names)."""
    _check(container_name_problem(container))
    result = BulkResult()
    for start in range(0, len(names), MAX_BULK_DELETES):
        batch = names[start : start + MAX_BULK_DELETES]
        body = "\n".join(quote(f"{container}/{n}", safe="/") for n in batch)
        answer = raw_json(
            conn,
            "object-store",
            "?bulk-delete",
            method="post",
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/plain", "Accept": "application/json"},
        )
        result.deleted += _int(answer.get("Number Deleted"))
        result.not_found += _int(answer.get("Number Not Found"))
        result.errors += [f"{name}: {status}" for name, status in answer.get("Errors") or []]
    _refuse_if(result.errors)
    return result


@translated("object-store", what=OBJECT)
def delete_object(conn, container: str, name: str) -> None:
    """Delete one object; a static large object goes with its segments."""
    _check(container_name_problem(container) or object_name_problem(name))
    info = raw(conn, "object-store", _path(container, name), method="head")
    if info.headers.get("X-Static-Large-Object") == "True":
        _refuse_if(_delete_manifest(conn, container, name))
    else:
        raw(conn, "object-store", _path(container, name), method="delete")


@translated("object-store", what=CONTAINER)
def delete_tree(conn, container: str, prefix: str) -> int:
    """Delete a folder and everything under it (bulk delete); the number of objects deleted."""
    _check(container_name_problem(container) or object_name_problem(prefix))
    tree = names_under(conn, container, prefix)
    return delete_objects(conn, container, [n for n, _ in tree], large={n for n, big in tree if big})


@translated("object-store", what=CONTAINER)
def delete_objects(conn, container: str, names: list[str], large: set[str] | frozenset = frozenset()) -> int:
    """Delete objects: the plain ones in bulk (one POST per 10,000), the static large objects among
    them (`large`, as listings mark them) one DELETE each with their segments, at once."""
    plain = [n for n in names if n not in large]
    big = [n for n in names if n in large]
    deleted = bulk_delete_result(conn, container, plain).deleted if plain else 0
    if big:
        answers = concurrently({n: (lambda n=n: _delete_manifest(conn, container, n)) for n in big})
        _refuse_if([e for answer in answers.values() for e in answer])
        deleted += len(big)
    return deleted


def _refuse_if(errors: list[str]) -> None:
    """Swift's bulk and manifest deletes answer 200 with a report: its errors become a CloudError."""
    if errors:
        listed = "; ".join(errors[:5])
        raise CloudError("error", _("Some objects could not be deleted: %(errors)s") % {"errors": listed})


def _delete_manifest(conn, container: str, name: str) -> list[str]:
    """DELETE a static large object with its segments; Swift answers 200 with a report, whose
    errors (e.g. "Not an SLO manifest") come back as a list."""
    answer = raw_json(
        conn,
        "object-store",
        _path(container, name),
        method="delete",
        params=MANIFEST_DELETE,
        headers={"Accept": "application/json"},
    )
    return [f"{path}: {status}" for path, status in answer.get("Errors") or []]


@translated("object-store", what=OBJECT)
def copy_object(conn, container: str, name: str, to_container: str, to_name: str) -> None:
    """A server-side copy (Swift's copy middleware): no byte passes through Zenith."""
    _check(container_name_problem(container) or object_name_problem(name))
    _check(container_name_problem(to_container) or object_name_problem(to_name))
    if (container, name) == (to_container, to_name):
        raise CloudError("bad_request", _("Choose another container or name than the object's own."))
    headers = {"X-Copy-From": _path(container, name), "Content-Length": "0"}
    response = conn.object_store.put(_path(to_container, to_name), headers=headers, data=b"")
    if response.status_code == 404:
        # the source or the target container: say which
        if conn.object_store.head(_path(to_container)).status_code == 404:
            raise CloudError("not_found", _("The container “%(name)s” was not found.") % {"name": to_container})
    raw_check(response)


@translated("object-store", what=OBJECT)
def move_object(conn, container: str, name: str, to_container: str, to_name: str) -> None:
    """Copy, then delete the original (Swift has no rename)."""
    copy_object(conn, container, name, to_container, to_name)
    raw(conn, "object-store", _path(container, name), method="delete")


# --- sharing -------------------------------------------------------------------------------------


def _temp_url_key(conn) -> str:
    """The account's temp URL key, made (random) on first use; it never leaves the server."""
    headers = raw(conn, "object-store", "", method="head").headers
    key = headers.get("X-Account-Meta-Temp-URL-Key", "")
    if not key:
        key = secrets.token_hex(32)
        raw(conn, "object-store", "", method="post", headers={"X-Account-Meta-Temp-URL-Key": key})
    return key


def sign_temp_url(key: str, method: str, expires: int, path: str) -> str:
    """Swift's tempurl signature (HMAC-SHA256 of method, expiry and the unquoted path)."""
    return hmac.new(key.encode(), f"{method}\n{expires}\n{path}".encode(), hashlib.sha256).hexdigest()


@translated("object-store", what=OBJECT)
def temp_url(conn, container: str, name: str, seconds: int) -> tuple[str, datetime]:
    """A URL anyone can GET the object with until it expires: (url, expiry). Two calls (the key)
    and a HEAD so a URL is never made for an object that does not exist."""
    _check(container_name_problem(container) or object_name_problem(name))
    raw(conn, "object-store", _path(container, name), method="head")
    key = _temp_url_key(conn)
    endpoint = urlsplit(_endpoint(conn))
    expires = int(time.time()) + int(seconds)
    path = f"{endpoint.path}/{container}/{name}"
    signature = sign_temp_url(key, "GET", expires, path)
    quoted = f"{endpoint.path}/{quote(container, safe='')}/{quote(name, safe='/')}"
    url = f"{endpoint.scheme}://{endpoint.netloc}{quoted}?temp_url_sig={signature}&temp_url_expires={expires}"
    return url, datetime.fromtimestamp(expires, UTC)


# --- downloads -----------------------------------------------------------------------------------


@dataclass
class Download:
    info: ObjectInfo
    chunks: Iterator[bytes]  # Swift's body as it arrives; closes the response when done


def _chunks(response, size: int) -> Iterator[bytes]:
    try:
        yield from response.iter_content(size)
    finally:
        response.close()


@translated("object-store", what=OBJECT)
def open_download(conn, container: str, name: str, chunk_size: int = DOWNLOAD_CHUNK) -> Download:
    """Start a download: the object's headers now, its body as an iterator of chunks (never whole)."""
    _check(container_name_problem(container) or object_name_problem(name))
    response = raw(conn, "object-store", _path(container, name), method="get", stream=True)
    info = _object_info(container, name, response.headers, _endpoint(conn))
    return Download(info, _chunks(response, chunk_size))


# --- uploads -------------------------------------------------------------------------------------


class Pieces:
    """Cuts a stream of chunks into pieces of at most `size` bytes, each read as its own iterator,
    without holding more than one incoming chunk (the way segments of a large object are fed)."""

    def __init__(self, chunks: Iterable[bytes], size: int):
        self._source = iter(chunks)
        self._size = size
        self._left = b""
        self.done = False

    def _fill(self) -> bool:
        while not self._left:
            try:
                self._left = next(self._source)
            except StopIteration:
                self.done = True
                return False
        return True

    def has_more(self) -> bool:
        return self._fill()

    def piece(self) -> Iterator[bytes]:
        """The next piece's chunks (at most `size` bytes in all)."""
        wanted = self._size
        while wanted and self._fill():
            chunk, self._left = self._left[:wanted], self._left[wanted:]
            wanted -= len(chunk)
            yield chunk


class _Counted:
    """Chunks passed through, counted and hashed (for a segment's size and etag)."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = chunks
        self.size = 0
        self.md5 = hashlib.md5(usedforsecurity=False)

    def __iter__(self):
        for chunk in self._chunks:
            self.size += len(chunk)
            self.md5.update(chunk)
            yield chunk


def _exactly(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The chunks, failing before their end if they do not add up to `size`: the request is then
    cut before its last chunk, so Swift stores nothing rather than a truncated object."""
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > size:
            break
        yield chunk
    if seen != size:
        raise CloudError("bad_request", _("The upload ended early: the object was not stored."))


def segments_container(container: str) -> str:
    """Where a container's large objects keep their segments (python-swiftclient's convention)."""
    return f"{container}_segments"


def _put_stream(conn, path: str, chunks: Iterable[bytes], headers: dict) -> _Counted:
    counted = _Counted(chunks)
    # a generator body goes out with chunked transfer encoding, as it is read
    raw(conn, "object-store", path, method="put", data=iter(counted), headers=headers)
    return counted


@dataclass
class Uploaded:
    container: str
    name: str
    bytes: int
    segments: int = 0  # > 0: stored as a static large object of this many segments


@translated("object-store", what=CONTAINER)
def upload_object(
    conn,
    container: str,
    name: str,
    chunks: Iterable[bytes],
    *,
    size: int | None = None,
    content_type: str = "",
    segment_bytes: int,
) -> Uploaded:
    """Store an object from chunks as they arrive. At most `segment_bytes` go in one request: a
    larger (or unsized) stream is written as segments in "<container>_segments", then a static
    large object manifest joins them. If the stream or Swift fails half-way, the segments
    written so far are deleted and no object appears."""
    _check(container_name_problem(container) or object_name_problem(name))
    headers = {"Content-Type": content_type} if content_type else {}
    if size is not None and size <= segment_bytes:
        counted = _put_stream(conn, _path(container, name), _exactly(chunks, size), headers)
        return Uploaded(container, name, counted.size)

    # the target container must exist before any segment is written
    raw(conn, "object-store", _path(container), method="head")
    seg_container = segments_container(container)
    raw(conn, "object-store", _path(seg_container), method="put")
    stamp = f"{time.time():.6f}"
    pieces = Pieces(chunks, segment_bytes)
    written: list[dict] = []
    try:
        while pieces.has_more():
            seg_name = f"{name}/slo/{stamp}/{size or 0}/{segment_bytes}/{len(written):08d}"
            counted = _put_stream(conn, _path(seg_container, seg_name), pieces.piece(), {})
            if not counted.size:
                break
            written.append(
                {"path": f"/{seg_container}/{seg_name}", "etag": counted.md5.hexdigest(), "size_bytes": counted.size}
            )
        if size is not None and sum(s["size_bytes"] for s in written) != size:
            raise CloudError("bad_request", _("The upload ended early: the object was not stored."))
        if len(written) <= 1:
            # small after all (an unsized stream): one plain object, copied server-side from its segment
            source = written[0]["path"] if written else None
            if source is None:
                raw(conn, "object-store", _path(container, name), method="put", data=b"", headers=headers)
            else:
                raw(
                    conn,
                    "object-store",
                    _path(container, name),
                    method="put",
                    data=b"",
                    headers={**headers, "X-Copy-From": quote(source, safe="/")},
                )
            total = written[0]["size_bytes"] if written else 0
            _bulk_delete(conn, seg_container, [w["path"].split("/", 2)[2] for w in written])
            return Uploaded(container, name, total)
        raw(
            conn,
            "object-store",
            _path(container, name),
            method="put",
            params={"multipart-manifest": "put"},
            data=json.dumps(written).encode(),
            headers=headers,
        )
    except BaseException:
        if written:
            try:
                _bulk_delete(conn, seg_container, [w["path"].split("/", 2)[2] for w in written])
            except Exception as exc:  # noqa: BLE001 - the first failure is the one to report
                log.warning("segments of %s/%s left behind: %s", container, name, exc)
        raise
    return Uploaded(container, name, sum(s["size_bytes"] for s in written), segments=len(written))


# --- what can be done --------------------------------------------------------------------------

CONTAINER_ACTIONS = catalogue(
    Action("make_public", gettext_lazy("Make public"), "globe"),
    Action("make_private", gettext_lazy("Make private"), "lock"),
    Action("metadata", gettext_lazy("Edit metadata"), "tags", form=True),
    Action("delete", gettext_lazy("Delete"), "trash", confirm=gettext_lazy("Delete this container?"), danger=True),
    Action(
        "empty_delete",
        gettext_lazy("Empty and delete"),
        "trash-fill",
        confirm=gettext_lazy("Delete every object of this container, then the container?"),
        danger=True,
    ),
)
OBJECT_ACTIONS = catalogue(
    Action("download", gettext_lazy("Download"), "download"),
    Action("copy", gettext_lazy("Copy or move"), "files", form=True),
    Action("share", gettext_lazy("Temporary URL"), "link-45deg", form=True),
    Action("delete", gettext_lazy("Delete"), "trash", confirm=gettext_lazy("Delete this object?"), danger=True),
)
FOLDER_ACTIONS = catalogue(
    Action(
        "delete",
        gettext_lazy("Delete folder"),
        "trash",
        confirm=gettext_lazy("Delete this folder and everything in it?"),
        danger=True,
    ),
)
BULK = ("delete",)  # what the folder view's selection offers (objects and whole folders)


def container_actions(container: Container) -> list[str]:
    """The actions a container's state allows: public or private, empty or not."""
    allowed = ["make_private" if container.public else "make_public", "metadata"]
    allowed.append("empty_delete" if container.count else "delete")
    return allowed


def entry_actions(entry: Entry) -> list[str]:
    """A folder can only be deleted (with its tree); an object offers all its actions."""
    return list(FOLDER_ACTIONS) if entry.folder else list(OBJECT_ACTIONS)


# --- the streamed upload route's kind (dashboard.uploads) --------------------------------------


@translated("object-store", what=CONTAINER)
def receive_upload(conn, upload, blocks: Iterable[bytes]) -> None:
    """Store an upload of dashboard.uploads (target_id: the container, name: the object's name)
    from its body blocks as they arrive, segmented above DASHBOARD_OBJECT_SEGMENT_BYTES."""
    upload_object(
        conn,
        upload.target_id,
        upload.name,
        blocks,
        size=upload.total or None,
        segment_bytes=settings.OBJECT_SEGMENT_BYTES,
    )


@translated("object-store", what=CONTAINER)
def abandon_upload(conn, upload) -> None:
    """Nothing is left to remove: an upload cut off before its end stores no object (Swift keeps
    the previous version, if any) and `upload_object` deletes the segments it had written."""
    return None
