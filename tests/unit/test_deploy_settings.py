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


def run(args, extra_env):
    """A Python process in the project with only the given DASHBOARD_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="dashboard.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def run_check(extra_env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], extra_env)


def test_production_settings_pass_check_deploy():
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_settings_are_flagged_as_not_for_production():
    result = run_check({"DASHBOARD_SECRET_KEY": "a-local-demo-key-" + "d" * 40})
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout


def test_no_secret_key_with_debug_off_refuses_to_start():
    for debug in ({}, {"DASHBOARD_DEBUG": "false"}):
        result = run(["-c", "import dashboard.settings"], debug)
        assert result.returncode != 0
        assert "ImproperlyConfigured: DASHBOARD_SECRET_KEY is not set" in result.stderr
    result = run(["-c", "import dashboard.settings"], {"DASHBOARD_SECRET_KEY": ""})
    assert "DASHBOARD_SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = run(["-c", "import dashboard.settings as s; print(len(s.SECRET_KEY))"], {"DASHBOARD_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
