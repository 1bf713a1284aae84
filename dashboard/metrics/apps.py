"""At each process's start (web or Celery worker): the metrics directory prepared and this process
registered in it, the Celery task signals connected, and the settings checked."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def _forget_at_exit(path: Path, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child (a Celery worker's), which inherits the handler
        from . import directory

        directory.forget(path, pid)


class MetricsConfig(AppConfig):
    name = "dashboard.metrics"
    label = "metrics"

    def ready(self):
        checks.register(check_settings, checks.Tags.security)
        if settings.METRICS:
            self.prepare_directory()
        from celery import signals

        from . import instruments  # after the directory is ready: a metric without labels writes at once

        signals.task_prerun.connect(instruments.task_started, weak=False, dispatch_uid="zenith-metrics-prerun")
        signals.task_postrun.connect(instruments.task_ended, weak=False, dispatch_uid="zenith-metrics-postrun")
        signals.task_failure.connect(instruments.task_failed, weak=False, dispatch_uid="zenith-metrics-failure")
        if settings.METRICS:
            instruments.zero_series()

    def prepare_directory(self):
        from prometheus_client import values

        if not values.ValueClass._multiprocess:
            raise ImproperlyConfigured(
                "prometheus_client was imported before the settings set PROMETHEUS_MULTIPROC_DIR: "
                "this process's metrics would be its own only, not in DASHBOARD_METRICS_DIR."
            )
        from . import directory

        path, pid = Path(settings.METRICS_DIR), os.getpid()
        directory.prepare(path, pid)
        atexit.register(_forget_at_exit, path, pid)


def check_settings(app_configs=None, **kwargs):
    """Networks that are not CIDRs are an error; metrics on with no way to read them, a warning."""
    from . import access

    if not settings.METRICS:
        return []
    try:
        access.networks_of(tuple(settings.METRICS_NETWORKS))
    except ValueError as exc:
        return [checks.Error(f"DASHBOARD_METRICS_NETWORKS: {exc}", id="metrics.E001")]
    if not settings.METRICS_NETWORKS and not settings.METRICS_TOKEN:
        return [
            checks.Warning(
                "DASHBOARD_METRICS is on, but neither DASHBOARD_METRICS_NETWORKS nor DASHBOARD_METRICS_TOKEN "
                "is set: /metrics refuses every request.",
                id="metrics.W001",
            )
        ]
    return []
