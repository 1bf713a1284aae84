"""Object storage transfers through Zenith against openstacksdk straight to Swift (issue 16).

A real Zenith (uvicorn, tools/serve.sh, as `make demo` runs it) on a free port, logged in as demo. One object of
--size-mb (default 1024: a 1 GiB object) of random-looking bytes generated as it is sent:
- upload through Zenith's streamed upload route (POST the container's upload/ page for the
  address, then PUT the bytes to /uploads/containers/<id>/), then download it through the
  object's download page; both timed, the download's SHA-256 compared with the upload's;
- the same upload and download with openstacksdk straight to Swift (one PUT with a streamed body,
  one streamed GET), as the floor;
- Zenith's peak resident memory (sampled every 0.2 s, and VmHWM) over the run, against its size at
  the start: streaming keeps it flat whatever the object's size.
Everything is made in a throwaway container, deleted at the end. Prints one table and the targets:
memory growth under 50 MB, each way through Zenith at least 80 % of the direct rate (exit status 1
when one is missed).

Usage: .venv/bin/python bench/object_transfer.py [--size-mb 1024] [--segment-mb 1024]
(--segment-mb sets DASHBOARD_OBJECT_SEGMENT_BYTES for Zenith: smaller than --size-mb, the upload
is stored as a static large object of streamed segments.)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import openstack
import requests

ROOT = Path(__file__).resolve().parents[1]
KEYSTONE = os.environ.get("DASHBOARD_KEYSTONE_URL", "http://127.0.0.1:5000/v3")
BLOCK = 1024 * 1024


def stream(size: int, digest):
    """`size` bytes in 1 MiB blocks, hashed as they go (a cheap varying pattern, not kept)."""
    seed = os.urandom(BLOCK)
    sent = 0
    n = 0
    while sent < size:
        block = seed[n % 997 :] + seed[: n % 997]
        block = block[: min(BLOCK, size - sent)]
        digest.update(block)
        sent += len(block)
        n += 1
        yield block


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_kib(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", text)[1])


def rss_kib(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text)[1])


def start_zenith(port: int, segment_mb: int, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DASHBOARD_SECRET_KEY=os.environ.get("DASHBOARD_SECRET_KEY", "zenith-bench-only-key-not-secret-0123456789-abc"),
        DASHBOARD_REDIS_PREFIX=os.environ.get("DASHBOARD_REDIS_PREFIX", "zenith-bench-transfer"),
        DASHBOARD_DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'bench-transfer.sqlite3'}",
        DASHBOARD_OBJECT_SEGMENT_BYTES=str(segment_mb * BLOCK),
        DASHBOARD_LOGIN_ATTEMPTS="1000",
        DASHBOARD_LOGIN_ATTEMPTS_PER_USER="1000",
        DASHBOARD_HOST="127.0.0.1",
        DASHBOARD_PORT=str(port),
        ZENITH_PYTHON=sys.executable,
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(ROOT / "tools" / "serve.sh"), "--no-access-log"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"Zenith did not start; see {log}")


def login(base: str, project_id: str) -> requests.Session:
    web = requests.Session()
    page = web.get(f"{base}/auth/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    web.post(f"{base}/auth/login/", {"username": "demo", "password": "demo", "csrfmiddlewaretoken": token}, timeout=60)
    token = web.cookies["csrftoken"]
    web.post(f"{base}/auth/switch/", {"project_id": project_id, "csrfmiddlewaretoken": token}, timeout=60)
    return web


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--segment-mb", type=int, default=1024)
    args = parser.parse_args()
    size = args.size_mb * BLOCK
    conn = openstack.connect(
        auth_url=KEYSTONE,
        username="demo",
        password="demo",
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
        identity_api_version="3",
    )
    store = conn.object_store
    container = f"zt-transfer-{uuid.uuid4().hex[:8]}"
    store.put(f"/{container}").raise_for_status()
    (ROOT / "var").mkdir(exist_ok=True)
    log = ROOT / "var" / "bench-transfer-uvicorn.log"
    port = free_port()
    server = start_zenith(port, args.segment_mb, log)
    base = f"http://127.0.0.1:{port}"
    rows = []
    peak = {"kib": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                peak["kib"] = max(peak["kib"], rss_kib(server.pid))
            except (OSError, TypeError):
                return
            time.sleep(0.2)

    try:
        web = login(base, conn.current_project_id)
        start_rss = rss_kib(server.pid)
        threading.Thread(target=sample, daemon=True).start()
        csrf = {"X-CSRFToken": web.cookies["csrftoken"]}
        made = web.post(
            f"{base}/project/containers/c/{container}/upload/",
            {"folder": "", "name": "big.bin", "size": size},
            headers={**csrf, "Accept": "application/json", "Referer": base + "/"},
            timeout=60,
        )
        made.raise_for_status()
        url = made.json()["uploads"][0]["upload_url"]
        sent = hashlib.sha256()
        started, cpu = time.monotonic(), cpu_seconds(server.pid)
        answer = web.put(base + url, data=stream(size, sent), headers=csrf, timeout=3600)
        up = time.monotonic() - started
        cpu_up = cpu_seconds(server.pid) - cpu
        assert answer.status_code == 200, (answer.status_code, answer.text)
        got = hashlib.sha256()
        started, cpu = time.monotonic(), cpu_seconds(server.pid)
        with web.get(
            f"{base}/project/containers/c/{container}/object/download/",
            params={"name": "big.bin"},
            stream=True,
            timeout=3600,
        ) as response:
            response.raise_for_status()
            for chunk in response.iter_content(BLOCK):
                got.update(chunk)
        down = time.monotonic() - started
        cpu_down = cpu_seconds(server.pid) - cpu
        assert got.digest() == sent.digest(), "the download differs from the upload"
        large = store.head(f"/{container}/big.bin").headers.get("X-Static-Large-Object") == "True"
        rows.append(("Zenith", up, down, "SLO" if large else "one object"))

        direct = hashlib.sha256()
        started = time.monotonic()
        store.put(f"/{container}/direct.bin", data=stream(size, direct)).raise_for_status()
        up = time.monotonic() - started
        back = hashlib.sha256()
        started = time.monotonic()
        response = store.get(f"/{container}/direct.bin", stream=True)
        for chunk in response.iter_content(BLOCK):
            back.update(chunk)
        down = time.monotonic() - started
        assert back.digest() == direct.digest()
        rows.append(("openstacksdk direct", up, down, "one object"))
        stop.set()
        hwm = peak_kib(server.pid)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=15)
        for seg_container in (container, f"{container}_segments"):
            listing = store.get(f"/{seg_container}", params={"format": "json"})
            if listing.status_code == 200:
                for row in listing.json():
                    # a manifest with its segments; Swift answers 200 for a plain object too, and
                    # leaves it (the body says "Not an SLO manifest"): a plain DELETE for those
                    store.delete(f"/{seg_container}/{row['name']}", params={"multipart-manifest": "delete"})
                    store.delete(f"/{seg_container}/{row['name']}")
                # Swift may still count the objects just deleted (its container updates can lag
                # under load) and answer 409 "not empty" for a while: seen once on 2026-12-02
                deadline = time.monotonic() + 60
                while store.delete(f"/{seg_container}").status_code == 409 and time.monotonic() < deadline:
                    time.sleep(2)
    mib = size / BLOCK
    print(f"object of {mib:.0f} MiB; Zenith's segment size {args.segment_mb} MiB")
    print(f"{'path':22} {'upload s':>9} {'MiB/s':>7} {'download s':>11} {'MiB/s':>7}  stored as")
    for name, up, down, kind in rows:
        print(f"{name:22} {up:9.1f} {mib / up:7.1f} {down:11.1f} {mib / down:7.1f}  {kind}")
    print(
        f"Zenith's CPU: {cpu_up:.1f} s for the upload ({cpu_up / rows[0][1] * 100:.0f} % of one core), "
        f"{cpu_down:.1f} s for the download ({cpu_down / rows[0][2] * 100:.0f} %); "
        f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    growth = (max(peak["kib"], hwm) - start_rss) / 1024
    print(
        f"Zenith (uvicorn) resident memory: {start_rss / 1024:.0f} MiB at the start, "
        f"{peak['kib'] / 1024:.0f} MiB at most while transferring (VmHWM {hwm / 1024:.0f} MiB): +{growth:.0f} MiB"
    )
    (_, z_up, z_down, _), (_, d_up, d_down, _) = rows
    targets = [
        (f"memory growth +{growth:.0f} MiB under 50 MB", growth * 2**20 < 50e6),
        (f"upload through Zenith {d_up / z_up * 100:.0f} % of direct, at least 80 %", d_up / z_up >= 0.8),
        (f"download through Zenith {d_down / z_down * 100:.0f} % of direct, at least 80 %", d_down / z_down >= 0.8),
    ]
    for what, met in targets:
        print(f"  {what}: {'met' if met else 'MISSED'}")
    return 0 if all(met for _, met in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
