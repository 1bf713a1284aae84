"""Upload throughput and memory: a file through Zenith's streamed upload route vs a direct
openstacksdk upload to Glance, in the same run; Zenith's peak RSS during the upload.

Starts Zenith as `make run` does (uvicorn, tools/serve.sh: it hands request bodies to the app as
they arrive), logs in as demo, creates an image through the upload form's POST and PUTs the file to the upload address
(as the page's script does), then uploads the same file with openstacksdk straight to Glance.
While Zenith uploads, its RSS is sampled every 50 ms and its open files are watched for a
temporary file. Both images are deleted afterwards.

Targets: throughput >= 80 % of direct; RSS growth < 50 MB; no temporary file.

Usage: .venv/bin/python bench/upload.py [--size-mib 1024] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import openstack
import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
KEYSTONE = os.environ.get("DASHBOARD_KEYSTONE_URL", "http://127.0.0.1:5000/v3")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_zenith(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DASHBOARD_SECRET_KEY": secrets.token_urlsafe(50),
        "DASHBOARD_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DASHBOARD_REDIS_PREFIX": os.environ.get("DASHBOARD_REDIS_PREFIX", "zenith-bench-upload"),
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DASHBOARD_HOST": "127.0.0.1",
        "DASHBOARD_PORT": str(port),
        "ZENITH_PYTHON": sys.executable,
    }
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    log = (workdir / "uvicorn.log").open("w")
    cmd = [str(ROOT / "tools" / "serve.sh"), "--no-access-log"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(url + "/healthz", timeout=5)
            return proc, url
        except (requests.ConnectionError, requests.Timeout):
            if proc.poll() is not None:
                sys.exit(f"Zenith exited at start; see {workdir / 'uvicorn.log'}")
            time.sleep(0.1)
    sys.exit(f"Zenith did not answer on {url}")


def login(url: str) -> requests.Session:
    s = requests.Session()
    s.get(url + "/auth/login/")
    r = s.post(
        url + "/auth/login/",
        data={"username": "demo", "password": "demo", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": url + "/auth/login/"},
    )
    r.raise_for_status()
    return s


class Sampler(threading.Thread):
    """Peak RSS of a process (and its children) and the largest temporary file it holds open."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.largest_tmp = 0
        self.running = True

    def cpu(self) -> float:
        times = self.proc.cpu_times()
        return times.user + times.system

    def rss(self) -> int:
        procs = [self.proc, *self.proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs if p.is_running())

    def run(self):
        tmp = tempfile.gettempdir()
        while self.running:
            self.peak = max(self.peak, self.rss())
            for f in self.proc.open_files():
                if f.path.startswith(tmp) or "(deleted)" in f.path:
                    try:
                        self.largest_tmp = max(self.largest_tmp, os.stat(f"/proc/{self.proc.pid}/fd/{f.fd}").st_size)
                    except OSError:
                        pass
            time.sleep(0.05)


def through_zenith(url: str, path: Path, size: int, pid: int) -> dict:
    s = login(url)
    s.get(url + "/project/images/create/")
    csrf = s.cookies["csrftoken"]
    form = {"name": f"bench-upload-{secrets.token_hex(3)}", "disk_format": "raw", "container_format": "bare"}
    form.update(min_disk=0, min_ram=0, visibility="private", size=size)
    r = s.post(url + "/project/images/create/", data=form, headers={"X-CSRFToken": csrf, "Accept": "application/json"})
    r.raise_for_status()
    made = r.json()
    sampler = Sampler(pid)
    before = sampler.rss()
    sampler.start()
    started, cpu = time.monotonic(), sampler.cpu()
    with path.open("rb") as f:
        r = s.put(url + made["upload_url"], data=f, headers={"X-CSRFToken": csrf, "Content-Length": str(size)})
    took = time.monotonic() - started
    cpu = sampler.cpu() - cpu
    sampler.running = False
    sampler.join()
    answer = r.json()
    # deleted through Zenith: the image is in the project the login landed in (demo's last used)
    s.delete(url + f"/api/v1/images/{made['image_id']}/", headers={"X-CSRFToken": csrf}).raise_for_status()
    return {
        "status": r.status_code,
        "answer": answer,
        "seconds": took,
        "mib_s": size / took / 2**20,
        "cpu_seconds": cpu,
        "rss_before_mb": before / 1e6,
        "rss_peak_mb": sampler.peak / 1e6,
        "rss_growth_mb": (sampler.peak - before) / 1e6,
        "largest_temp_file_mb": sampler.largest_tmp / 1e6,
        "image_id": made["image_id"],
    }


def direct(path: Path, size: int) -> dict:
    conn = openstack.connect(
        auth_url=KEYSTONE, username="demo", password="demo", project_name="demo",
        user_domain_name="Default", project_domain_name="Default", identity_api_version="3",
    )  # fmt: skip
    image = conn.image.create_image(
        name=f"bench-direct-{secrets.token_hex(3)}", disk_format="raw", container_format="bare"
    )
    started = time.monotonic()
    with path.open("rb") as f:
        r = conn.image.put(
            f"/images/{image.id}/file",
            data=f,
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
        )
    took = time.monotonic() - started
    return {"status": r.status_code, "seconds": took, "mib_s": size / took / 2**20, "image_id": image.id, "conn": conn}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    size = args.size_mib * 2**20
    with tempfile.TemporaryDirectory(prefix="zenith-bench-upload-") as tmp:
        work = Path(tmp)
        path = work / "disk.raw"
        with path.open("wb") as f:  # real bytes (not a sparse file), so both sides read the disk alike
            block = os.urandom(2**20)
            for _ in range(args.size_mib):
                f.write(block)
        proc, url = start_zenith(work)
        zen = dr = None
        try:
            zen = through_zenith(url, path, size, proc.pid)
            dr = direct(path, size)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            conn = dr["conn"] if dr else None
            if conn is None:
                conn = openstack.connect(
                    auth_url=KEYSTONE, username="demo", password="demo", project_name="demo",
                    user_domain_name="Default", project_domain_name="Default", identity_api_version="3",
                )  # fmt: skip
            if dr and dr.get("image_id"):
                conn.image.delete_image(dr["image_id"], ignore_missing=True)
    dr.pop("conn")
    ratio = zen["mib_s"] / dr["mib_s"] if dr["mib_s"] else 0
    ok = zen["status"] == 200 and ratio >= 0.8 and zen["rss_growth_mb"] < 50 and zen["largest_temp_file_mb"] < 1
    result = {"size_mib": args.size_mib, "zenith": zen, "direct": dr, "ratio": ratio, "ok": ok}
    print(f"upload of {args.size_mib} MiB (uvicorn):")
    print(f"  through Zenith  {zen['mib_s']:8.1f} MiB/s  ({zen['seconds']:.1f} s, HTTP {zen['status']})")
    print(f"  direct (SDK)    {dr['mib_s']:8.1f} MiB/s  ({dr['seconds']:.1f} s)")
    print(f"  ratio           {ratio * 100:8.1f} %   (target >= 80 %)")
    growth = f"+{zen['rss_growth_mb']:.0f} MB, target < 50"
    print(f"  Zenith RSS      {zen['rss_before_mb']:.0f} MB -> peak {zen['rss_peak_mb']:.0f} MB ({growth})")
    print(f"  temporary file  {zen['largest_temp_file_mb']:.0f} MB at most (target: none)")
    share = zen["cpu_seconds"] / zen["seconds"] * 100
    load = os.getloadavg()[0]
    print(f"  Zenith's CPU    {zen['cpu_seconds']:.1f} s ({share:.0f} % of one core); load average {load:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
