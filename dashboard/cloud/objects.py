"""Objects in Swift containers: a folder's page, one object, folders, deletes, copies, temporary
URLs and downloads; and how Swift's answers read (shared with `containers`).

Every call is a raw request to the project's Swift account (the object-store endpoint of the
catalog), parsed as plain JSON: listings of thousands of names are not turned into SDK objects.

What a page costs: a container's folder view is one GET with prefix + delimiter "/" and a limit
(the container's own headers come with it: `containers.list_objects_with_container`), so a
container of 10,000 objects opens as fast as one of 10; an object's page is one HEAD. Downloads
never hold an object in memory: they hand out Swift's response chunks as they arrive
(`open_download`); uploads are in `object_uploads`.

Every path is built by `object_names.swift_path` (names with "." and ".." segments reach Swift as
they are, never another object), and deleting a static large object takes along only the segments
in its own container and its segments container (`manifest_segments`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests.structures import CaseInsensitiveDict

from .actions import Action, catalogue
from .calls import concurrently, raw, raw_check, raw_json, translated
from .errors import CloudError
from .object_names import (
    basename_of,
    container_name_problem,
    object_name_problem,
    refuse_bad_name,
    segments_container,
    swift_path,
)
from .paging import ListParams, Page, marker_page

log = logging.getLogger(__name__)

CONTAINER_NOT_FOUND = gettext_lazy("The container was not found; it may have been deleted.")
OBJECT_NOT_FOUND = gettext_lazy("The object was not found; it may have been deleted.")

MAX_BULK_DELETES = 10000  # names one bulk-delete request may carry (bulk middleware default)
LISTING_LIMIT = 10000  # Swift's largest listing page
DOWNLOAD_CHUNK = 1024 * 1024  # a thread hop per chunk (dashboard.ui.streaming): 64 KiB chunks cost 2.5x the CPU
FOLDER_TYPE = "application/directory"
PUBLIC_READ = ".r:*,.rlistings"  # anyone may read objects and list the container
MANIFEST_GET = {"multipart-manifest": "get"}  # a static large object's GET answers its manifest (JSON)
MAX_MANIFEST_DEPTH = 10  # manifests within manifests Swift allows (max_manifest_depth default)


# --- what Swift answers --------------------------------------------------------------------------


def swift_time(value: str | None) -> datetime | None:
    """A listing's last_modified (ISO, UTC, no zone) or a header's HTTP date."""
    if not value:
        return None
    try:
        if value[:4].isdigit():
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None


def swift_timestamp(value: str | None) -> datetime | None:
    """A header's Unix time (X-Timestamp, X-Delete-At)."""
    try:
        return datetime.fromtimestamp(float(value), UTC) if value else None
    except ValueError:
        return None


def as_int(value, default: int | None = 0) -> int | None:
    """A listing's or a header's number; `default` when there is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def user_metadata(headers, prefix: str) -> dict[str, str]:
    """User metadata from headers (X-Container-Meta-Color: red -> {"color": "red"}), quota keys excluded."""
    found = {}
    for key, value in headers.items():
        if key.lower().startswith(prefix):
            short = key[len(prefix) :].lower()
            if not short.startswith(("quota-", "temp-url-")):
                found[short] = value
    return found


@translated("object-store")  # a catalog without Swift raises here
def get_account_url(conn) -> str:
    """The account's URL (http://host:8080/v1/AUTH_<project>), from the catalog."""
    return conn.object_store.get_endpoint().rstrip("/")


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


def entry_from(row: dict) -> Entry:
    if "subdir" in row:
        return Entry(name=row["subdir"], folder=True)
    name = row.get("name", "")
    return Entry(
        name=name,
        folder=name.endswith("/") and row.get("content_type", "").startswith(FOLDER_TYPE),
        bytes=as_int(row.get("bytes")),
        content_type=row.get("content_type", ""),
        # an SLO's listing row carries its whole-object etag apart from the manifest's hash
        etag=(row.get("slo_etag") or row.get("hash", "")).strip('"'),
        large="slo_etag" in row,
        last_modified=swift_time(row.get("last_modified")),
    )


# --- a folder's entries, one object ------------------------------------------------------------


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def list_objects(conn, container: str, params: ListParams, folder: str = "") -> Page:
    """A page of one folder's entries (objects and sub-folders) by name: one GET with prefix,
    delimiter "/" and limit + 1 after the marker. The list's "prefix" filter narrows the names
    inside the folder."""
    return folder_page(conn, container, params, folder)[0]


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def folder_page(conn, container: str, params: ListParams, folder: str) -> tuple[Page, CaseInsensitiveDict]:
    """`list_objects`'s page and the headers of its GET (the container's own, as a HEAD gives them)."""
    refuse_bad_name(container_name_problem(container))
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
        response = raw(conn, "object-store", swift_path(container), params=query)
        headers.update(response.headers)
        rows = (response.json() if response.content else None) or []
        # the folder's own marker object ("a/" inside "a/") is the folder itself, not a row of it
        return [entry_from(row) for row in rows if row.get("name") != folder or not folder]

    return marker_page(fetch, params, id_of=lambda e: e.name), headers


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def list_names_under(conn, container: str, prefix: str, limit: int = 100 * LISTING_LIMIT) -> list[tuple[str, bool]]:
    """(name, is a static large object) of every object starting with `prefix` (a folder's whole
    tree), 10,000 per GET."""
    refuse_bad_name(container_name_problem(container))
    names: list[tuple[str, bool]] = []
    marker = ""
    while len(names) < limit:
        query = {"format": "json", "limit": LISTING_LIMIT, "prefix": prefix}
        if marker:
            query["marker"] = marker
        rows = raw_json(conn, "object-store", swift_path(container), params=query) or []
        names.extend((row["name"], "slo_etag" in row) for row in rows)
        if len(rows) < LISTING_LIMIT:
            break
        marker = rows[-1]["name"]
    return names


def object_from_headers(container: str, name: str, headers, base_url: str) -> ObjectInfo:
    h = {k.lower(): v for k, v in headers.items()}
    large = "static" if h.get("x-static-large-object") == "True" else "dynamic" if h.get("x-object-manifest") else ""
    return ObjectInfo(
        container=container,
        name=name,
        bytes=as_int(h.get("content-length")),
        content_type=h.get("content-type", ""),
        etag=h.get("etag", "").strip('"'),
        last_modified=swift_time(h.get("last-modified")),
        metadata=user_metadata(headers, "x-object-meta-"),
        large=large,
        delete_at=swift_timestamp(h.get("x-delete-at")),
        public_url=base_url + swift_path(container, name),
    )


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def get_object(conn, container: str, name: str) -> ObjectInfo:
    """One object's size, type, etag, dates and metadata: one HEAD."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    response = raw(conn, "object-store", swift_path(container, name), method="head")
    return object_from_headers(container, name, response.headers, get_account_url(conn))


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def create_folder(conn, container: str, name: str) -> None:
    """A folder: an empty object named "<name>/" of type application/directory, as Horizon makes them."""
    name = name if name.endswith("/") else name + "/"
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    headers = {"Content-Type": FOLDER_TYPE, "Content-Length": "0"}
    raw(conn, "object-store", swift_path(container, name), method="put", headers=headers, data=b"")


# --- deletes -------------------------------------------------------------------------------------


@dataclass
class BulkResult:
    deleted: int = 0
    not_found: int = 0
    errors: list[str] = field(default_factory=list)


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def bulk_delete(conn, container: str, names: list[str]) -> BulkResult:
    """Delete many objects of a container with Swift's bulk delete (one POST per 10,000 names)."""
    refuse_bad_name(container_name_problem(container))
    result = _bulk(conn, [(container, n) for n in names])
    _refuse_if(result.errors)
    return result


def _bulk(conn, paths: list[tuple[str, str]]) -> BulkResult:
    """Bulk-delete (container, name) pairs, one POST per 10,000; each line is the object's path."""
    result = BulkResult()
    for start in range(0, len(paths), MAX_BULK_DELETES):
        body = "\n".join(swift_path(c, n) for c, n in paths[start : start + MAX_BULK_DELETES])
        answer = raw_json(
            conn,
            "object-store",
            "?bulk-delete",
            method="post",
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/plain", "Accept": "application/json"},
        )
        result.deleted += as_int(answer.get("Number Deleted"))
        result.not_found += as_int(answer.get("Number Not Found"))
        result.errors += [f"{name}: {status}" for name, status in answer.get("Errors") or []]
    return result


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def delete_object(conn, container: str, name: str) -> None:
    """Delete one object; a static large object goes with its segments."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    info = raw(conn, "object-store", swift_path(container, name), method="head")
    if info.headers.get("X-Static-Large-Object") == "True":
        _refuse_if(_delete_manifest(conn, container, name))
    else:
        raw(conn, "object-store", swift_path(container, name), method="delete")


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def delete_tree(conn, container: str, prefix: str) -> int:
    """Delete a folder and everything under it (bulk delete); the number of objects deleted."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(prefix))
    tree = list_names_under(conn, container, prefix)
    return delete_objects(conn, container, [n for n, _ in tree], large={n for n, big in tree if big})


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def delete_objects(conn, container: str, names: list[str], large: set[str] | frozenset = frozenset()) -> int:
    """Delete objects: the plain ones in bulk (one POST per 10,000), the static large objects among
    them (`large`, as listings mark them) one DELETE each with their segments, at once."""
    plain = [n for n in names if n not in large]
    big = [n for n in names if n in large]
    deleted = bulk_delete(conn, container, plain).deleted if plain else 0
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


def manifest_segments(home: str, rows: list[dict]) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """Which segments of a static large object of container `home` its delete takes along, from
    its manifest (?multipart-manifest=get: each row names "/<container>/<object>", anywhere in the
    account, or holds inline data): (container, object, is itself a manifest) of the segments in
    `home` or its segments container; the names of the others, left in place."""
    own = {home, segments_container(home)}
    taken: list[tuple[str, str, bool]] = []
    left: list[str] = []
    for row in rows:
        if "name" not in row:
            continue  # inline data: no object
        container, _, name = row["name"].lstrip("/").partition("/")  # as Swift reads it
        if container in own and name:
            taken.append((container, name, bool(row.get("sub_slo"))))
        else:
            left.append(row["name"])
    return taken, left


def _delete_manifest(conn, container: str, name: str, home: str = "", depth: int = 0) -> list[str]:
    """Delete a static large object, then those of its segments that lie in its own container or
    its segments container (`manifest_segments`; segments that are manifests themselves likewise):
    a manifest may name any object of the account as a segment, and deleting it must not delete
    another container's objects (Swift's ?multipart-manifest=delete would delete them all). The
    manifest goes first, so no segment is deleted while a manifest still names it. Three calls:
    the manifest's GET, its DELETE, one bulk delete of the segments. Errors come back as a list;
    segments already gone are fine."""
    home = home or container
    response = conn.object_store.get(swift_path(container, name), params=MANIFEST_GET, stream=True)
    try:
        if response.status_code == 404:
            return []  # gone already (a segment, or an object deleted meanwhile)
        raw_check(response)
        rows = response.json() if response.headers.get("X-Static-Large-Object") == "True" else []
    finally:
        response.close()  # not a manifest (any more): its body is not read
    raw(conn, "object-store", swift_path(container, name), method="delete")  # the manifest alone
    taken, left = manifest_segments(home, rows)
    if left:
        log.info("segments of %s/%s outside its containers left in place: %d", container, name, len(left))
    errors: list[str] = []
    for seg_container, seg_name, inner in taken:
        if inner and depth < MAX_MANIFEST_DEPTH:
            errors += _delete_manifest(conn, seg_container, seg_name, home, depth + 1)
    plain = [(c, n) for c, n, inner in taken if not inner or depth >= MAX_MANIFEST_DEPTH]
    return errors + _bulk(conn, plain).errors


# --- copies ------------------------------------------------------------------------------------


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def copy_object(conn, container: str, name: str, to_container: str, to_name: str) -> None:
    """A server-side copy (Swift's copy middleware): no byte passes through Zenith."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    refuse_bad_name(container_name_problem(to_container) or object_name_problem(to_name))
    if (container, name) == (to_container, to_name):
        raise CloudError("bad_request", _("Choose another container or name than the object's own."))
    headers = {"X-Copy-From": swift_path(container, name), "Content-Length": "0"}
    response = conn.object_store.put(swift_path(to_container, to_name), headers=headers, data=b"")
    if response.status_code == 404:
        # the source or the target container: say which
        if conn.object_store.head(swift_path(to_container)).status_code == 404:
            raise CloudError("not_found", _("The container “%(name)s” was not found.") % {"name": to_container})
    raw_check(response)


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def move_object(conn, container: str, name: str, to_container: str, to_name: str) -> None:
    """Copy, then delete the original (Swift has no rename)."""
    copy_object(conn, container, name, to_container, to_name)
    raw(conn, "object-store", swift_path(container, name), method="delete")


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


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def create_temp_url(conn, container: str, name: str, seconds: int) -> tuple[str, datetime]:
    """A URL anyone can GET the object with until it expires: (url, expiry). Two calls (the key)
    and a HEAD so a URL is never made for an object that does not exist."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    raw(conn, "object-store", swift_path(container, name), method="head")
    expires = int(time.time()) + int(seconds)
    url = temp_url(get_account_url(conn), _temp_url_key(conn), container, name, expires)
    return url, datetime.fromtimestamp(expires, UTC)


def temp_url(account_url: str, key: str, container: str, name: str, expires: int) -> str:
    """An object's temporary URL: its quoted path (`swift_path`) and the signature of its literal
    path, the one Swift reads and checks."""
    endpoint = urlsplit(account_url)
    signature = sign_temp_url(key, "GET", expires, f"{endpoint.path}/{container}/{name}")
    query = urlencode({"temp_url_sig": signature, "temp_url_expires": expires})
    return f"{endpoint.scheme}://{endpoint.netloc}{endpoint.path}{swift_path(container, name)}?{query}"


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


@translated("object-store", not_found=OBJECT_NOT_FOUND)
def open_download(conn, container: str, name: str, chunk_size: int = DOWNLOAD_CHUNK) -> Download:
    """Start a download: the object's headers now, its body as an iterator of chunks (never whole)."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    response = raw(conn, "object-store", swift_path(container, name), method="get", stream=True)
    info = object_from_headers(container, name, response.headers, get_account_url(conn))
    return Download(info, _chunks(response, chunk_size))


# --- what can be done --------------------------------------------------------------------------

OBJECT_ACTIONS = catalogue(
    Action(
        "download", gettext_lazy("Download"), "download", done=gettext_lazy("The object “%(subject)s” is downloading.")
    ),
    Action("copy", gettext_lazy("Copy or move"), "files", form=True),
    Action("share", gettext_lazy("Temporary URL"), "link-45deg", form=True),
    Action(
        "delete",
        gettext_lazy("Delete"),
        "trash",
        confirm=gettext_lazy("Delete this object?"),
        danger=True,
        done=gettext_lazy("“%(subject)s” was deleted."),
    ),
)
FOLDER_ACTIONS = catalogue(
    Action(
        "delete",
        gettext_lazy("Delete folder"),
        "trash",
        confirm=gettext_lazy("Delete this folder and everything in it?"),
        danger=True,
        done=gettext_lazy("“%(subject)s” was deleted."),
    ),
)
BULK = ("delete",)  # what the folder view's selection offers (objects and whole folders)


def entry_actions(entry: Entry) -> list[str]:
    """A folder can only be deleted (with its tree); an object offers all its actions."""
    return list(FOLDER_ACTIONS) if entry.folder else list(OBJECT_ACTIONS)
