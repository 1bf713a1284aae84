"""Live updates: how fast a Nova status change reaches an open websocket, and what it costs.

Runs against the devcloud with a real Redis channel layer and a real Celery worker (started here);
the websocket clients are channels' WebsocketCommunicator driving dashboard.asgi.application
in this process (the same consumer code uvicorn runs), logged in through the real login view.

1. Latency: demo's instance is created, stopped, started, ... while one client watches. For each
   status change we note when openstacksdk (polling the server every 0.2 s) first sees it, and
   Nova's own updated_at, and when the websocket message arrives. Median and worst are printed.
2. Cost: cloud requests made by the instances poller per 1-second interval with 1 and then with
   50 clients watching the project (the poller's own counter, and nova-api's log lines).

Usage: .venv/bin/python bench/live_latency.py [--rounds 2] [--clients 50] [--window 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ.setdefault("DASHBOARD_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
# its own key and Redis prefix (shared with the worker it starts, which inherits the environment)
os.environ.setdefault("DASHBOARD_SECRET_KEY", "zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop")
os.environ.setdefault("DASHBOARD_REDIS_PREFIX", "zenith-bench")
NOVA_LOGS = sorted(Path("/var/lib/devcloud/log").glob("nova-api*.log"))


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def start_worker() -> subprocess.Popen:
    log = ROOT / "var" / "bench-worker.log"
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "dashboard", "worker", "-l", "warning", "-c", "2"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    time.sleep(4)  # the worker prints nothing at -l warning; give it its start-up time
    if worker.poll() is not None:
        sys.exit(f"Celery worker failed to start, see {log}")
    return worker


def login(user: str):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    response = client.post("/auth/login/", {"username": user, "password": user})
    assert response.status_code == 302, response.content[:300]
    stored = client.session["keystone"]
    if stored["project_name"] != user:
        project = next(p["id"] for p in stored["projects"] if p["name"] == user)
        client.post("/auth/switch/", {"project_id": project, "next": "/project/"})
    return client


async def open_socket(session_key: str):
    from channels.testing import WebsocketCommunicator

    from dashboard.asgi import application

    socket = WebsocketCommunicator(
        application,
        "/ws/live/",
        headers=[
            (b"origin", b"http://127.0.0.1"),
            (b"host", b"127.0.0.1"),
            (b"cookie", f"zenith_session={session_key}".encode()),
        ],
    )
    connected, _ = await socket.connect(timeout=10)
    assert connected, "websocket refused"
    await socket.send_json_to({"type": "subscribe", "kind": "instances"})
    answer = await socket.receive_json_from(timeout=10)
    assert answer["type"] == "subscribed", answer
    return socket


class SdkWatcher(threading.Thread):
    """Polls one server with openstacksdk every 0.2 s; notes when each new status first shows."""

    def __init__(self, conn, server_id):
        super().__init__(daemon=True)
        self.conn, self.server_id = conn, server_id
        self.seen: list[tuple[str, float, str]] = []  # (status, monotonic time, updated_at)
        self.stop = threading.Event()

    def run(self):
        last = None
        while not self.stop.is_set():
            try:
                server = self.conn.compute.get(f"/servers/{self.server_id}").json()["server"]
                status, updated = server["status"], server["updated"]
            except Exception as exc:  # noqa: BLE001 - deleted: the DELETED status is seen by the poller
                if not isinstance(exc, KeyError):  # a 404 body has no "server"
                    print("sdk watcher:", type(exc).__name__, exc, file=sys.stderr)
                status, updated = "DELETED", ""
            if status != last:
                self.seen.append((status, time.monotonic(), updated))
                last = status
            time.sleep(0.2)


def wall_to_monotonic(iso: str) -> float:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    return time.monotonic() - (time.time() - moment)


async def latency(conn, session_key: str, rounds: int) -> tuple[list[float], list[float]]:
    from tests.conftest import unique

    socket = await open_socket(session_key)
    received: dict[tuple[str, str], float] = {}

    async def listen():
        while True:
            message = await socket.receive_json_from(timeout=600)
            if message.get("type") == "change" and message.get("kind") == "instances":
                received.setdefault((message["id"], message["status"], len(received)), time.monotonic())

    def arrivals(server_id: str, status: str, since: float) -> list[float]:
        return [t for k, t in received.items() if k[0] == server_id and k[1] == status and t >= since]

    def sightings(watcher, status: str, since: float) -> list[tuple]:
        return [s for s in watcher.seen if s[0] == status and s[1] >= since]

    listener = asyncio.ensure_future(listen())
    vs_sdk, vs_updated = [], []
    created = []
    image = conn.image.find_image("demo-image")
    flavor = conn.compute.find_flavor("m1.tiny")
    network = conn.network.find_network("private")
    try:
        for _ in range(rounds):
            server = await asyncio.to_thread(
                conn.compute.create_server,
                name=unique("bench-live"),
                image_id=image.id,
                flavor_id=flavor.id,
                networks=[{"uuid": network.id}],
            )
            created.append(server)
            watcher = SdkWatcher(conn, server.id)
            watcher.start()
            steps = [("ACTIVE", None), ("SHUTOFF", conn.compute.stop_server), ("ACTIVE", conn.compute.start_server)]
            steps += [("SHUTOFF", conn.compute.stop_server), ("ACTIVE", conn.compute.start_server)]
            steps += [("DELETED", conn.compute.delete_server)]
            for wanted, action in steps:
                step_started = time.monotonic()
                if action:
                    await asyncio.to_thread(action, server)
                deadline = time.monotonic() + 120
                while not arrivals(server.id, wanted, step_started) or not sightings(watcher, wanted, step_started):
                    if time.monotonic() > deadline:
                        got = [k[1] for k in received if k[0] == server.id]
                        raise SystemExit(
                            f"{server.id} never reached {wanted}: sdk saw {[x[0] for x in watcher.seen]}, "
                            f"websocket got {got}"
                        )
                    await asyncio.sleep(0.05)
                arrived = min(arrivals(server.id, wanted, step_started))
                _, sdk_time, updated = sightings(watcher, wanted, step_started)[0]
                vs_sdk.append(arrived - sdk_time)
                if updated:
                    vs_updated.append(arrived - wall_to_monotonic(updated))
                await asyncio.sleep(1.5)
            watcher.stop.set()
    finally:
        listener.cancel()
        await socket.disconnect()
        for server in created:  # the last step deletes them; this is for a run that failed midway
            await asyncio.to_thread(conn.compute.delete_server, server, ignore_missing=True)
    return vs_sdk, vs_updated


def nova_list_lines(project_id: str) -> int:
    """nova-api's request log lines for the changes-since lists made in the project's name."""
    count = 0
    for path in NOVA_LOGS:
        for line in path.read_text(errors="replace").splitlines():
            if "requestlog" in line and project_id in line and '"GET /v2.1/servers/detail?changes-since=' in line:
                count += 1
    return count


async def cost(session_key: str, project_id: str, clients: int, window: float) -> tuple[float, float]:
    from dashboard.live import state

    sockets = [await open_socket(session_key) for _ in range(clients)]
    try:
        await asyncio.sleep(3)  # the poller is up and past its first tick
        before, log_before, started = (
            state.request_count(project_id, "instances"),
            nova_list_lines(project_id),
            time.monotonic(),
        )
        await asyncio.sleep(window)
        elapsed = time.monotonic() - started
        counted = state.request_count(project_id, "instances") - before
        logged = nova_list_lines(project_id) - log_before
    finally:
        for socket in sockets:
            await socket.disconnect()
    return counted / elapsed, logged / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2, help="instances created (6 status changes each)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--window", type=float, default=20, help="seconds to count requests")
    args = parser.parse_args()

    setup_django()
    from tests.conftest import sdk

    worker = start_worker()
    try:
        client = login("demo")
        key = client.cookies["zenith_session"].value
        project_id = client.session["keystone"]["project_id"]
        conn = sdk("demo")

        vs_sdk, vs_updated = asyncio.run(latency(conn, key, args.rounds))
        print(f"latency, status change -> websocket message ({len(vs_sdk)} changes):")
        print(f"  after openstacksdk saw it: median {statistics.median(vs_sdk):.2f} s, worst {max(vs_sdk):.2f} s")
        if vs_updated:
            print(
                f"  after Nova's updated_at (1 s resolution): median {statistics.median(vs_updated):.2f} s, "
                f"worst {max(vs_updated):.2f} s"
            )

        one = asyncio.run(cost(key, project_id, 1, args.window))
        many = asyncio.run(cost(key, project_id, args.clients, args.window))
        print("cloud requests per second by the instances poller (its counter / nova-api log lines):")
        print(f"  1 client:  {one[0]:.2f} / {one[1]:.2f}")
        print(f"  {args.clients} clients: {many[0]:.2f} / {many[1]:.2f}")
        ok_latency = statistics.median(vs_sdk) < 2
        ok_cost = many[0] <= one[0] * 1.1 + 0.1
        print(
            f"target median < 2 s: {'met' if ok_latency else 'MISSED'}; {args.clients} clients cost no more than 1: "
            f"{'met' if ok_cost else 'MISSED'}"
        )
        return 0 if ok_latency and ok_cost else 1
    finally:
        worker.terminate()
        worker.wait(timeout=15)


if __name__ == "__main__":
    sys.exit(main())
