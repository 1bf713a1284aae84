"""SQLite (the default database) takes concurrent writes: requests that log in at once all succeed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONCURRENT_WRITES = """
import threading, django
django.setup()
from django.core.management import call_command
from django.db import connection
from dashboard.accounts.models import UserPreference
call_command("migrate", verbosity=0, interactive=False)
errors = []
def remember(n):
    try:
        for i in range(15):
            # what a login does: read the user's preference, then write it (dashboard.accounts.views)
            UserPreference.objects.update_or_create(keystone_user_id=f"user-{n}-{i % 3}", defaults={"last_region": "r"})
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=remember, args=(n,)) for n in range(12)]
[t.start() for t in threads]
[t.join() for t in threads]
print("errors:", errors[:3])
print("rows:", UserPreference.objects.count())
"""


def test_concurrent_logins_write_to_sqlite_without_locking_errors(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DASHBOARD_DEBUG="true",
        DASHBOARD_DATABASE_URL=f"sqlite:///{tmp_path / 'zenith.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "errors: []" in result.stdout, result.stdout
    assert "rows: 36" in result.stdout
