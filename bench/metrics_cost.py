"""What metrics cost a page: the same pages (and Django's /healthz, no cloud call) loaded with
DASHBOARD_METRICS on and off.

In this process with Django's test client (a real login as demo, real cloud calls; sessions in an
in-memory SQLite), metrics on (prometheus_client's multiprocess files in a fresh directory): each
page loaded in turn with metrics on, off (every hook returns at once) and off again, in a new
order each round, so a drift of the cloud or of the machine weighs on all three alike. Printed per
page: the median and mean time of each, and the differences on - off and, as the noise to read
them against, off again - off. Also the hooks alone: one request's counters and histogram, one cloud request's
(counter, histogram, in-flight gauge), timed in a loop.

Usage: .venv/bin/python bench/metrics_cost.py [--loads 300]
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ["DASHBOARD_DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DASHBOARD_SECRET_KEY", "zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop")
os.environ.setdefault("DASHBOARD_REDIS_PREFIX", "zenith-bench")
os.environ["DASHBOARD_METRICS"] = "true"
os.environ["DASHBOARD_METRICS_DIR"] = tempfile.mkdtemp(prefix="zenith-metrics-cost-")
atexit.register(shutil.rmtree, os.environ["DASHBOARD_METRICS_DIR"], ignore_errors=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

PAGES = {"instances": "/project/instances/", "overview": "/project/", "healthz": "/healthz"}


def login() -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/auth/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 302, response.content[:300]
    return client


def load(client: Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def hooks(n: int = 20000) -> tuple[float, float]:
    """Microseconds one request's and one cloud request's recording take."""
    from dashboard.cloud import metrics as cloud
    from dashboard.metrics import instruments

    started = time.perf_counter()
    for _ in range(n):
        instruments.request_done("instances:list", "GET", 200, 0.05)
    request = (time.perf_counter() - started) / n * 1e6
    started = time.perf_counter()
    for _ in range(n):
        cloud.request_done("compute", "ok", 0.02)
        with cloud.in_flight("compute"):
            pass
    return request, (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=300, help="loads of each page, each way")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    client = login()
    print(
        f"{'page':<10} {'p50 on':>8} {'off':>8} {'off 2':>8} {'mean on':>8} {'off':>8} {'off 2':>8}"
        "  on-off (p50, mean)  noise"
    )
    for name, path in PAGES.items():
        for _ in range(5):
            load(client, path)  # warm: connections, templates
        times: dict[str, list[float]] = {"on": [], "off": [], "off 2": []}
        for _ in range(args.loads):
            for arm in random.sample(list(times), 3):  # in a new order each round
                with override_settings(METRICS=arm == "on"):
                    times[arm].append(load(client, path))
        p50 = {arm: statistics.median(t) * 1e3 for arm, t in times.items()}
        mean = {arm: statistics.mean(t) * 1e3 for arm, t in times.items()}
        print(
            f"{name:<10} "
            + " ".join(f"{p50[a]:6.2f}ms" for a in times)
            + " "
            + " ".join(f"{mean[a]:6.2f}ms" for a in times)
            + f"  {p50['on'] - p50['off']:+.3f} {mean['on'] - mean['off']:+.3f} ms"
            + f"  {p50['off 2'] - p50['off']:+.3f} {mean['off 2'] - mean['off']:+.3f} ms"
        )
    request, cloud = hooks()
    print(f"hooks alone: a request's {request:.1f} µs, a cloud request's {cloud:.1f} µs")


if __name__ == "__main__":
    main()
