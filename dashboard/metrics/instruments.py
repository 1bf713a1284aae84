"""The web layer's metrics, and the functions that record them (no-ops unless DASHBOARD_METRICS).

The cloud's own metrics are in dashboard.cloud.metrics; docs/metrics.md lists them all.
Gauges are "livesum": the sum over the processes alive (a dead one's share is dropped at the next
scrape, dashboard.metrics.directory.sweep).
"""

from __future__ import annotations

import time

from django.conf import settings
from prometheus_client import Counter, Gauge, Histogram

from . import labels

REQUEST_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_SECONDS_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0)

REQUESTS = Counter(
    "zenith_http_requests", "HTTP requests Django answered, by view, method and status", ["view", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "zenith_http_request_seconds",
    "Time Django took to answer a request (its middleware included), by view",
    ["view"],
    buckets=REQUEST_SECONDS_BUCKETS,
)
WEBSOCKETS = Gauge("zenith_websockets", "Live websockets open (accepted, not yet closed)", multiprocess_mode="livesum")
SUBSCRIPTIONS = Gauge(
    "zenith_websocket_subscriptions",
    "Topics the open websockets are subscribed to, by live kind",
    ["kind"],
    multiprocess_mode="livesum",
)
TASKS = Counter("zenith_celery_tasks", "Celery tasks run, by task name and outcome", ["task", "outcome"])
TASK_SECONDS = Histogram(
    "zenith_celery_task_seconds", "Time a Celery task ran, by task name", ["task"], buckets=TASK_SECONDS_BUCKETS
)


def enabled() -> bool:
    return settings.METRICS


def zero_series() -> None:
    """Every live kind's subscriptions at 0 in this process: a kind nobody watches reads 0, not
    missing, once the processes that had watchers are gone."""
    from dashboard.live.pollers import KINDS

    for kind in KINDS:
        SUBSCRIPTIONS.labels(kind)


def request_done(view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view, labels.method_label(method), labels.status_label(status)).inc()
    REQUEST_SECONDS.labels(view).observe(seconds)


def websocket_opened() -> None:
    if enabled():
        WEBSOCKETS.inc()


def websocket_closed(kinds: list[str]) -> None:
    """A socket that was counted open goes, with its subscriptions (their kinds, one per topic)."""
    if enabled():
        WEBSOCKETS.dec()
        for kind in kinds:
            SUBSCRIPTIONS.labels(kind).dec()


def subscribed(kind: str) -> None:
    """A socket joined a topic of `kind` (a name of dashboard.live.pollers.KINDS)."""
    if enabled():
        SUBSCRIPTIONS.labels(kind).inc()


# --- Celery tasks: connected to Celery's signals by the app's ready() ---------------------------
_started: dict[str, float] = {}  # task id -> when it started, in this worker process


def task_started(task_id=None, **_kwargs) -> None:
    if enabled() and task_id:
        _started[task_id] = time.perf_counter()


def task_failed(sender=None, task_id=None, **_kwargs) -> None:
    """Celery's task_failure. From the process that ran the task, task_postrun follows and counts
    it; from the worker's main process (its pool child died, hit the hard time limit, or the task
    was rejected for good) nothing else will: counted here, as "lost"."""
    if enabled() and sender is not None and task_id not in _started:
        TASKS.labels(sender.name, "lost").inc()


def task_ended(task_id=None, task=None, state=None, **_kwargs) -> None:
    started = _started.pop(task_id, None) if task_id else None
    if not enabled() or task is None:
        return
    name = task.name
    TASKS.labels(name, labels.task_outcome(state)).inc()
    if started is not None:
        TASK_SECONDS.labels(name).observe(time.perf_counter() - started)
