"""Server-side time of Zenith's main pages against the devcloud, and the cloud calls each makes.

Runs the pages in-process with Django's test client (a real login, real cloud calls; no browser, no
ASGI server), 2 warm-up loads then the median of 7. For comparison, Horizon 23 measured on the same
kind of cloud (demo user, 2 instances, median of 5 full page loads; recorded in
tools/devcloud/NOTES.md): overview 499 ms, instances 684 ms, admin overview 348 ms.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ.setdefault("DASHBOARD_DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("DASHBOARD_SECRET_KEY", "zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop")
os.environ.setdefault("DASHBOARD_REDIS_PREFIX", "zenith-bench")
os.environ.setdefault("DASHBOARD_LOGIN_ATTEMPTS", "1000")
os.environ.setdefault("DASHBOARD_LOGIN_ATTEMPTS_PER_USER", "1000")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402

PAGES = {
    "demo": ["/project/", "/project/instances/", "/project/instances/launch/", "/project/usage/"],
    "admin": ["/admin/overview/", "/admin/hypervisors/", "/admin/instances/", "/identity/users/"],
}

calls = 0
_request = ks_session.Session.request


def counting_request(self, *args, **kwargs):
    global calls
    calls += 1
    return _request(self, *args, **kwargs)


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    ks_session.Session.request = counting_request
    global calls
    print(f"{'page':32} {'median ms':>10} {'min ms':>8} {'cloud calls':>12}")
    for user, pages in PAGES.items():
        client = Client()
        response = client.post("/auth/login/", {"username": user, "password": user})
        if response.status_code != 302:
            print(f"login as {user} failed: {response.status_code}")
            return 1
        if user == "demo":
            demo_id = next(p["id"] for p in client.session["keystone"]["projects"] if p["name"] == "demo")
            client.post("/auth/switch/", {"project_id": demo_id})
            count = len(client.get("/api/v1/instances/").json()["instances"])
            print(f"(demo has {count} instances)")
        for page in pages:
            times = []
            for i in range(9):
                calls = 0
                start = time.perf_counter()
                response = client.get(page)
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    print(f"{page}: HTTP {response.status_code}")
                    return 1
                if i >= 2:
                    times.append(elapsed)
            print(f"{user + ' ' + page:32} {statistics.median(times):10.0f} {min(times):8.0f} {calls:12d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
