"""Speed as users get it: time to a usable page and to network idle in a real browser, and the bytes a
page loads.

Starts Zenith the way the browser tests do (tests/browser/conftest.py: uvicorn on a free port plus a
Celery worker, migrations and collectstatic first; here with their own SQLite file and Redis
database, so they share no state with other runs), then drives Debian's headless Chromium through
Playwright. It logs in through the form as demo, working in project demo (--project), and as admin
(in admin's own project), and measures these pages, the admin overview as admin, the others as demo:
the instances list, the project overview, the admin usage overview, volumes, networks, and the
launch form. For each page:

- time to usable: navigation start -> DOMContentLoaded done (the page's scripts have run) and the
  page's key element (its table, the quota gauges, the drawn usage chart, the form) visible; read in
  the page (performance.now() on the first animation frame where both hold, so up to one frame
  late);
- time to network idle: once no request has been in flight for 500 ms (Playwright's "networkidle"),
  the latest responseEnd among the Performance API's navigation and resource entries, so including
  the parts htmx fetches on load (hx-trigger="load": subnets, instance names, launch extras) that
  the user waits for; counted from navigation start, and never earlier than usable (when the last
  response ends before the page's first usable frame, network idle is usable; the raw last response
  end is in the JSON as last_response_*);
- both with an empty cache ("cold": a new browser context holding only the login cookies) and a
  filled one ("warm": the same context again, after one load that fills it); medians of --runs
  (5); and the HTML's first byte, median of all cold and warm runs;
- the bytes of one load with an empty cache (and its number of requests), by Playwright's resource
  type: HTML (the page itself), JavaScript, CSS, and the rest (fonts, htmx parts, ...): as they
  came over the wire (response headers plus the body as sent, compressed: request.sizes()), and
  decoded (the bodies); and for the instances list the decoded HTML bytes per row shown.

--screenshots PREFIX saves PREFIX-<page>.png at the end of that cold load, to see that each page
really loaded, logged in. The cloud is read as it is: a few instances or hundreds (bench/populate.py).
No target: the numbers are printed (and saved with --json FILE) to watch them as pages change.

Usage: .venv/bin/python bench/browser_pages.py [--project demo] [--runs 5] [--json FILE] [--screenshots PREFIX]
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
# (name, path, key element that makes the page usable, who looks at it)
PAGES = [
    ("instances", "/project/instances/", "#instances-table", "demo"),
    ("overview", "/project/", "#quota-gauges", "demo"),
    # the chart drawn: usage-chart.js marks the canvas once Chart.js made the chart
    ("admin", "/admin/overview/", "#usage-chart[data-ready='true']", "admin"),
    ("volumes", "/project/volumes/", "#volumes-table", "demo"),
    ("networks", "/project/networks/", "#networks-table", "demo"),
    ("launch", "/project/instances/launch/", "#launch-form", "demo"),
]
TYPES = {"document": "html", "script": "js", "stylesheet": "css"}
KINDS = ("html", "js", "css", "other")

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

# [the HTML's first byte, the latest response end] in ms since navigation start: the page and every
# resource it fetched (scripts, styles, fonts, htmx parts...), from the Performance API
LAST_RESPONSE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const entries = [nav, ...performance.getEntriesByType('resource')];
  return [nav.responseStart, Math.max(...entries.map(e => e.responseEnd))];
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_zenith() -> tuple[str, list[subprocess.Popen], Path]:
    """uvicorn + a Celery worker as tests/browser/conftest.py starts them; returns (url, processes, log dir)."""
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
        [str(ROOT / "tools" / "serve.sh")],
        cwd=ROOT,
        env={**env, "DASHBOARD_HOST": "127.0.0.1", "DASHBOARD_PORT": str(port), "ZENITH_PYTHON": sys.executable},
        stdout=(logs / "zenith.log").open("w"),
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
            sys.exit(f"Zenith exited at start; see {logs / 'zenith.log'}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 - our own local server
                break
        except OSError:
            if time.monotonic() > deadline:
                stop([server, worker])
                sys.exit(f"Zenith did not answer on {url}; see {logs / 'zenith.log'}")
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


def login(browser, url: str, user: str, project: str | None) -> dict:
    """Log in through the form as `user` (password the same) and, with `project`, work in it;
    returns the context's storage state (its cookies)."""
    context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/auth/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", user)
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/project/**")
    switcher = page.get_by_test_id("project-switcher")
    if project and switcher.inner_text().strip() != project:
        switcher.click()
        page.locator(f"button[data-project='{project}']").click()
        page.wait_for_load_state()
    if project and switcher.inner_text().strip() != project:
        sys.exit(f"could not switch to project {project}")
    state = context.storage_state()
    context.close()
    return state


def load(page, path: str, selector: str) -> dict[str, float]:
    """One load of `path` in `page`: ms from navigation start to the HTML's first byte, to usable,
    to the last response's end and to network idle (the later of usable and the last response)."""
    response = page.goto(path, wait_until="domcontentloaded")
    if response is None or response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status if response else '?'}")
    if not page.url.endswith(path):  # sent elsewhere, e.g. to the login page
        raise SystemExit(f"{path}: ended at {page.url}")
    usable = float(page.wait_for_function(USABLE, arg=selector, polling="raf").json_value())
    # no request in flight for 500 ms: what loads after the page (htmx parts, live fetches) has ended
    page.wait_for_load_state("networkidle")
    first_byte, last_response = page.evaluate(LAST_RESPONSE)
    return {
        "first_byte": first_byte,
        "usable": usable,
        "last_response": last_response,
        "idle": max(usable, last_response),
    }


def page_bytes(browser, url: str, state: dict, name: str, path: str, selector: str, screenshot: str | None) -> dict:
    """One load with an empty cache, to usable and network idle: the bytes over the wire and decoded by
    resource type, the number of requests, and the rows of the instances list shown."""
    context, page = new_page(browser, url, state)
    responses = []
    page.on("response", lambda response: responses.append(response))
    load(page, path, selector)
    wire = dict.fromkeys(KINDS, 0)
    decoded = dict.fromkeys(KINDS, 0)
    for response in responses:
        kind = TYPES.get(response.request.resource_type, "other")
        sizes = response.request.sizes()  # the body as sent: compressed when it was
        wire[kind] += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if not 300 <= response.status < 400:  # a redirect has no body to read
            decoded[kind] += len(response.body())
    rows = page.locator("#instances-table tbody tr[data-id]").count() if name == "instances" else None
    if screenshot:
        page.screenshot(path=f"{screenshot}-{name}.png", full_page=True)
    context.close()
    return {"wire": wire, "decoded": decoded, "requests": len(responses), "rows": rows}


def new_page(browser, url: str, state: dict):
    context = browser.new_context(base_url=url, storage_state=state, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def measure(
    browser, url: str, states: dict, name: str, path: str, selector: str, user: str, runs: int, screenshot: str | None
) -> dict:
    state = states[user]
    # cold: each run in a new context, holding only the login cookies
    cold = []
    for _ in range(runs):
        context, page = new_page(browser, url, state)
        cold.append(load(page, path, selector))
        context.close()
    # warm: one context, its cache filled by a first load
    context, page = new_page(browser, url, state)
    load(page, path, selector)
    warm = [load(page, path, selector) for _ in range(runs)]
    context.close()
    size = page_bytes(browser, url, state, name, path, selector, screenshot)
    rows = size["rows"]
    return {
        "page": name,
        "path": path,
        "user": user,
        "first_byte_ms": statistics.median(r["first_byte"] for r in cold + warm),
        "cold_ms": statistics.median(r["usable"] for r in cold),
        "warm_ms": statistics.median(r["usable"] for r in warm),
        "cold_idle_ms": statistics.median(r["idle"] for r in cold),
        "warm_idle_ms": statistics.median(r["idle"] for r in warm),
        "cold_runs": [r["usable"] for r in cold],
        "warm_runs": [r["usable"] for r in warm],
        "cold_idle_runs": [r["idle"] for r in cold],
        "warm_idle_runs": [r["idle"] for r in warm],
        "last_response_cold_runs": [r["last_response"] for r in cold],
        "last_response_warm_runs": [r["last_response"] for r in warm],
        "requests": size["requests"],
        "wire_bytes": size["wire"],
        "bytes": size["decoded"],
        "rows": rows,
        "html_per_row": size["decoded"]["html"] / rows if rows else None,
    }


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default="demo", help="demo's project (admin works in its own)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--screenshots", metavar="PREFIX", help="save PREFIX-<page>.png after the bytes' cold load")
    args = parser.parse_args()
    started = time.monotonic()
    url, processes, logs = start_zenith()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                states = {
                    "demo": login(browser, url, "demo", args.project),
                    "admin": login(browser, url, "admin", None),
                }
                results = [measure(browser, url, states, *page, args.runs, args.screenshots) for page in PAGES]
            finally:
                browser.close()
    finally:
        stop(processes)
    print(
        f"demo in project {args.project}, admin for the admin overview; ms from navigation start, median of "
        f"{args.runs}: to the HTML's first byte (cold and warm runs), to usable and to network idle with an empty "
        "(cold) and a filled (warm) cache; one load with an empty cache: requests, KB over the wire by type, "
        "HTML KB decoded, rows"
    )
    head = (
        f"{'page':10} {'1st byte':>8} {'usable cold':>11} {'warm':>5} {'idle cold':>9} {'warm':>5} {'reqs':>5} "
        f"{'wire KB: HTML':>13} {'JS':>6} {'CSS':>6} {'other':>6} {'total':>6} "
        f"{'HTML KB':>8} {'rows':>5} {'HTML B/row':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        wire = r["wire_bytes"]
        per_row = f"{r['html_per_row']:10.0f}" if r["html_per_row"] else f"{'-':>10}"
        rows = "-" if r["rows"] is None else str(r["rows"])
        kbs = [kb(wire[kind]) for kind in KINDS]
        print(
            f"{r['page']:10} {r['first_byte_ms']:8.0f} {r['cold_ms']:11.0f} {r['warm_ms']:5.0f} "
            f"{r['cold_idle_ms']:9.0f} {r['warm_idle_ms']:5.0f} {r['requests']:5} "
            f"{kbs[0]:>13} {kbs[1]:>6} {kbs[2]:>6} {kbs[3]:>6} {kb(sum(wire.values())):>6} "
            f"{kb(r['bytes']['html']):>8} {rows:>5} {per_row}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"project": args.project, "pages": results}, indent=2))
    print(f"({time.monotonic() - started:.0f} s; server logs in {logs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
