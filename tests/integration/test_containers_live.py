"""Container counts and sizes follow uploads and deletes made elsewhere: the containers poller
(one Swift account listing per tick) reports the changed container, the list's row view renders
its new figures, and a watcher of the containers list hears it over the websocket."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import quote

import pytest

from dashboard.live import pollers
from tests.communicators import WebsocketCommunicator
from tests.helpers import celery_worker_running, poller_listed, project_id_of, unique, wait_for


def _path(container: str, name: str = "") -> str:
    return "/" + quote(container, safe="") + ("/" + quote(name, safe="/") if name else "")


def test_the_poller_reports_containers_made_and_deleted_and_the_row_has_fresh_figures(demo_client, demo_sdk):
    project_id = project_id_of(demo_client, "demo")
    poll = pollers.POLLERS["containers"]
    poll(demo_sdk, project_id)  # the first look records what the page already shows
    poll(demo_sdk, project_id)
    name = unique("zt-live-new")
    assert demo_sdk.object_store.put(_path(name)).status_code == 201
    try:
        assert demo_sdk.object_store.put(_path(name, "a.txt"), data=b"12345").status_code == 201
        made = wait_for(lambda: [m for m in poll(demo_sdk, project_id) if m["id"] == name], "an upsert", 60, 2)
        assert made[0]["op"] == "upsert" and made[0]["kind"] == "containers"
        # the row the page fetches then reads the container itself (one HEAD): exact figures,
        # whatever the lag of Swift's account listing
        row = demo_client.get(f"/project/containers/c/{name}/row/")
        assert row.status_code == 200
        assert b'data-testid="row-count">1<' in row.content and b"5\xc2\xa0bytes" in row.content
    finally:
        demo_sdk.object_store.delete(_path(name, "a.txt"))
        demo_sdk.object_store.delete(_path(name))
    gone = wait_for(lambda: [m for m in poll(demo_sdk, project_id) if m["id"] == name], "a delete", 60, 2)
    assert gone[0]["op"] == "delete"
    assert demo_client.get(f"/project/containers/c/{name}/row/").status_code == 404


@pytest.fixture(scope="module")
def celery_worker(devcloud):
    with celery_worker_running("containers-live-worker.log", "containers-live") as worker:
        yield worker


async def _next(socket, timeout: float) -> dict | None:
    if await socket.receive_nothing(timeout=timeout, interval=0.05):
        return None
    return await socket.receive_json_from(timeout=5)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_watcher_hears_a_container_change_made_in_another_tab(demo_client, demo_sdk, cleanup, celery_worker):
    from dashboard.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    headers.append((b"cookie", f"zenith_session={demo_client.cookies['zenith_session'].value}".encode()))
    live = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await live.connect(timeout=10)
    assert connected
    try:
        await live.send_json_to({"type": "subscribe", "kind": "containers"})
        assert (await _next(live, 10))["type"] == "subscribed"
        await poller_listed(demo_client.session["keystone"]["project_id"], "containers")
        box = unique("zt-live-ws")
        put = demo_sdk.object_store.put
        assert (await asyncio.to_thread(put, _path(box))).status_code == 201
        cleanup.add(demo_sdk.object_store.delete, _path(box))
        deadline = time.monotonic() + 90
        while True:
            assert time.monotonic() < deadline, "no frame for the container"
            frame = await _next(live, deadline - time.monotonic()) or {}
            if frame.get("id") == box:
                assert frame["kind"] == "containers" and frame["op"] == "upsert"
                break
    finally:
        await live.disconnect()
