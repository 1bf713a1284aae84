"""The containers panel against the devcloud's Swift: pages, folders, downloads, sharing, copies
and deletes, checked with openstacksdk as demo (and alt, who must see none of it)."""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import quote, urlencode

import pytest
import requests

from tests.helpers import count_cloud_requests, unique


def _path(container: str, name: str = "") -> str:
    return "/" + quote(container, safe="") + ("/" + quote(name, safe="/") if name else "")


def _manifest_delete(row: dict) -> dict | None:
    """A large object (its listing row has slo_etag) is deleted with its segments; Swift refuses
    ?multipart-manifest=delete on a plain object."""
    return {"multipart-manifest": "delete"} if "slo_etag" in row else None


def _drop(conn, container: str) -> None:
    """Delete a container and all it holds (large objects with their segments), as its owner."""
    for c in (container, f"{container}_segments"):
        listing = conn.object_store.get(_path(c), params={"format": "json"})
        if listing.status_code == 404:
            continue
        for row in listing.json():
            conn.object_store.delete(_path(c, row["name"]), params=_manifest_delete(row))
        conn.object_store.delete(_path(c))


def _exists(conn, container: str, name: str = "") -> bool:
    return conn.object_store.head(_path(container, name)).status_code < 300


def _put(conn, container: str, name: str, data: bytes) -> None:
    assert conn.object_store.put(_path(container, name), data=data).status_code == 201


def _names(conn, container: str, prefix: str = "") -> list[str]:
    rows = conn.object_store.get(_path(container), params={"format": "json", "prefix": prefix}).json()
    return [row["name"] for row in rows]


@pytest.fixture
def box(demo_sdk, cleanup):
    """An empty container of demo's, deleted with all it holds after the test."""
    name = unique("zt-box")
    assert demo_sdk.object_store.put(_path(name)).status_code == 201
    cleanup.add(_drop, demo_sdk, name)
    return name


def _objects_url(container: str, folder: str = "") -> str:
    return f"/project/containers/c/{quote(container, safe='')}/" + (f"f/{quote(folder)}" if folder else "")


def _object_url(container: str, name: str, view: str = "object/") -> str:
    return f"/project/containers/c/{quote(container, safe='')}/{view}?" + urlencode({"name": name})


# --- containers ----------------------------------------------------------------------------------


def test_create_container_public_then_listed(demo_client, demo_sdk, cleanup):
    name = unique("zt-new")
    cleanup.add(_drop, demo_sdk, name)
    response = demo_client.post("/project/containers/create/", {"name": name, "storage_policy": "", "public": "on"})
    assert response.status_code == 302, response.content[:800]
    assert response["Location"] == _objects_url(name)
    head = demo_sdk.object_store.head(_path(name))
    assert head.status_code == 204 and ".r:*" in head.headers["X-Container-Read"]
    page = demo_client.get("/project/containers/?" + urlencode({"prefix": name}))
    assert page.status_code == 200 and name.encode() in page.content
    detail = demo_client.get(_objects_url(name))
    assert b'data-testid="public-badge"' in detail.content and b"Policy-0" in detail.content


def test_an_existing_container_name_is_refused_on_the_form(demo_client, box):
    response = demo_client.post("/project/containers/create/", {"name": box})
    assert response.status_code == 400
    assert b"already exists" in response.content


@pytest.mark.parametrize(
    ("name", "why"),
    [("a/b", "cannot contain"), ("x" * 257, "at most 256 bytes"), ("é" * 129, "at most 256 bytes")],
)
def test_container_names_swift_refuses_are_refused_with_a_reason(demo_client, demo_sdk, name, why):
    response = demo_client.post("/project/containers/create/", {"name": name})
    assert response.status_code == 400
    assert why.encode() in response.content
    assert not _exists(demo_sdk, name.replace("/", "_")[:256])


def test_a_name_with_markup_is_shown_as_text(demo_client, demo_sdk, cleanup):
    name = unique("<b>zt") + "&<i>"
    cleanup.add(_drop, demo_sdk, name)
    response = demo_client.post("/project/containers/create/", {"name": name})
    assert response.status_code == 302
    _put(demo_sdk, name, "<i>x&.txt", b"x")
    page = demo_client.get(_objects_url(name))
    assert page.status_code == 200
    assert b"<b>zt" not in page.content and b"&lt;b&gt;zt" in page.content
    assert b"<i>x" not in page.content and b"&lt;i&gt;x&amp;.txt" in page.content


def test_make_public_lets_anyone_read_then_private_again(demo_client, demo_sdk, box):
    _put(demo_sdk, box, "hello.txt", b"hello world")
    public_url = demo_sdk.object_store.get_endpoint() + _path(box, "hello.txt")
    assert requests.get(public_url, timeout=30).status_code in (401, 403)
    asked = demo_client.get(f"/project/containers/c/{box}/public/")  # the page asks first, with the URL
    assert asked.status_code == 200 and demo_sdk.object_store.get_endpoint().encode() in asked.content
    assert requests.get(public_url, timeout=30).status_code in (401, 403)  # asking changed nothing
    assert demo_client.post(f"/project/containers/c/{box}/action/make_public/").status_code == 404  # no one-click
    response = demo_client.post(f"/project/containers/c/{box}/public/")
    assert response.status_code == 302
    anonymous = requests.get(public_url, timeout=30)
    assert anonymous.status_code == 200 and anonymous.content == b"hello world"
    page = demo_client.get(_objects_url(box))
    assert b'data-testid="public-url"' in page.content and public_url.rsplit("/", 1)[0].encode() in page.content
    demo_client.post(f"/project/containers/c/{box}/action/make_private/", {"next": _objects_url(box)})
    assert requests.get(public_url, timeout=30).status_code in (401, 403)


def test_container_metadata_is_edited(demo_client, demo_sdk, box):
    url = f"/project/containers/c/{box}/metadata/"
    response = demo_client.post(url, {"metadata": "color: blue\nowner: team-a"})
    assert response.status_code == 302
    headers = demo_sdk.object_store.head(_path(box)).headers
    assert headers["X-Container-Meta-Color"] == "blue" and headers["X-Container-Meta-Owner"] == "team-a"
    demo_client.post(url, {"metadata": "color: red"})
    headers = demo_sdk.object_store.head(_path(box)).headers
    assert headers["X-Container-Meta-Color"] == "red" and "X-Container-Meta-Owner" not in headers
    bad = demo_client.post(url, {"metadata": "no colon here"})
    assert bad.status_code == 400 and b"Line 1" in bad.content


def test_a_non_empty_container_is_deleted_only_when_emptied_first(demo_client, demo_sdk, box):
    for i in range(3):
        _put(demo_sdk, box, f"f{i}.txt", b"x")
    refused = demo_client.post(f"/project/containers/c/{box}/action/delete/", follow=True)
    assert b"not empty" in refused.content
    assert _exists(demo_sdk, box)
    done = demo_client.post(f"/project/containers/c/{box}/action/empty_delete/", follow=True)
    assert done.status_code == 200 and b"3 objects were deleted first" in done.content
    assert not _exists(demo_sdk, box)


# --- folders and objects -------------------------------------------------------------------------


def test_folder_view_pages_by_marker_with_a_fixed_number_of_calls(demo_client, demo_sdk, box):
    for i in range(25):
        _put(demo_sdk, box, f"docs/file-{i:02d}.txt", b"x")
    _put(demo_sdk, box, "docs/deep/inner.txt", b"y")
    _put(demo_sdk, box, "top.txt", b"z")
    root = demo_client.get(_objects_url(box))
    assert b"docs/" in root.content and b"top.txt" in root.content and b"file-00" not in root.content
    with count_cloud_requests() as seen:
        first = demo_client.get(_objects_url(box, "docs/") + "?limit=20")
    # one listing GET: its headers describe the container (no HEAD beside it)
    assert [method for method, _ in seen] == ["GET"], seen
    assert first.status_code == 200
    assert b'data-testid="container-count">27</dd>' in first.content  # the whole container, not the folder
    assert b" deep/</a>" in first.content and b" file-00.txt</a>" in first.content
    assert b" file-18.txt</a>" in first.content
    assert b" file-19.txt</a>" not in first.content
    assert b'data-testid="breadcrumbs"' in first.content
    nxt = first.content.split(b'data-testid="next-page"')[0].rsplit(b'href="', 1)[1].split(b'"')[0]
    second = demo_client.get(nxt.decode().replace("&amp;", "&"))
    assert b" file-19.txt</a>" in second.content and b" file-24.txt</a>" in second.content
    assert b" file-18.txt</a>" not in second.content


def test_create_folder_in_a_folder(demo_client, demo_sdk, box):
    response = demo_client.post(f"/project/containers/c/{box}/folder/?" + urlencode({"folder": "a/"}), {"name": "b c"})
    assert response.status_code == 302
    assert response["Location"] == _objects_url(box, "a/b c/")
    head = demo_sdk.object_store.head(_path(box, "a/b c/"))
    assert head.status_code == 200 and head.headers["Content-Type"].startswith("application/directory")
    inside = demo_client.get(response["Location"])
    assert inside.status_code == 200 and b"This folder is empty." in inside.content


def test_download_streams_the_bytes(demo_client, demo_sdk, box):
    data = os.urandom(3 * 1024 * 1024 + 17)
    _put(demo_sdk, box, "dir/blob.bin", data)
    response = demo_client.get(_object_url(box, "dir/blob.bin", "object/download/"))
    assert response.status_code == 200
    assert response.streaming  # handed out chunk by chunk, never whole
    assert response["Content-Length"] == str(len(data))
    assert 'filename="blob.bin"' in response["Content-Disposition"]
    got = b"".join(response.streaming_content)
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()


def test_object_page_shows_size_type_and_etag(demo_client, demo_sdk, box):
    _put(demo_sdk, box, "a/readme.txt", b"read me")
    page = demo_client.get(_object_url(box, "a/readme.txt"))
    assert page.status_code == 200
    assert hashlib.md5(b"read me").hexdigest().encode() in page.content  # noqa: S324 - Swift's etag
    assert "7\xa0bytes".encode() in page.content  # the size as every page says it
    gone = demo_client.get(_object_url(box, "a/nothing.txt"))
    assert gone.status_code == 404 and b'data-testid="not-found"' in gone.content


def test_an_object_name_over_1024_bytes_is_refused(demo_client, box):
    assert demo_client.get(_object_url(box, "x" * 1025)).status_code == 404
    _name = "n.txt"
    response = demo_client.post(_object_url(box, _name, "object/copy/"), {"container": box, "name": "y" * 1025})
    assert response.status_code in (400, 404)


def test_temporary_url_lets_anyone_download_until_it_expires(demo_client, demo_sdk, box):
    _put(demo_sdk, box, "share me.txt", b"shared bytes")
    response = demo_client.post(_object_url(box, "share me.txt", "object/share/"), {"expires": "3600"})
    assert response.status_code == 200
    url = re.search(r'value="([^"]+)" id="temp-url"', response.content.decode())[1].replace("&amp;", "&")
    assert "temp_url_sig=" in url and "temp_url_expires=" in url
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200 and fetched.content == b"shared bytes"
    tampered = requests.get(url.replace("share%20me.txt", "other.txt"), timeout=30)
    assert tampered.status_code == 401


def test_copy_then_move_to_another_container(demo_client, demo_sdk, box, cleanup):
    other = unique("zt-other")
    assert demo_sdk.object_store.put(_path(other)).status_code == 201
    cleanup.add(_drop, demo_sdk, other)
    _put(demo_sdk, box, "src/a.txt", b"payload")
    copied = demo_client.post(_object_url(box, "src/a.txt", "object/copy/"), {"container": other, "name": "x/a.txt"})
    assert copied.status_code == 302
    assert demo_sdk.object_store.get(_path(other, "x/a.txt")).content == b"payload"
    assert _exists(demo_sdk, box, "src/a.txt")
    moved = demo_client.post(
        _object_url(box, "src/a.txt", "object/copy/"), {"container": box, "name": "dst/a.txt", "move": "on"}
    )
    assert moved.status_code == 302
    assert demo_sdk.object_store.get(_path(box, "dst/a.txt")).content == b"payload"
    assert not _exists(demo_sdk, box, "src/a.txt")


def test_delete_a_selection_and_a_folder_recursively(demo_client, demo_sdk, box):
    for name in ("keep.txt", "one.txt", "two.txt", "tree/a.txt", "tree/b/c.txt", "tree/b/d/e.txt"):
        _put(demo_sdk, box, name, b"x")
    response = demo_client.post(
        f"/project/containers/c/{box}/delete/",
        {"names": ["one.txt", "two.txt", "tree/"], "action": "delete", "next": _objects_url(box)},
        follow=True,
    )
    assert response.status_code == 200 and b"5 objects deleted" in response.content
    assert _names(demo_sdk, box) == ["keep.txt"]


def test_delete_one_object(demo_client, demo_sdk, box):
    _put(demo_sdk, box, "f/x.txt", b"x")
    response = demo_client.post(f"/project/containers/c/{box}/object/delete/", {"name": "f/x.txt"})
    assert response.status_code == 302 and response["Location"] == _objects_url(box, "f/")
    assert not _exists(demo_sdk, box, "f/x.txt")


# --- isolation -----------------------------------------------------------------------------------


def test_alt_cannot_see_demo_private_container(alt_client, demo_sdk, box):
    _put(demo_sdk, box, "secret.txt", b"secret")
    listing = alt_client.get("/project/containers/?" + urlencode({"prefix": box}))
    assert listing.status_code == 200 and f'data-id="{box}"'.encode() not in listing.content
    assert alt_client.get(_objects_url(box)).status_code == 404
    assert alt_client.get(_object_url(box, "secret.txt", "object/download/")).status_code == 404


def test_containers_list_is_one_listing_with_the_accounts_totals(demo_client, demo_sdk, box):
    _put(demo_sdk, box, "a.txt", b"12345")
    before = demo_sdk.object_store.head("")  # the account as Swift counts it (its updater may
    with count_cloud_requests() as seen:  # count the new object in between: either is right)
        page = demo_client.get("/project/containers/")
    after = demo_sdk.object_store.head("")
    assert page.status_code == 200
    # one GET of the account: its headers carry the totals a HEAD would give
    assert [method for method, _ in seen] == ["GET"], seen
    totals = set()
    for head in (before, after):
        containers = int(head.headers["X-Account-Container-Count"])
        objects = int(head.headers["X-Account-Object-Count"])
        totals.add(f"{containers} {'container' if containers == 1 else 'containers'}, {objects} objects".encode())
    assert any(total in page.content for total in totals), totals
    assert box.encode() in page.content
