"""Browser tests: a real Zenith (uvicorn, tools/serve.sh, + a Celery worker) on a free port, driven by
headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import ARTIFACTS, ROOT, wait_for
from tests.settings import TEST_SECRET_KEY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    def answers() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"Zenith exited at start; see {log}:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return True
        except OSError:
            return False

    wait_for(answers, f"Zenith to answer on {url} (see {log})", timeout, every=0.3)


@pytest.fixture(scope="session")
def zenith_url(devcloud):
    """Zenith served by uvicorn exactly as `make demo` runs it (tools/serve.sh), plus a Celery worker."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DASHBOARD_SECRET_KEY=os.environ.get("DASHBOARD_SECRET_KEY") or TEST_SECRET_KEY,
        # its own queues: no other worker takes its tasks (nor another checkout's, run with its own prefix)
        DASHBOARD_REDIS_PREFIX=os.environ.get("DASHBOARD_REDIS_PREFIX", "zenith-test") + "-browser",
        DASHBOARD_DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'browser-tests.sqlite3'}",
        DASHBOARD_ALLOWED_HOSTS="127.0.0.1,localhost",
        DASHBOARD_LOGIN_ATTEMPTS="1000",
        DASHBOARD_LOGIN_ATTEMPTS_PER_USER="1000",
        DASHBOARD_CONSOLE_TYPES="novnc,spice-html5",  # the devcloud's, as make demo says them
        PYTHONUNBUFFERED="1",  # logs reach the files at once (tests read them)
        DASHBOARD_HOST="127.0.0.1",
        DASHBOARD_PORT=str(port),
        ZENITH_PYTHON=sys.executable,
    )
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    server_log = ARTIFACTS / "zenith.log"
    worker_log = ARTIFACTS / "worker.log"
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(ROOT / "tools" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=server_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "dashboard", "worker", "-l", "info", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(url + "/healthz", server, server_log)
        yield url
    finally:
        for proc in (server, worker):
            proc.terminate()
        for proc in (server, worker):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, zenith_url, request):
    context = chromium.new_context(base_url=zenith_url, viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
