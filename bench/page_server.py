"""One version of Zenith answering page loads for bench/compare.py: Django's test client in this
process (an in-memory database, as bench/pages.py), logged in as demo (in the big project) and as
admin, reading `<user> <path>` lines on stdin and answering `<status> <wall ms> <cpu ms>` on stdout.

It imports only the Zenith it is run beside (`--root`), never this checkout's bench code, so an
older checkout is timed as it was.

Usage (by bench/compare.py): python bench/page_server.py --root CHECKOUT [--project demo]
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--project", default="demo")
    args = parser.parse_args()
    sys.path.insert(0, args.root)
    os.chdir(args.root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    os.environ["DASHBOARD_DATABASE_URL"] = "sqlite:///:memory:"
    os.environ.setdefault("DASHBOARD_SECRET_KEY", "zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop")
    os.environ.setdefault("DASHBOARD_REDIS_PREFIX", "zenith-bench")
    os.environ.setdefault("DASHBOARD_LOGIN_ATTEMPTS", "1000")
    os.environ.setdefault("DASHBOARD_LOGIN_ATTEMPTS_PER_USER", "1000")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    clients = {}
    for user in ("demo", "admin"):
        client = Client()
        if client.post("/auth/login/", {"username": user, "password": user}).status_code != 302:
            print(f"login as {user} failed", file=sys.stderr)
            return 1
        clients[user] = client
    demo = clients["demo"]
    project = next(p["id"] for p in demo.session["keystone"]["projects"] if p["name"] == args.project)
    demo.post("/auth/switch/", {"project_id": project})
    print("ready", flush=True)
    for line in sys.stdin:
        user, path = line.split(maxsplit=1)
        wall, cpu = time.perf_counter(), time.thread_time()
        status = clients[user].get(path.strip()).status_code
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000
        print(f"{status} {wall:.3f} {cpu:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
