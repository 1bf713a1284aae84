"""A graceful stop, end to end: a real uvicorn (tools/serve.sh, as `make run` and production run it)
on a free port, logged in as demo against the devcloud, is sent SIGTERM while it holds

- a response in flight (an object download the client has read only the start of),
- a websocket subscribed to live updates,
- two streamed uploads half sent (an image to Glance; an object to Swift, two of its segments
  stored), their clients still connected;

and then: the uploads are stopped at once (503, "restarting") with their image deleted and their
segments removed, the websocket is closed with 1012 (live.js reconnects on it), no new request is
answered (the balancer's health check fails), the download still completes whole with 200, and
the process exits well within the graceful-stop bound (DASHBOARD_SHUTDOWN_SECONDS)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
import redis
import requests
from openstack import exceptions as sdk_exc
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.helpers import ARTIFACTS, ROOT, wait_for
from tests.settings import TEST_SECRET_KEY

MIB = 1024 * 1024
GRACE = 20  # DASHBOARD_SHUTDOWN_SECONDS given to the server
DOWNLOAD = 32 * MIB  # more than socket buffers hold: the answer is still being sent at SIGTERM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_check_fails(port: int) -> bool:
    """The balancer's check gets no answer: the connection is refused (one process has closed its
    socket) or left unanswered (uvicorn's supervisor holds the socket of its workers until they
    have all stopped)."""
    try:
        return not requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok
    except requests.RequestException:
        return True


@pytest.fixture(params=[1, 2], ids=["one process", "uvicorn --workers 2"])
def server(devcloud, tmp_path, request):
    """Zenith under uvicorn as tools/serve.sh runs it (one process, or two under uvicorn's
    supervisor, which passes SIGTERM on to them), with its own Redis prefix and database;
    segments of 1 MiB so a few MiB make a large object. Yields (port, process, log path)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    prefix = f"zenith-test-uvi-stop-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DASHBOARD_SECRET_KEY=os.environ.get("DASHBOARD_SECRET_KEY") or TEST_SECRET_KEY,
        DASHBOARD_REDIS_PREFIX=prefix,
        DASHBOARD_DATABASE_URL=f"sqlite:///{tmp_path / 'stop.sqlite3'}",
        DASHBOARD_ALLOWED_HOSTS="127.0.0.1",
        DASHBOARD_OBJECT_SEGMENT_BYTES=str(MIB),
        DASHBOARD_UPLOAD_IDLE_SECONDS="300",  # the stalled clients are not given up for idleness
        DASHBOARD_LOGIN_ATTEMPTS="1000",
        DASHBOARD_LOGIN_ATTEMPTS_PER_USER="1000",
        DASHBOARD_HOST="127.0.0.1",
        DASHBOARD_PORT=str(port),
        DASHBOARD_SHUTDOWN_SECONDS=str(GRACE),
        DASHBOARD_WORKERS=str(request.param),
        ZENITH_PYTHON=sys.executable,
        PYTHONUNBUFFERED="1",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    log = ARTIFACTS / f"graceful-stop-{request.param}.log"
    proc = subprocess.Popen(
        [str(ROOT / "tools" / "serve.sh")], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )

    def up():
        if proc.poll() is not None:
            pytest.fail(f"Zenith exited at start; see {log}:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok
        except requests.RequestException:
            return False

    try:
        wait_for(up, f"Zenith on :{port}", timeout=60, every=0.3)
        yield port, proc, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        client = redis.Redis.from_url(os.environ.get("DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/0"))
        keys = list(client.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def _login(base: str, project_id: str) -> requests.Session:
    web = requests.Session()
    page = web.get(f"{base}/auth/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = web.post(
        f"{base}/auth/login/",
        {"username": "demo", "password": "demo", "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.text[:500]
    switched = web.post(
        f"{base}/auth/switch/",
        {"project_id": project_id, "csrfmiddlewaretoken": web.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    assert switched.status_code == 302
    return web


def _cookies(web: requests.Session) -> str:
    return f"zenith_session={web.cookies['zenith_session']}; csrftoken={web.cookies['csrftoken']}"


def _start_put(port: int, web: requests.Session, url: str, data: bytes, send: int) -> http.client.HTTPConnection:
    """A PUT of `data` to an upload address that sends its first `send` bytes, then nothing more
    without going away (as a browser whose upload is under way)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("PUT", url)
    conn.putheader("Cookie", _cookies(web))
    conn.putheader("X-CSRFToken", web.cookies["csrftoken"])
    conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    conn.send(data[:send])
    return conn


def _listing(store, container: str) -> list[dict]:
    answer = store.get(f"/{quote(container)}", params={"format": "json"})
    return [] if answer.status_code == 404 else answer.json()


def _drop(store, container: str) -> None:
    for c in (container, f"{container}_segments"):
        for row in _listing(store, c):
            store.delete(
                f"/{quote(c)}/{quote(row['name'])}",
                params={"multipart-manifest": "delete"} if "slo_etag" in row else None,
            )
        store.delete(f"/{quote(c)}")


def _image_gone(images, image_id: str) -> bool:
    try:
        return images.get_image(image_id).status == "deleted"
    except sdk_exc.NotFoundException:
        return True


@pytest.fixture
def sockets():
    with contextlib.ExitStack() as stack:
        yield stack


def test_sigterm_finishes_requests_closes_sockets_with_1012_and_cleans_up_uploads(server, demo_sdk, cleanup, sockets):
    port, proc, log = server
    base = f"http://127.0.0.1:{port}"
    store = demo_sdk.object_store
    container = f"uvi-stop-{uuid.uuid4().hex[:8]}"
    assert store.put(f"/{container}").status_code == 201
    cleanup.add(_drop, store, container)
    download = os.urandom(DOWNLOAD)
    assert store.put(f"/{container}/download.bin", data=download).status_code == 201
    web = _login(base, demo_sdk.current_project_id)
    csrf = {"X-CSRFToken": web.cookies["csrftoken"], "Accept": "application/json"}

    # (a) a response in flight: the download's first MiB read, the rest still to come
    reading = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    reading.request(
        "GET",
        f"/project/containers/c/{container}/object/download/?name=download.bin",
        headers={"Cookie": _cookies(web)},
    )
    downloaded = reading.getresponse()
    assert downloaded.status == 200
    head = downloaded.read(MIB)

    # (b) a websocket subscribed to live updates
    ws = sockets.enter_context(
        connect(f"ws://127.0.0.1:{port}/ws/live/", origin=base, additional_headers={"Cookie": _cookies(web)})
    )
    ws.send(json.dumps({"type": "subscribe", "kind": "instances"}))
    wait_for(lambda: json.loads(ws.recv(timeout=10)).get("type") == "subscribed", "the subscription", 30, every=0)

    # (c) two uploads half sent: an image to Glance, an object to Swift (two 1 MiB segments stored)
    form = {"name": f"uvi-stop-{uuid.uuid4().hex[:6]}", "disk_format": "raw", "container_format": "bare"}
    form.update(min_disk=0, min_ram=0, visibility="private", size=8 * MIB)
    made = web.post(f"{base}/project/images/create/", data=form, headers=csrf, timeout=60)
    image = made.json()
    cleanup.delete("image", image["image_id"], conn=demo_sdk)
    assert made.status_code == 201, made.text[:500]
    image_put = _start_put(port, web, image["upload_url"], os.urandom(8 * MIB), send=3 * MIB)
    prepared = web.post(
        f"{base}/project/containers/c/{container}/upload/",
        {"folder": "", "name": "big.bin", "size": 4 * MIB},
        headers=csrf,
        timeout=60,
    )
    assert prepared.status_code == 201, prepared.text[:500]
    object_put = _start_put(
        port, web, prepared.json()["uploads"][0]["upload_url"], os.urandom(4 * MIB), send=2 * MIB + MIB // 2
    )
    wait_for(lambda: len(_listing(store, f"{container}_segments")) == 2, "two segments stored", 60, every=0.3)
    wait_for(lambda: demo_sdk.image.get_image(image["image_id"]).status == "saving", "Glance saving", 60, every=0.3)

    proc.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()

    # the websocket: closed by the server with 1012 (service restart), which live.js reconnects on
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
    # the uploads: stopped at once, not at the end of the grace period, and answered
    for put in (image_put, object_put):
        put.sock.settimeout(GRACE / 2)
        answer = put.getresponse()
        assert answer.status == 503, answer.read()[:500]
        assert answer.getheader("Retry-After") == "5"
        body = json.loads(answer.read())
        assert body["error"] == "unavailable" and "restarting" in body["message"], body
    # nothing half-written is left: the image deleted, no object and no segment in Swift
    assert _image_gone(demo_sdk.image, image["image_id"])
    assert store.head(f"/{container}/big.bin").status_code == 404
    assert _listing(store, f"{container}_segments") == []
    # still running for the answer in flight, but answering no new request (the balancer's check fails)
    assert proc.poll() is None, "the server exited with a response still in flight"
    wait_for(lambda: _health_check_fails(port), "the health check to fail", 10, every=0.2)
    # the answer in flight completes, whole
    rest = downloaded.read()
    assert hashlib.sha256(head + rest).digest() == hashlib.sha256(download).digest()
    # and the process is gone within the bound
    proc.wait(timeout=GRACE)
    took = time.monotonic() - stopped_at
    assert took < GRACE, f"the stop took {took:.1f} s (bound {GRACE} s)"
    assert proc.returncode in (0, -signal.SIGTERM), proc.returncode
    text = log.read_text()
    # by the process (or processes) that held them
    assert sum(int(n) for n in re.findall(r"stopping: (\d+) streamed upload\(s\) stopped", text)) == 2
    assert "Traceback" not in text and "timeout graceful shutdown exceeded" not in text
