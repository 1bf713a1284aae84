"""Zenith is served by uvicorn, started one way everywhere (tools/serve.sh); daphne is gone."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "tools" / "serve.sh"


def test_daphne_is_neither_an_installed_app_nor_a_requirement():
    assert not any("daphne" in app for app in settings.INSTALLED_APPS)
    named = [
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if re.search(r"daphne", line.split("#", 1)[0], re.IGNORECASE)
    ]
    assert named == []
    # uvicorn with its standard extras (uvloop, httptools, websockets)
    assert re.search(r"^uvicorn\[standard\]", (ROOT / "requirements.txt").read_text(), re.MULTILINE)


def serve(**env) -> subprocess.CompletedProcess:
    """tools/serve.sh with `echo` in place of Python: the uvicorn command line it would run."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    return subprocess.run(
        [str(SERVE), "--no-access-log"],
        env={**clean, "ZENITH_PYTHON": "echo", **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_serve_runs_uvicorn_with_the_workers_and_the_graceful_stop_asked():
    result = serve(DASHBOARD_PORT="8123", DASHBOARD_WORKERS="3", DASHBOARD_SHUTDOWN_SECONDS="12")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "-m",
        "uvicorn",
        "dashboard.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
        "--workers",
        "3",
        "--timeout-graceful-shutdown",
        "12",
        "--timeout-keep-alive",
        "75",
        "--no-proxy-headers",
        "--no-access-log",
    ]


def test_serve_defaults_to_one_process_and_30_seconds_on_port_8000():
    words = serve().stdout.split()
    assert words[words.index("--port") + 1] == "8000"
    assert words[words.index("--workers") + 1] == "1"
    assert words[words.index("--timeout-graceful-shutdown") + 1] == "30"


def test_serve_refuses_a_count_that_is_not_a_whole_number():
    for env in ({"DASHBOARD_WORKERS": "0"}, {"DASHBOARD_WORKERS": "two"}, {"DASHBOARD_SHUTDOWN_SECONDS": "-1"}):
        result = serve(**env)
        assert result.returncode == 2 and result.stdout == "", env
        assert next(iter(env)) in result.stderr
