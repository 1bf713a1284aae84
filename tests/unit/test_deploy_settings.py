"""Production settings, as docs/settings.md documents them, pass Django's deployment checklist."""

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


REDIS_SETTINGS = """
import json, dashboard.settings as s
from dashboard.celery import app
print(json.dumps({
    "cache_location": s.CACHES["default"]["LOCATION"],
    "cache_prefix": s.CACHES["default"]["KEY_PREFIX"],
    "channels": s.CHANNEL_LAYERS["default"]["CONFIG"],
    "broker_url": app.conf.broker_url,
    "broker_options": app.conf.broker_transport_options,
    "result_options": app.conf.result_backend_transport_options,
    "broker_ssl": app.conf.broker_use_ssl,
    "result_ssl": app.conf.redis_backend_use_ssl,
}))
"""


def redis_settings(extra_env) -> dict:
    import json

    result = run(["-c", REDIS_SETTINGS], {"DASHBOARD_SECRET_KEY": "k" * 50, **extra_env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_keys_of_cache_channels_and_celery_are_under_one_prefix():
    default = redis_settings({})
    assert default["cache_prefix"] == "zenith"
    assert default["channels"]["prefix"] == "zenith:asgi"
    assert default["broker_options"]["global_keyprefix"] == "zenith:celery:"
    assert default["result_options"]["global_keyprefix"] == "zenith:celery:"
    assert default["broker_ssl"] is None and default["result_ssl"] is None

    other = redis_settings({"DASHBOARD_REDIS_PREFIX": "zenith-b"})
    assert other["cache_prefix"] == "zenith-b"
    assert other["channels"]["prefix"] == "zenith-b:asgi"
    assert other["broker_options"]["global_keyprefix"] == "zenith-b:celery:"
    assert other["result_options"]["global_keyprefix"] == "zenith-b:celery:"


def test_redis_over_tls_with_a_password():
    import ssl

    url = "rediss://:s3cret@redis.example.org:6380/2?ssl_ca_certs=/etc/zenith/redis-ca.pem"
    tls = redis_settings({"DASHBOARD_REDIS_URL": url})
    assert tls["cache_location"] == url and tls["channels"]["hosts"] == [url]
    assert tls["broker_url"] == url
    for options in (tls["broker_ssl"], tls["result_ssl"]):
        assert options == {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": "/etc/zenith/redis-ca.pem"}
    relaxed = redis_settings({"DASHBOARD_REDIS_URL": "rediss://redis.example.org:6380/0?ssl_cert_reqs=none"})
    assert relaxed["broker_ssl"] == {"ssl_cert_reqs": ssl.CERT_NONE}


def test_live_state_keys_follow_the_prefix():
    code = "import django; django.setup(); from dashboard.live import state; print(state.key('cred', 'p', 'member'))"
    result = run(["-c", code], {"DASHBOARD_SECRET_KEY": "k" * 50, "DASHBOARD_REDIS_PREFIX": "zenith-b"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "zenith-b:live:cred:p:member"
