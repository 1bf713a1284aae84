"""The environment of every test process, set before anything is imported: a pytest plugin
(`-p tests.early` in pyproject.toml's addopts) and imported by tests/settings.py.

Metrics are on, as a deployment turns them on: every process of the tests (pytest, the Celery
workers and the browser tests' Zenith, which inherit the environment) writes to this checkout's
var/metrics-tests, and /metrics answers TEST_METRICS_TOKEN. Here rather than in the settings:
prometheus_client chooses its multiprocess mode when it is first imported, and pytest imports
openstacksdk (which imports it) for its warning filters before the settings are read."""

import os
from pathlib import Path

TEST_METRICS_TOKEN = "zenith-tests-metrics-token"

os.environ.setdefault("DASHBOARD_METRICS", "true")
os.environ.setdefault("DASHBOARD_METRICS_TOKEN", TEST_METRICS_TOKEN)
os.environ.setdefault("DASHBOARD_METRICS_DIR", str(Path(__file__).resolve().parents[1] / "var" / "metrics-tests"))
if os.environ["DASHBOARD_METRICS"].strip().lower() in ("1", "true", "yes", "on"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ["DASHBOARD_METRICS_DIR"]
