"""A bound on the HTTP requests one process has in flight at each cloud service (a bulkhead).

Past a service's capacity, more requests at once only queue inside it (nova-api's uWSGI backlog
behind its few single-threaded processes), where the wait counts toward DASHBOARD_CLOUD_TIMEOUT:
under load, pages failed with "not responding" although nova-api answered each request in about a
second once it got to it. With the bound, the excess waits here, in this process, and the cloud
timeout counts the time at the cloud only. A request waits for its turn at most twice that timeout,
then fails with a message saying the service is busy.

The bound holds around each HTTP request alone (keystoneauth's `rate_semaphore` hook: the sending
and the response's headers, not the reading of a streamed body), never around a call that may make
more requests, so no request ever waits for a permit its own caller holds. Object Storage is not
bounded: an upload holds its request for the whole transfer.

With DASHBOARD_METRICS, each bound counts the requests waiting for a turn and those in flight, and
times the waits (dashboard.cloud.metrics).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.utils.translation import gettext as _

from . import metrics
from .errors import CloudError, service_name

UNBOUNDED = {"object-store"}


class Bound:
    """At most `size` requests at once; a request waits `wait` seconds at most for its turn."""

    def __init__(self, service: str, size: int, wait: float):
        self.service, self.size, self.wait = service, size, wait
        self.label = metrics.service_label(service)
        self._permits = threading.BoundedSemaphore(size)

    def _acquire(self) -> bool:
        if not metrics.enabled():
            return self._permits.acquire(timeout=self.wait)
        started = time.perf_counter()
        got = self._permits.acquire(blocking=False)
        if not got:  # no turn free: counted as waiting while it waits
            metrics.WAITING.labels(self.label).inc()
            try:
                got = self._permits.acquire(timeout=self.wait)
            finally:
                metrics.WAITING.labels(self.label).dec()
        metrics.WAIT_SECONDS_HISTOGRAM.labels(self.label).observe(time.perf_counter() - started)
        if got:
            metrics.IN_FLIGHT.labels(self.label).inc()
        return got

    def __enter__(self) -> None:
        if not self._acquire():
            raise CloudError(
                "unavailable",
                _(
                    "The %(service)s service is too busy to answer now. Try again in a minute; "
                    "if it keeps happening, tell your cloud operator."
                )
                % {"service": service_name(self.service)},
                f"waited {self.wait:.0f} s for one of this process's {self.size} requests to {self.service}",
            )

    def __exit__(self, *exc) -> None:
        if metrics.enabled():
            metrics.IN_FLIGHT.labels(self.label).dec()
        self._permits.release()


_bounds: dict[str, Bound] = {}
_bounds_lock = threading.Lock()


def bound_for(service_type: str | None) -> Bound | None:
    """The process's bound for a service type (None: not bounded)."""
    size = settings.OPENSTACK_SERVICE_CONCURRENCY
    if size <= 0 or not service_type or service_type in UNBOUNDED:
        return None
    with _bounds_lock:
        bound = _bounds.get(service_type)
        if bound is None:
            bound = _bounds[service_type] = Bound(service_type, size, 2 * settings.OPENSTACK_TIMEOUT)
        return bound


class BoundedSession(metrics.MeasuredSession):
    """A keystoneauth session whose requests to a service take a permit of the service's bound
    (requests counted and timed as every session of the cloud layer: metrics.MeasuredSession)."""

    def turn(self, service_type: str | None):
        return bound_for(service_type) or super().turn(service_type)
