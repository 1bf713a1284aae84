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
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils.translation import gettext as _
from keystoneauth1 import session

from .errors import CloudError, service_name

UNBOUNDED = {"object-store"}


class Bound:
    """At most `size` requests at once; a request waits `wait` seconds at most for its turn."""

    def __init__(self, service: str, size: int, wait: float):
        self.service, self.size, self.wait = service, size, wait
        self._permits = threading.BoundedSemaphore(size)

    def __enter__(self) -> None:
        if not self._permits.acquire(timeout=self.wait):
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


class BoundedSession(session.Session):
    """A keystoneauth session whose requests to a service take a permit of the service's bound."""

    def request(self, url, method, **kwargs):
        bound = bound_for((kwargs.get("endpoint_filter") or {}).get("service_type"))
        if bound is not None:
            # in place of the SDK adapter's own semaphore (unlimited: Zenith sets no rate limit)
            kwargs["rate_semaphore"] = bound
        return super().request(url, method, **kwargs)
