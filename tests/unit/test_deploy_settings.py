"""Production settings, as the README documents them, pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DASHBOARD_SECRET_KEY": "k3y-for-the-deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
    "DASHBOARD_HTTPS": "true",
    "DASHBOARD_ALLOWED_HOSTS": "zenith.example.org",
    "DASHBOARD_DEBUG": "false",
}


def run_check(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="dashboard.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_settings_are_flagged_as_not_for_production():
    result = run_check({})
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout
