"""Live updates over websockets: real Redis channel layer, real Celery pollers, real devcloud.

Two browsers are played by channels' WebsocketCommunicator against dashboard.asgi.application,
each with the session cookie of a Django test client that logged in through the login view.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.asgi import application
from dashboard.cloud.secrets import open_sealed
from dashboard.live import state
from tests.communicators import WebsocketCommunicator
from tests.helpers import (
    boot,
    celery_worker_running,
    credentials_of,
    poller_listed,
    session_tokens,
    unique,
    wait_for_status,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]


@pytest.fixture(scope="module")
def celery_worker(devcloud):
    with celery_worker_running("live-worker.log", "live-tests") as worker:
        yield worker


def cookie_of(client) -> str:
    return client.cookies["zenith_session"].value


async def open_socket(session_key: str | None = None, origin: bytes = b"http://127.0.0.1", host: bytes = b"127.0.0.1"):
    headers = [(b"origin", origin), (b"host", host)]
    if session_key:
        headers.append((b"cookie", f"zenith_session={session_key}".encode()))
    socket = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, code = await socket.connect(timeout=10)
    return socket, connected, code


async def subscribe(socket, **frame) -> dict:
    await socket.send_json_to({"type": "subscribe", **frame})
    return await next_frame(socket, 10)


async def next_frame(socket, timeout: float) -> dict | None:
    """The next frame, or None after `timeout` (a timed-out receive would cancel the consumer)."""
    if await socket.receive_nothing(timeout=timeout, interval=0.05):
        return None
    return await socket.receive_json_from(timeout=5)


async def drain(socket, seconds: float) -> list[dict]:
    """Everything a socket receives within `seconds`."""
    received = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        frame = await next_frame(socket, left)
        if frame is None:
            break
        received.append(frame)
    return received


async def wait_for_pushed_status(socket, server_id: str, wanted: str, seen: list[str], timeout: float = 120) -> None:
    """Read change frames until the server's status is `wanted`; every status seen goes in `seen`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await next_frame(socket, max(0.1, deadline - time.monotonic()))
        if message is None:
            break
        if message.get("type") == "change" and message.get("id") == server_id:
            if not seen or seen[-1] != message["status"]:
                seen.append(message["status"])
            if message["status"] == wanted:
                return
    pytest.fail(f"no {wanted} for {server_id} within {timeout}s; statuses seen: {seen}")


@pytest.fixture
def demo_server(demo_sdk, cleanup):
    """Create and (at the end) delete one of demo's instances; the test boots it when it wants."""
    return lambda: boot(demo_sdk, unique("zt-live"), wait=False, cleanup=cleanup)


@pytest.mark.django_db(transaction=True)
async def test_demo_sees_its_instance_build_active_shutoff_and_alt_sees_none_of_it(
    demo_client, alt_client, demo_sdk, demo_server, celery_worker
):
    demo_project = demo_client.session["keystone"]["project_id"]
    demo, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    alt, ok, _ = await open_socket(cookie_of(alt_client))
    assert ok
    crafty, ok, _ = await open_socket(cookie_of(alt_client))
    assert ok
    try:
        assert (await subscribe(demo, kind="instances")) == {"type": "subscribed", "kind": "instances", "id": None}
        assert (await subscribe(alt, kind="instances"))["type"] == "subscribed"
        # alt names demo's project in a crafted frame: refused, nothing joined
        refused = await subscribe(crafty, kind="instances", project=demo_project)
        assert refused["type"] == "error" and refused["code"] == "refused"
        assert "current project" in refused["message"]

        server = await asyncio.to_thread(demo_server)
        seen: list[str] = []
        await wait_for_pushed_status(demo, server.id, "ACTIVE", seen)
        await asyncio.to_thread(demo_sdk.compute.stop_server, server)
        await wait_for_pushed_status(demo, server.id, "SHUTOFF", seen)
        assert seen[0] == "BUILD", seen
        assert seen.index("BUILD") < seen.index("ACTIVE") < seen.index("SHUTOFF")

        # the other project's sockets heard nothing about it
        for socket in (alt, crafty):
            for message in await drain(socket, 1.5):
                assert message.get("id") != server.id, message
                assert server.id not in json.dumps(message)
    finally:
        for socket in (demo, alt, crafty):
            await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_unauthenticated_socket_is_refused(devcloud):
    socket, connected, _ = await open_socket(None)
    assert not connected
    socket, connected, _ = await open_socket("not-a-session-key")
    assert not connected


async def close_code(socket, connected: bool, code) -> int | None:
    """The code a socket was closed with at once (at the handshake or just after it), None while it stays open."""
    if not connected:
        return code
    if await socket.receive_nothing(timeout=5, interval=0.05):
        await socket.disconnect()
        return None
    message = await socket.receive_output(timeout=5)
    return message["code"] if message["type"] == "websocket.close" else None


@pytest.mark.django_db(transaction=True)
async def test_socket_from_another_site_is_refused(demo_client):
    socket, connected, code = await open_socket(cookie_of(demo_client), origin=b"http://evil.example")
    assert await close_code(socket, connected, code) == 4403


@pytest.mark.django_db(transaction=True)
async def test_a_page_on_another_port_of_the_host_cannot_open_the_users_socket(demo_client):
    """Cookies are not kept apart by port and SameSite counts another port as the same site: a page
    served from 127.0.0.1:8001 sends the session of the user of Zenith on 127.0.0.1:8000. Its socket is
    closed (4403) before any frame; the page's own origin opens it."""
    key = cookie_of(demo_client)
    socket, connected, code = await open_socket(key, origin=b"http://127.0.0.1:8001", host=b"127.0.0.1:8000")
    assert await close_code(socket, connected, code) == 4403
    live, connected, _ = await open_socket(key, origin=b"http://127.0.0.1:8000", host=b"127.0.0.1:8000")
    assert connected
    try:
        assert (await subscribe(live, kind="instances"))["type"] == "subscribed"
    finally:
        await live.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_expired_session_is_refused_and_an_open_socket_closed(demo_client):
    key = cookie_of(demo_client)
    live, ok, _ = await open_socket(key)
    assert ok

    session = demo_client.session
    stored = session["keystone"]
    stored["expires_at"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    session["keystone"] = stored
    await asyncio.to_thread(session.save)

    _, connected, _ = await open_socket(key)
    assert not connected
    # the socket opened before expiry is told and closed at its next subscribe
    answer = await subscribe(live, kind="instances")
    assert answer["type"] == "error" and answer["code"] == "session"
    assert (await live.receive_output(timeout=5))["type"] == "websocket.close"


@pytest.mark.django_db(transaction=True)
async def test_unknown_kinds_and_admin_only_kinds_are_refused(demo_client, celery_worker):
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    try:
        for frame in (
            {"kind": "secrets"},
            {"kind": "instances.x"},
            {"kind": "diagnostics", "id": "../../etc"},
            {"kind": ["instances"]},
        ):
            answer = await subscribe(live, **frame)
            assert answer["type"] == "error" and answer["code"] == "refused", (frame, answer)
        answer = await subscribe(live, kind="diagnostics", id="4d0c8c7e-1111-4222-8333-944445555666")
        assert answer["message"] == "Usage charts need the admin role in this cloud."
        # garbage is answered, and the socket still works
        await live.send_to(text_data="{not json")
        assert (await next_frame(live, 5))["type"] == "error"
        await live.send_json_to(["subscribe"])
        assert (await next_frame(live, 5))["type"] == "error"
        assert (await subscribe(live, kind="instances"))["type"] == "subscribed"
    finally:
        await live.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_overview_subscription_pushes_quota_gauges_and_counts(demo_client, celery_worker):
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    try:
        assert (await subscribe(live, kind="overview"))["type"] == "subscribed"
        deadline = time.monotonic() + 30
        overview = None
        while overview is None and time.monotonic() < deadline:
            message = await next_frame(live, deadline - time.monotonic()) or {}
            if message.get("kind") == "overview":
                overview = message["overview"]
        assert overview is not None
        keys = {g["key"] for g in overview["gauges"]}
        assert {"instances", "cores", "ram", "volumes", "gigabytes", "floating_ips", "networks"} <= keys
        instances = next(g for g in overview["gauges"] if g["key"] == "instances")
        assert isinstance(instances["used"], int) and instances["limit"] != 0
        assert overview["total"] == sum(overview["counts"].values())
        assert set(overview["counts"]) <= {
            "ACTIVE",
            "BUILD",
            "SHUTOFF",
            "ERROR",
            "PAUSED",
            "SUSPENDED",
            "SHELVED_OFFLOADED",
            "REBOOT",
            "HARD_REBOOT",
            "RESIZE",
            "VERIFY_RESIZE",
            "DELETED",
            "UNKNOWN",
            "SHELVED",
            "MIGRATING",
            "RESCUE",
            "REBUILD",
            "PASSWORD",
            "SOFT_DELETED",
        }
    finally:
        await live.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_console_requests_are_rate_limited_per_socket(demo_client, monkeypatch):
    from dashboard.live import consumers

    monkeypatch.setattr(consumers, "CONSOLE_LIMIT", 2)
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    try:
        missing = "4d0c8c7e-1111-4222-8333-944445555666"
        answers = []
        for _ in range(3):
            await live.send_json_to({"type": "console", "id": missing})
            answers.append(await next_frame(live, 30))
        assert all("not found" in (a.get("error") or "") for a in answers[:2]), answers
        assert answers[2]["type"] == "error" and "Too many console requests" in answers[2]["message"]
    finally:
        await live.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_pollers_credentials_in_redis_hold_no_usable_token(demo_client, celery_worker):
    project = demo_client.session["keystone"]["project_id"]
    tokens = await asyncio.to_thread(session_tokens, demo_client)
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    try:
        assert (await subscribe(live, kind="overview"))["type"] == "subscribed"
        raw = state.r().get(state.key("cred", project, "member"))
        assert raw and '"owner"' in raw
        for token in tokens:
            assert token not in raw
        # sealed (by this installation's key: it opens), whichever watcher's token is held
        assert open_sealed(json.loads(raw)["token"])
        # the worker opens it: the overview poller acts with it and its answer arrives
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message = await next_frame(live, deadline - time.monotonic()) or {}
            if message.get("kind") == "overview":
                break
        assert message.get("kind") == "overview", "no overview from the poller"
    finally:
        await live.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_console_link_goes_to_the_asker_only_and_opens_novnc(
    demo_client, alt_client, demo_sdk, demo_server, celery_worker
):
    server = await asyncio.to_thread(demo_server)
    await asyncio.to_thread(wait_for_status, demo_sdk, server.id, "ACTIVE", 120)
    demo, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    demo_watcher, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    alt, ok, _ = await open_socket(cookie_of(alt_client))
    assert ok
    try:
        await subscribe(demo_watcher, kind="instances")
        await demo.send_json_to({"type": "console", "id": server.id})
        answer = await next_frame(demo, 30)
        assert answer["type"] == "console" and answer["id"] == server.id
        assert answer["url"].startswith("http://127.0.0.1:6080/"), answer
        assert answer["console_type"] == "novnc"
        page = await asyncio.to_thread(lambda: urllib.request.urlopen(answer["url"], timeout=10))  # noqa: S310
        assert page.status == 200
        assert b"noVNC" in page.read()
        # the other socket of the same user heard nothing of it, and alt gets no link to it
        for message in await drain(demo_watcher, 1):
            assert "url" not in message
        await alt.send_json_to({"type": "console", "id": server.id})
        refused = await next_frame(alt, 30)
        assert "url" not in refused and "not found" in refused["error"]
    finally:
        for socket in (demo, demo_watcher, alt):
            await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_poller_stops_when_the_last_watcher_leaves(demo_client, celery_worker):
    project = demo_client.session["keystone"]["project_id"]
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    await subscribe(live, kind="instances")
    deadline = time.monotonic() + 15
    while not state.r().exists(state.key("lock", project, "instances")):
        assert time.monotonic() < deadline, "no poller started"
        await asyncio.sleep(0.2)
    await live.disconnect()
    # other test runs may watch demo's instances too, and their poller rightly runs on: the lock
    # must go within a few ticks of a moment when nobody watches (a socket that vanished without
    # leaving lapses in 15 s), and such a moment must come
    deadline = time.monotonic() + 120
    unwatched_since = None
    while state.r().exists(state.key("lock", project, "instances")):
        now = time.monotonic()
        assert now < deadline, "the instances poller never stopped: others watched for 2 minutes"
        if state.watcher_count(project, "instances"):
            unwatched_since = None
        else:
            unwatched_since = unwatched_since or now
            assert now - unwatched_since < 20, "poller still running 20 s after its last watcher left"
        await asyncio.sleep(0.2)


@pytest.mark.django_db(transaction=True)
async def test_watch_instance_pushes_a_launched_instance_until_active(demo_client, demo_server, celery_worker):
    """What the launch form calls: no poller here (nobody subscribed), only watch_instance."""
    from channels.layers import get_channel_layer

    from dashboard.live import tasks

    credentials = credentials_of(demo_client)
    project = credentials.project_id
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(state.group_name(project, "instances"), listener)
    await asyncio.to_thread(state.offer_credentials, project, "member", listener, credentials)
    try:
        server = await asyncio.to_thread(demo_server)
        await asyncio.to_thread(tasks.watch_instance, project, server.id)  # first step here, the rest in Celery
        statuses = []
        deadline = time.monotonic() + 120
        while "ACTIVE" not in statuses:
            assert time.monotonic() < deadline, statuses
            message = await asyncio.wait_for(layer.receive(listener), timeout=deadline - time.monotonic())
            payload = message["payload"]
            if payload.get("id") == server.id:
                statuses.append(payload["status"])
        assert statuses[0] == "BUILD" and statuses[-1] == "ACTIVE"
    finally:
        await layer.group_discard(state.group_name(project, "instances"), listener)
        await asyncio.to_thread(state.withdraw_credentials, project, "member", listener)


@pytest.mark.django_db(transaction=True)
async def test_logging_out_closes_the_open_socket(demo_client, celery_worker):
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    assert (await subscribe(live, kind="instances"))["type"] == "subscribed"
    response = await asyncio.to_thread(demo_client.post, "/auth/logout/")
    assert response.status_code == 302
    deadline = time.monotonic() + 15
    while True:
        assert time.monotonic() < deadline, "socket still open after logout"
        frame = await next_frame(live, deadline - time.monotonic())
        if frame and frame["type"] == "error":
            assert frame["code"] == "session"
            break
    assert (await live.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4401}


@pytest.mark.django_db(transaction=True)
async def test_volumes_table_hears_a_volume_come_and_go(demo_client, demo_sdk, celery_worker):
    # the volumes panel's list watches this kind
    live, ok, _ = await open_socket(cookie_of(demo_client))
    assert ok
    volume = None
    try:
        assert (await subscribe(live, kind="volumes"))["type"] == "subscribed"
        await poller_listed(demo_client.session["keystone"]["project_id"], "volumes")
        volume = await asyncio.to_thread(demo_sdk.block_storage.create_volume, size=1, name=unique("zt-live-vol"))
        statuses = []
        deadline = time.monotonic() + 90
        while "available" not in statuses:
            assert time.monotonic() < deadline, statuses
            frame = await next_frame(live, deadline - time.monotonic()) or {}
            if frame.get("id") == volume.id:
                assert frame["kind"] == "volumes" and frame["op"] == "upsert"
                statuses.append(frame["status"])
        await asyncio.to_thread(demo_sdk.block_storage.delete_volume, volume)
        deadline = time.monotonic() + 90
        while True:
            assert time.monotonic() < deadline, "no delete for the volume"
            frame = await next_frame(live, deadline - time.monotonic()) or {}
            if frame.get("id") == volume.id and frame.get("op") == "delete":
                break
        volume = None
    finally:
        await live.disconnect()
        if volume is not None:
            await asyncio.to_thread(demo_sdk.block_storage.delete_volume, volume, ignore_missing=True)


@pytest.mark.django_db(transaction=True)
async def test_console_by_post_when_websockets_are_blocked(demo_client, alt_client, demo_sdk, demo_server):
    server = await asyncio.to_thread(demo_server)
    await asyncio.to_thread(wait_for_status, demo_sdk, server.id, "ACTIVE", 120)
    url = f"/live/console/{server.id}/"
    response = await asyncio.to_thread(demo_client.post, url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert response.json()["url"].startswith("http://127.0.0.1:6080/")
    refused = await asyncio.to_thread(alt_client.post, url, HTTP_ACCEPT="application/json")
    assert refused.status_code == 404 and "url" not in refused.json()
    assert "not found" in refused.json()["error"]
    assert (await asyncio.to_thread(demo_client.get, url)).status_code == 405
