"""Time to a usable page in a real browser, and the bytes a page loads.

Starts Zenith the way the browser tests do (tests/browser/conftest.py: daphne on a free port plus a
Celery worker, migrations and collectstatic first; here with their own SQLite file and Redis
database, so they share no state with other runs), then drives Debian's headless Chromium through
Playwright: logs in as demo through the form, works in project demo (--project), and for the
instances list and the launch form measures

- time to usable: navigation start -> DOMContentLoaded done (the page's scripts have run) and the
  key element (the table, the form) visible; read in the page (performance.now() on the first
  animation frame where both hold, so up to one frame late); median of 5, with an empty cache (a
  new browser context holding only the login cookies) and with a warm one (the same context again);
- the bytes it loads (decoded response bodies, from page.on("response"), cold cache) by resource
  type: HTML, JavaScript, CSS, and the rest; and for the instances list the HTML bytes per row shown.

No target: the numbers are printed (and saved with --json FILE) to watch them as pages change.

Usage: .venv/bin/python bench/browser_pages.py [--project demo] [--runs 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Redis database of this benchmark's server and worker (the demo and the tests use 0)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PAGES = [
    ("instances", "/project/instances/", "#instances-table"),
    ("launch", "/project/instances/launch/", "#launch-form"),
]
TYPES = {"document": "html", "script": "js", "stylesheet": "css"}

# performance.now() (ms since navigation start) at the first frame where DOMContentLoaded is done
# and the element is visible
USABLE = """sel => {
  const nav = performance.getEntriesByType('navigation')[0];
  if (!nav || !nav.domContentLoadedEventEnd) return false;
  const el = document.querySelector(sel);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (box.width <= 0 || box.height <= 0 || style.visibility === 'hidden' || style.display === 'none') return false;
  return performance.now();
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_zenith() -> tuple[str, list[subprocess.Popen], Path]:
    """daphne + a Celery worker as tests/browser/conftest.py starts them; returns (url, processes, log dir)."""
    logs = ROOT / "var" / "bench-browser"
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DASHBOARD_DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'bench-browser.sqlite3'}",
        DASHBOARD_REDIS_URL=REDIS_URL,
        DASHBOARD_ALLOWED_HOSTS="127.0.0.1,localhost",
        DASHBOARD_LOGIN_ATTEMPTS="1000",
        DASHBOARD_LOGIN_ATTEMPTS_PER_USER="1000",
        DASHBOARD_SECRET_KEY="zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop",
        DASHBOARD_REDIS_PREFIX="zenith-bench-browser",
        PYTHONUNBUFFERED="1",
    )
    if not (ROOT / "dashboard" / "static" / "vendor").is_dir():
        sys.exit("dashboard/static/vendor is missing: run `make assets` first")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "daphne"), "-b", "127.0.0.1", "-p", str(port), "dashboard.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=(logs / "daphne.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "dashboard", "worker", "-l", "warning", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            stop([server, worker])
            sys.exit(f"daphne exited at start; see {logs / 'daphne.log'}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 - our own local server
                break
        except OSError:
            if time.monotonic() > deadline:
                stop([server, worker])
                sys.exit(f"Zenith did not answer on {url}; see {logs / 'daphne.log'}")
            time.sleep(0.3)
    return url, [server, worker], logs


def stop(processes: list[subprocess.Popen]) -> None:
    for proc in processes:
        proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def login(browser, url: str, project: str) -> dict:
    """Log in through the form as demo and work in `project`; returns the context's storage state."""
    context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/auth/login/")
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", "demo")
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/project/**")
    switcher = page.get_by_test_id("project-switcher")
    if switcher.inner_text().strip() != project:
        switcher.click()
        page.locator(f"button[data-project='{project}']").click()
        page.wait_for_load_state()
    if switcher.inner_text().strip() != project:
        sys.exit(f"could not switch to project {project}")
    state = context.storage_state()
    context.close()
    return state


def time_to_usable(page, path: str, selector: str) -> tuple[float, float]:
    """(ms to usable, ms to the HTML's first byte), both from navigation start."""
    response = page.goto(path, wait_until="domcontentloaded")
    if response is None or response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status if response else '?'}")
    usable = float(page.wait_for_function(USABLE, arg=selector, polling="raf").json_value())
    first_byte = float(page.evaluate("performance.getEntriesByType('navigation')[0].responseStart"))
    return usable, first_byte


def page_bytes(browser, url: str, state: dict, path: str, selector: str) -> tuple[dict[str, int], int]:
    """Decoded bytes by resource type of one load with an empty cache, and the rows of a table shown."""
    context = browser.new_context(base_url=url, storage_state=state, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="load")
    page.wait_for_selector(selector, state="visible")
    page.wait_for_load_state("networkidle")
    for response in responses:
        kind = TYPES.get(response.request.resource_type, "other")
        if 300 <= response.status < 400:
            continue  # a redirect has no body to read
        sizes[kind] = sizes.get(kind, 0) + len(response.body())
    rows = page.locator("#instances-table tbody tr[data-id]").count()
    context.close()
    return sizes, rows


def new_page(browser, url: str, state: dict):
    context = browser.new_context(base_url=url, storage_state=state, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def measure(browser, url: str, state: dict, name: str, path: str, selector: str, runs: int) -> dict:
    cold = []
    for _ in range(runs):
        context, page = new_page(browser, url, state)
        cold.append(time_to_usable(page, path, selector))
        context.close()
    context, page = new_page(browser, url, state)
    time_to_usable(page, path, selector)  # fills the cache
    warm = [time_to_usable(page, path, selector) for _ in range(runs)]
    context.close()
    sizes, rows = page_bytes(browser, url, state, path, selector)
    return {
        "page": name,
        "path": path,
        "cold_ms": statistics.median(t for t, _ in cold),
        "warm_ms": statistics.median(t for t, _ in warm),
        "first_byte_ms": statistics.median(b for _, b in cold + warm),
        "cold_runs": [t for t, _ in cold],
        "warm_runs": [t for t, _ in warm],
        "bytes": sizes,
        "rows": rows if name == "instances" else None,
        "html_per_row": sizes.get("html", 0) / rows if rows and name == "instances" else None,
    }


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default="demo")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    started = time.monotonic()
    url, processes, logs = start_zenith()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                state = login(browser, url, args.project)
                results = [measure(browser, url, state, *page, args.runs) for page in PAGES]
            finally:
                browser.close()
    finally:
        stop(processes)
    print(
        f"demo in project {args.project}; ms from navigation start, median of {args.runs}: to the HTML's first byte "
        "(cold and warm runs), to usable with an empty (cold) and a filled (warm) cache; KB decoded, empty cache"
    )
    head = (
        f"{'page':10} {'1st byte':>8} {'cold ms':>8} {'warm ms':>8} "
        f"{'HTML KB':>8} {'JS KB':>7} {'CSS KB':>7} {'other KB':>9} {'rows':>5} {'HTML B/row':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        b = r["bytes"]
        per_row = f"{r['html_per_row']:10.0f}" if r["html_per_row"] else f"{'-':>10}"
        rows = "-" if r["rows"] is None else str(r["rows"])
        kbs = [kb(b.get(kind, 0)) for kind in ("html", "js", "css", "other")]
        print(
            f"{r['page']:10} {r['first_byte_ms']:8.0f} {r['cold_ms']:8.0f} {r['warm_ms']:8.0f} "
            f"{kbs[0]:>8} {kbs[1]:>7} {kbs[2]:>7} {kbs[3]:>9} {rows:>5} {per_row}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"project": args.project, "pages": results}, indent=2))
    print(f"({time.monotonic() - started:.0f} s; server logs in {logs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
