"""Uploads to Swift through Zenith's streamed upload route (driven in-process as the ASGI server
would): small objects in one PUT, larger ones as static large objects of streamed segments, and
the ways an upload can end early. Checked with openstacksdk."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from urllib.parse import quote, urlencode

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from dashboard.live import state as live_state
from dashboard.uploads.asgi import PROGRESS_EVERY
from tests.helpers import asgi_put, project_id_of, unique

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 64 * 1024
SEGMENT = 1024 * 1024  # the segment size the tests set: a 2.5 MiB file makes three segments


def _path(container: str, name: str = "") -> str:
    return "/" + quote(container, safe="") + ("/" + quote(name, safe="/") if name else "")


def _listing(conn, container: str) -> list[dict]:
    response = conn.object_store.get(_path(container), params={"format": "json"})
    return [] if response.status_code == 404 else response.json()


def _manifest_delete(row: dict) -> dict | None:
    """A large object (its listing row has slo_etag) is deleted with its segments; Swift refuses
    ?multipart-manifest=delete on a plain object."""
    return {"multipart-manifest": "delete"} if "slo_etag" in row else None


def _drop(conn, container: str) -> None:
    for c in (container, f"{container}_segments"):
        for row in _listing(conn, c):
            conn.object_store.delete(_path(c, row["name"]), params=_manifest_delete(row))
        conn.object_store.delete(_path(c))


@pytest.fixture
def box(demo_sdk, cleanup):
    name = unique("zt-up")
    assert demo_sdk.object_store.put(_path(name)).status_code == 201
    cleanup.add(_drop, demo_sdk, name)
    return name


@pytest.fixture
def demo(demo_client, settings):
    settings.OBJECT_SEGMENT_BYTES = SEGMENT
    demo_client.get("/project/containers/")  # sets the CSRF cookie
    return demo_client


def prepare(client, container: str, files: dict[str, int], folder: str = "", status: int = 201) -> dict:
    response = client.post(
        f"/project/containers/c/{quote(container)}/upload/",
        {"folder": folder, "name": list(files), "size": list(files.values())},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_small_and_large_uploads_stream_to_swift(demo, demo_sdk, box):
    small, large = os.urandom(300 * 1024), os.urandom(2 * SEGMENT + SEGMENT // 2)
    made = prepare(demo, box, {"small.bin": len(small), "big.bin": len(large)}, folder="in/")
    urls = {row["name"]: row["upload_url"] for row in made["uploads"]}
    assert set(urls) == {"in/small.bin", "in/big.bin"}
    assert asgi_put(demo, urls["in/small.bin"], small) == (
        200,
        {"state": "done", "bytes": len(small), "target_id": box},
    )
    status, body = asgi_put(demo, urls["in/big.bin"], large)
    assert status == 200, body

    assert demo_sdk.object_store.get(_path(box, "in/small.bin")).content == small
    head = demo_sdk.object_store.head(_path(box, "in/small.bin"))
    assert "X-Static-Large-Object" not in head.headers
    # the large one: a manifest of three segments in <container>_segments, the bytes whole
    head = demo_sdk.object_store.head(_path(box, "in/big.bin"))
    assert head.headers["X-Static-Large-Object"] == "True" and int(head.headers["Content-Length"]) == len(large)
    manifest = demo_sdk.object_store.get(_path(box, "in/big.bin"), params={"multipart-manifest": "get"}).json()
    assert [seg["bytes"] for seg in manifest] == [SEGMENT, SEGMENT, SEGMENT // 2]
    assert all(seg["name"].startswith(f"/{box}_segments/in/big.bin/") for seg in manifest)

    # downloaded through Zenith, streamed, the same bytes
    download = demo.get(f"/project/containers/c/{box}/object/download/?" + urlencode({"name": "in/big.bin"}))
    assert download.streaming
    assert hashlib.sha256(b"".join(download.streaming_content)).digest() == hashlib.sha256(large).digest()

    # deleting the large object takes its segments along
    response = demo.post(f"/project/containers/c/{box}/object/delete/", {"name": "in/big.bin"})
    assert response.status_code == 302
    assert _listing(demo_sdk, f"{box}_segments") == []


def test_an_upload_cut_off_half_way_leaves_no_object_and_no_segment(demo, demo_sdk, box):
    data = os.urandom(3 * SEGMENT)
    url = prepare(demo, box, {"cut.bin": len(data)})["uploads"][0]["upload_url"]
    status, body = asgi_put(demo, url, data, stop_after=(2 * SEGMENT) // CHUNK)  # after the first segment
    assert status == 499 and body["error"] == "cancelled" and "cut off" in body["message"]
    assert demo_sdk.object_store.head(_path(box, "cut.bin")).status_code == 404
    assert _listing(demo_sdk, f"{box}_segments") == []


def test_a_small_upload_cut_off_stores_nothing(demo, demo_sdk, box):
    data = os.urandom(SEGMENT // 2)
    url = prepare(demo, box, {"half.bin": len(data)})["uploads"][0]["upload_url"]
    status, body = asgi_put(demo, url, data, stop_after=3)
    assert body.get("error") == "cancelled", (status, body)
    assert demo_sdk.object_store.head(_path(box, "half.bin")).status_code == 404


def test_cancel_stops_a_running_upload(demo, demo_sdk, box):
    from dashboard.uploads import progress

    data = os.urandom(3 * SEGMENT)
    row = prepare(demo, box, {"stop.bin": len(data)})["uploads"][0]
    upload_id = row["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    def cancel_on(n):
        if n == 24:  # as the Cancel button's view does, from another request
            assert demo.post(row["cancel_url"]).json()["state"] == "cancelling"
        if n == 25:  # the route looks for a cancel every PROGRESS_EVERY seconds: let one pass
            time.sleep(PROGRESS_EVERY + 0.1)

    status, body = asgi_put(demo, row["upload_url"], data, on_chunk=cancel_on)
    assert body["error"] == "cancelled", body
    assert progress.get(upload_id).state == "cancelled"
    assert demo_sdk.object_store.head(_path(box, "stop.bin")).status_code == 404
    assert _listing(demo_sdk, f"{box}_segments") == []


def test_uploading_to_a_container_deleted_meanwhile_says_so(demo, demo_sdk, box):
    data = os.urandom(1000)
    big = os.urandom(SEGMENT + 1)
    made = prepare(demo, box, {"late.txt": len(data), "late-big.bin": len(big)})
    urls = {row["name"]: row["upload_url"] for row in made["uploads"]}
    demo_sdk.object_store.delete(_path(box))
    status, body = asgi_put(demo, urls["late.txt"], data)
    assert status == 404 and "container was not found" in body["message"]
    status, body = asgi_put(demo, urls["late-big.bin"], big)
    assert status == 404 and "container was not found" in body["message"]
    assert demo_sdk.object_store.head(_path(box)).status_code == 404
    assert _listing(demo_sdk, f"{box}_segments") == []
    # and the page refuses to start one
    refused = prepare(demo, box, {"later.txt": 3}, status=404)
    assert "not found" in refused["message"]


def test_upload_names_swift_refuses_are_refused_before_any_byte(demo, box):
    refused = prepare(demo, box, {"x" * 1025: 3}, status=400)
    assert refused["error"] == "bad_request" and "1024 bytes" in refused["message"]


def test_another_project_cannot_use_an_upload_address(demo, alt_client, demo_sdk, box):
    url = prepare(demo, box, {"mine.txt": 4})["uploads"][0]["upload_url"]
    alt_client.get("/project/containers/")
    status, body = asgi_put(alt_client, url, b"evil")
    assert status == 404
    assert demo_sdk.object_store.head(_path(box, "mine.txt")).status_code == 404


def _listen(group: str):
    """A new channel of the real channel layer added to `group`, and a function answering the first
    frame sent to it (None after `timeout` seconds). One frame per channel: each call runs in its own
    event loop, and channels_redis's receive buffer does not carry over from one loop to the next."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)

    def heard(timeout: float = 10) -> dict | None:
        async def receive():
            try:
                return await asyncio.wait_for(layer.receive(channel), timeout)
            except TimeoutError:
                return None

        return async_to_sync(receive)()

    return heard


def test_list_watchers_hear_at_once_of_uploads_copies_and_deletes_made_through_zenith(demo, box):
    """No poller runs here, so the frames can only be Zenith announcing its own change: Swift's
    account listing, which the containers poller reads, shows it only at the container-updater's
    next sweep."""
    project_id = project_id_of(demo, "demo")
    heard = _listen(live_state.group_name(project_id, "containers"))
    made = prepare(demo, box, {"a.txt": 5})
    assert asgi_put(demo, made["uploads"][0]["upload_url"], b"12345")[0] == 200
    frame = heard()
    assert frame is not None, "no frame after the upload"
    assert frame["project"] == project_id and frame["topic"] == "containers"
    assert frame["payload"]["kind"] == "containers" and frame["payload"]["id"] == box
    assert frame["payload"]["op"] == "upsert"

    group = live_state.group_name(project_id, "containers")
    api = f"/api/v1/containers/{box}"
    heard = _listen(group)  # a new channel for each frame
    copied = demo.post(
        f"{api}/object/copy/", {"name": "a.txt", "to_container": box, "to_name": "b.txt"}, "application/json"
    )
    assert copied.status_code == 201, copied.content
    assert (frame := heard()) is not None and frame["payload"]["id"] == box
    heard = _listen(group)
    assert demo.delete(f"{api}/object/?name=b.txt").status_code == 204
    assert (frame := heard()) is not None and frame["payload"]["id"] == box
    heard = _listen(group)
    assert demo.post(f"/project/containers/c/{box}/object/delete/", {"name": "a.txt"}).status_code == 302
    assert (frame := heard()) is not None and frame["payload"]["id"] == box
    # nothing announced for another project's watchers
    other = _listen(live_state.group_name("0" * 32, "containers"))
    assert other(timeout=1) is None
