"""The containers API (/api/v1/containers/) against the devcloud's Swift, checked with openstacksdk."""

from __future__ import annotations

import hashlib
import os
from urllib.parse import quote

import requests

from tests.helpers import unique

API = "/api/v1/containers/"


def _path(container: str, name: str = "") -> str:
    return "/" + quote(container, safe="") + ("/" + quote(name, safe="/") if name else "")


def _drop(conn, container: str) -> None:
    listing = conn.object_store.get(_path(container), params={"format": "json"})
    if listing.status_code == 200:
        for row in listing.json():
            conn.object_store.delete(_path(container, row["name"]))
    conn.object_store.delete(_path(container))


def test_containers_api_end_to_end(demo_client, alt_client, demo_sdk, cleanup):
    name = unique("zt-api")
    cleanup.add(_drop, demo_sdk, name)
    made = demo_client.post(API, {"name": name, "public": False}, content_type="application/json")
    assert made.status_code == 201 and made.json()["container"]["public"] is False
    assert demo_client.post(API, {"name": name}, content_type="application/json").json()["error"] == "conflict"
    bad = demo_client.post(API, {"name": "a/b"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request" and "name" in bad.json()["fields"]

    data = os.urandom(200_000)
    assert demo_sdk.object_store.put(_path(name, "dir/f.bin"), data=data).status_code == 201
    listed = demo_client.get(f"{API}{name}/objects/", {"limit": 10}).json()["objects"]
    assert listed == [{"name": "dir/", "folder": True}]
    inside = demo_client.get(f"{API}{name}/objects/", {"folder": "dir/"}).json()["objects"]
    assert [o["name"] for o in inside] == ["dir/f.bin"] and inside[0]["bytes"] == len(data)
    info = demo_client.get(f"{API}{name}/object/", {"name": "dir/f.bin"}).json()["object"]
    assert info["etag"] == hashlib.md5(data).hexdigest()  # noqa: S324 - Swift's etag

    download = demo_client.get(f"{API}{name}/object/download/", {"name": "dir/f.bin"})
    assert download.streaming and b"".join(download.streaming_content) == data

    shared = demo_client.post(
        f"{API}{name}/object/temp-url/", {"name": "dir/f.bin", "seconds": 600}, "application/json"
    )
    assert shared.status_code == 201
    assert requests.get(shared.json()["url"], timeout=30).content == data

    changed = demo_client.patch(f"{API}{name}/", {"public": True, "metadata": {"color": "red"}}, "application/json")
    body = changed.json()["container"]
    assert body["public"] is True and body["metadata"] == {"color": "red"}

    copied = demo_client.post(
        f"{API}{name}/object/copy/", {"name": "dir/f.bin", "to_container": name, "to_name": "g.bin"}, "application/json"
    )
    assert copied.status_code == 201 and demo_sdk.object_store.get(_path(name, "g.bin")).content == data

    uploads = demo_client.post(f"{API}{name}/uploads/", {"files": [{"name": "u.txt", "size": 3}]}, "application/json")
    assert uploads.status_code == 201 and uploads.json()["uploads"][0]["upload_url"].startswith("/uploads/containers/")

    # alt, in another project, sees none of it
    assert name not in [c["name"] for c in alt_client.get(API, {"prefix": name}).json()["containers"]]
    assert alt_client.get(f"{API}{name}/object/", {"name": "dir/f.bin"}).json()["error"] == "not_found"

    gone = demo_client.delete(f"{API}{name}/?empty=true")
    assert gone.status_code == 200 and gone.json()["deleted_objects"] == 2
    assert demo_sdk.object_store.head(_path(name)).status_code == 404
    assert demo_client.get(f"{API}{name}/").json()["error"] == "not_found"
