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
from tests.helpers import SlowPut, asgi_get, asgi_put, logged_in, project_id_of, run_async, unique

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


def test_another_member_of_the_project_cannot_cancel_an_upload(django_client_factory, alt_sdk, cleanup):
    """demo and alt are both members of project alt: demo may not cancel alt's upload there."""
    from dashboard.uploads import progress

    box = unique("upl-own")
    assert alt_sdk.object_store.put(_path(box)).status_code == 201
    cleanup.add(_drop, alt_sdk, box)
    alt = logged_in(django_client_factory(), "alt", "alt")
    alt.get("/project/containers/")
    row = prepare(alt, box, {"mine.txt": 4})["uploads"][0]
    upload_id = row["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    demo_in_alt = logged_in(django_client_factory(), "demo", "alt")
    refused = demo_in_alt.post(row["cancel_url"], HTTP_ACCEPT="application/json")
    assert refused.status_code == 403, refused.content[:300]
    body = refused.json()
    assert body.pop("request_id") == refused["X-Request-ID"]  # to quote to an operator
    assert body == {
        "error": "forbidden",
        "message": "Only the user who started this upload, or a cloud administrator, can cancel it.",
    }
    assert progress.get(upload_id).state == "ready"
    # the upload goes on for its owner
    assert asgi_put(alt, row["upload_url"], b"mine")[0] == 200
    assert alt_sdk.object_store.get(_path(box, "mine.txt")).content == b"mine"


def test_a_stalled_upload_is_stopped_after_the_idle_time_and_its_segments_removed(demo, demo_sdk, box, settings):
    """A client that sends part of a large object, then nothing (without going away): once a
    segment is stored, DASHBOARD_UPLOAD_IDLE_SECONDS later the route stops waiting, answers 408
    and removes the segments; no object appears."""
    from dashboard.uploads import progress

    settings.UPLOAD_IDLE_SECONDS = 2
    data = os.urandom(3 * SEGMENT)
    row = prepare(demo, box, {"stalled.bin": len(data)})["uploads"][0]
    upload_id = row["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    async def scenario():
        put = SlowPut(demo, row["upload_url"], data, send_bytes=2 * SEGMENT + SEGMENT // 2)
        task = asyncio.create_task(put.run())
        await asyncio.wait_for(put.stalled.wait(), 30)
        half_written = await asyncio.to_thread(_listing, demo_sdk, f"{box}_segments")
        done, _ = await asyncio.wait({task}, timeout=settings.UPLOAD_IDLE_SECONDS + 20)
        if not done:  # still waiting for the client: end it, so its thread and its segments are freed
            put.hang_up()
            await task
            return half_written, None
        return half_written, task.result()

    half_written, answer = run_async(scenario())
    # what the stall leaves, if kept: the first segment, and the second unless its PUT is still going
    # (the route asks the client for the next block while the one before goes to Swift)
    assert [seg["bytes"] for seg in half_written] in ([SEGMENT], [SEGMENT, SEGMENT])
    assert answer is not None, "the upload still waited for its stalled client 22 s later (idle time: 2 s)"
    status, body = answer
    assert status == 408 and body["error"] == "timeout", body
    assert "no data came for 2 seconds" in body["message"]
    assert demo_sdk.object_store.head(_path(box, "stalled.bin")).status_code == 404
    assert _listing(demo_sdk, f"{box}_segments") == []
    assert progress.get(upload_id).state == "failed"


def test_one_upload_more_than_a_user_may_run_at_once_gets_429(demo, demo_sdk, box, settings):
    """With DASHBOARD_UPLOADS_PER_USER=2 and two uploads of the user running (stalled), a third is
    refused with 429 before a byte of it is read; once the two have ended, the same address works."""
    settings.UPLOADS_PER_USER = 2
    data = os.urandom(300 * 1024)
    rows = prepare(demo, box, {f"n{i}.bin": len(data) for i in range(3)})["uploads"]

    async def scenario():
        running = [SlowPut(demo, row["upload_url"], data, send_bytes=CHUNK) for row in rows[:2]]
        tasks = [asyncio.create_task(put.run()) for put in running]
        third = SlowPut(demo, rows[2]["upload_url"], data)
        try:
            await asyncio.wait_for(asyncio.gather(*(put.stalled.wait() for put in running)), 30)
            refused = await asyncio.wait_for(third.run(), 30)
        finally:
            for put in running:
                put.hang_up()
            ended = await asyncio.gather(*tasks)
        later = await asyncio.wait_for(SlowPut(demo, rows[2]["upload_url"], data).run(), 30)
        return refused, third, ended, later

    refused, third, ended, later = run_async(scenario())
    assert refused[1].pop("request_id") == third.headers["x-request-id"]  # to quote to an operator
    assert refused == (
        429,
        {
            "error": "throttled",
            "message": "You already have 2 uploads running: wait for one of them to end, then try again.",
        },
    )
    assert int(third.headers["retry-after"]) > 0
    assert third.sent == 0  # refused before its body was read
    assert [status for status, _ in ended] == [499, 499]  # the two stalled ones, hung up
    assert later[0] == 200, later
    assert demo_sdk.object_store.get(_path(box, "n2.bin")).content == data
    assert [row["name"] for row in _listing(demo_sdk, box)] == ["n2.bin"]


def test_stalled_uploads_leave_downloads_and_pages_their_threads(demo, demo_sdk, box, settings):
    """One process (one event loop) with as many stalled uploads as the loop's default executor
    has threads (min(32, cores + 4), Python's default): a download, whose chunks are pulled in
    that executor, and a page still answer at once. The uploads are then hung up; nothing of them
    is stored."""
    threads = min(32, (os.cpu_count() or 1) + 4)
    settings.UPLOADS_PER_USER = threads + 1
    settings.UPLOAD_THREADS = threads + 1
    settings.UPLOAD_IDLE_SECONDS = 120  # they stay stalled while the download runs
    kept = os.urandom(200 * 1024)
    assert demo_sdk.object_store.put(_path(box, "kept.bin"), data=kept).status_code == 201
    data = os.urandom(300 * 1024)
    rows = prepare(demo, box, {f"s{i}.bin": len(data) for i in range(threads)})["uploads"]
    download_url = f"/project/containers/c/{box}/object/download/?" + urlencode({"name": "kept.bin"})

    async def scenario():
        puts = [SlowPut(demo, row["upload_url"], data, send_bytes=CHUNK) for row in rows]
        tasks = [asyncio.create_task(put.run()) for put in puts]
        download = page = None
        try:
            await asyncio.wait_for(asyncio.gather(*(put.stalled.wait() for put in puts)), 60)
            try:
                download = await asyncio.wait_for(asgi_get(demo, download_url), 15)
            except TimeoutError:
                pass
            try:
                page = await asyncio.wait_for(asgi_get(demo, f"/project/containers/c/{box}/"), 15)
            except TimeoutError:
                pass
        finally:
            for put in puts:
                put.hang_up()
            ended = await asyncio.gather(*tasks)
        return download, page, ended

    download, page, ended = run_async(scenario())
    assert download is not None, f"no download in 15 s while {threads} uploads were stalled"
    assert download == (200, kept)
    assert page is not None and page[0] == 200, page
    assert [status for status, _ in ended] == [499] * threads, ended
    assert [row["name"] for row in _listing(demo_sdk, box)] == ["kept.bin"]


def test_an_upload_finding_every_upload_thread_busy_gets_503(demo, demo_sdk, box, settings):
    """With DASHBOARD_UPLOAD_THREADS=1 and one upload stalled in that thread, a second upload (the
    per-user limit set high) is refused with 503 before a byte of it is read, instead of waiting in
    a queue; its address works once the thread is free."""
    settings.UPLOAD_THREADS = 1
    settings.UPLOADS_PER_USER = 10
    data = os.urandom(100 * 1024)
    rows = prepare(demo, box, {f"b{i}.bin": len(data) for i in range(2)})["uploads"]

    async def scenario():
        stalled = SlowPut(demo, rows[0]["upload_url"], data, send_bytes=CHUNK)
        task = asyncio.create_task(stalled.run())
        second = SlowPut(demo, rows[1]["upload_url"], data)
        try:
            await asyncio.wait_for(stalled.stalled.wait(), 30)
            refused = await asyncio.wait_for(second.run(), 30)
        finally:
            stalled.hang_up()
            ended = await task
        later = await asyncio.wait_for(SlowPut(demo, rows[1]["upload_url"], data).run(), 30)
        return refused, second, ended, later

    refused, second, ended, later = run_async(scenario())
    assert refused[0] == 503 and refused[1]["error"] == "unavailable", refused
    assert "busy sending other uploads" in refused[1]["message"]
    assert int(second.headers["retry-after"]) > 0 and second.sent == 0
    assert ended[0] == 499
    assert later[0] == 200, later
    assert [row["name"] for row in _listing(demo_sdk, box)] == ["b1.bin"]


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
