"""The cloud layer's own metrics: every HTTP request Zenith sends to the cloud, counted here, at the
one door (dashboard.cloud.bulkhead's sessions), and served at /metrics by dashboard.metrics.

- `zenith_cloud_requests_total{service, outcome}` and `zenith_cloud_request_seconds{service}`: each
  request to a service, from the call to its answer's headers (the wait for the service's bound
  included); `outcome` is "ok" (an answer below 400), "4xx" or "5xx" (an error answer), or, with no
  answer, "timeout", "connection" (refused, reset, TLS), "busy" (no turn in the bound in time) or
  "error".
- `zenith_cloud_requests_in_flight{service}` and `zenith_cloud_requests_waiting{service}`: requests
  at the service now, and requests waiting in this process for a turn of its bound
  (DASHBOARD_CLOUD_SERVICE_CONCURRENCY); `zenith_cloud_bound_wait_seconds{service}`: how long
  they waited.

Labels come from fixed sets only (`service_label`, `outcome_of`): never a URL, a project or a user.
Nothing is recorded unless DASHBOARD_METRICS is on.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session
from prometheus_client import Counter, Gauge, Histogram

# service types as the catalog and openstacksdk name them -> the label
SERVICES = {
    "compute": "compute",
    "network": "network",
    "volume": "volume",
    "volumev2": "volume",
    "volumev3": "volume",
    "block-storage": "volume",
    "block_storage": "volume",
    "image": "image",
    "object-store": "object-store",
    "object_store": "object-store",
    "identity": "identity",
    "placement": "placement",
    "metric": "metric",
}
OTHER = "other"  # a request that names no known service (version discovery at an absolute URL)

SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
WAIT_SECONDS = (0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0)

REQUESTS = Counter(
    "zenith_cloud_requests", "HTTP requests sent to the cloud, by service and outcome", ["service", "outcome"]
)
REQUEST_SECONDS = Histogram(
    "zenith_cloud_request_seconds",
    "Time from sending a cloud request to its answer's headers, its wait in the bound included",
    ["service"],
    buckets=SECONDS,
)
IN_FLIGHT = Gauge(
    "zenith_cloud_requests_in_flight",
    "Cloud requests at the service now",
    ["service"],
    multiprocess_mode="livesum",
)
WAITING = Gauge(
    "zenith_cloud_requests_waiting",
    "Cloud requests waiting for a turn of the service's bound (DASHBOARD_CLOUD_SERVICE_CONCURRENCY)",
    ["service"],
    multiprocess_mode="livesum",
)
WAIT_SECONDS_HISTOGRAM = Histogram(
    "zenith_cloud_bound_wait_seconds",
    "Time a cloud request waited for a turn of the service's bound",
    ["service"],
    buckets=WAIT_SECONDS,
)


def enabled() -> bool:
    return settings.METRICS


def service_label(service_type: str | None) -> str:
    """The label of a service type: one of SERVICES' values, or "other"."""
    return SERVICES.get((service_type or "").lower(), OTHER)


def outcome_of(status: int | None = None, error: BaseException | None = None) -> str:
    """The outcome label of a request: its answer's status class, or what kept it from one."""
    if status is not None:
        if status < 400:
            return "ok"
        return "5xx" if status >= 500 else "4xx"
    if isinstance(error, ks_exc.HttpError) and error.http_status:
        return outcome_of(status=error.http_status)
    if isinstance(error, ks_exc.ConnectTimeout):  # requests' connect and read timeouts alike
        return "timeout"
    if isinstance(error, ks_exc.ConnectionError):  # refused, reset, TLS
        return "connection"
    if getattr(error, "kind", None) == "unavailable":  # the bound's CloudError: no turn in time
        return "busy"
    return "error"


def request_done(service: str, outcome: str, seconds: float) -> None:
    REQUESTS.labels(service, outcome).inc()
    REQUEST_SECONDS.labels(service).observe(seconds)


class InFlight:
    """Around one HTTP exchange with an unbounded service (keystoneauth's `rate_semaphore` hook): the
    request counted in flight while it is at the service."""

    def __init__(self, service: str):
        self.service = service

    def __enter__(self) -> None:
        IN_FLIGHT.labels(self.service).inc()

    def __exit__(self, *exc) -> None:
        IN_FLIGHT.labels(self.service).dec()


_in_flight: dict[str, InFlight] = {}
_in_flight_lock = threading.Lock()


def in_flight(service: str) -> InFlight:
    with _in_flight_lock:
        return _in_flight.setdefault(service, InFlight(service))


class MeasuredSession(session.Session):
    """A keystoneauth session whose every request is counted and timed (`request_done`) under its
    service: the one its `endpoint_filter` names, else the session's own `service_type` (Keystone's
    session for logins names none: "identity"). With metrics off, a plain session."""

    def __init__(self, *args, service_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_type = service_type

    def turn(self, service_type: str | None):
        """The context manager around each HTTP exchange with the service (None: keystoneauth's own)."""
        return in_flight(service_label(service_type)) if enabled() else None

    def request(self, url, method, **kwargs):
        service_type = (kwargs.get("endpoint_filter") or {}).get("service_type") or self.service_type
        turn = self.turn(service_type)
        if turn is not None:
            # in place of the SDK adapter's own semaphore (unlimited: Zenith sets no rate limit)
            kwargs["rate_semaphore"] = turn
        if not enabled():
            return super().request(url, method, **kwargs)
        started = time.perf_counter()
        outcome = "error"
        try:
            response = super().request(url, method, **kwargs)
            outcome = outcome_of(status=response.status_code)
            return response
        except BaseException as exc:
            outcome = outcome_of(error=exc)
            raise
        finally:
            request_done(service_label(service_type), outcome, time.perf_counter() - started)
