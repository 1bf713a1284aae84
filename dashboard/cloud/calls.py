"""Running cloud calls: one at a time with translated errors, or a page's calls concurrently.

- `translated(service, not_found=...)` decorates every public function of `dashboard.cloud`:
  whatever the SDK or keystoneauth raise inside comes out as `CloudError` / `SessionExpired`, a
  404 as the function's own not-found sentence.
- `raw(...)` / `raw_json(...)` are the one way to make a raw REST call (a path, a microversion):
  an HTTP error status raises like any SDK call instead of being returned.
- `concurrently({...})` runs a page's independent calls at once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import requests
from django.conf import settings
from openstack import exceptions as sdk_exc

from . import failures
from .errors import CloudError, SessionExpired, translate

log = logging.getLogger(__name__)

# One pool per nesting level: a call run by `concurrently` may itself run calls concurrently
# (e.g. a listing that names its rows with two more reads). Were those inner calls queued on the
# pool their caller occupies, a busy process could have every worker waiting for calls queued
# behind it, forever; a level's calls go to the next level's pool instead, so every wait is on a
# pool whose workers never wait. Beyond MAX_LEVELS the calls run one after the other in the caller.
MAX_LEVELS = 3
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
_level = threading.local()


def _executor(level: int) -> ThreadPoolExecutor:
    with _pools_lock:
        if level not in _pools:
            _pools[level] = ThreadPoolExecutor(
                max_workers=settings.OPENSTACK_CONCURRENCY * 4, thread_name_prefix=f"cloud{level}"
            )
        return _pools[level]


def _at_level(level: int, fn: Callable[[], Any], service: str | None, sink: list | None) -> Any:
    """`call(fn)` in a worker of pool `level`: calls it runs concurrently go to the next pool; its
    failures are noted for the request that asked (`sink`, dashboard.cloud.failures)."""
    _level.value = level + 1
    token = failures.adopt(sink)
    try:
        return call(fn, service)
    finally:
        failures.stop(token)


def call(fn: Callable[[], Any], service: str | None = None, not_found: str = "") -> Any:
    """Run one cloud call; SDK errors come out as CloudError / SessionExpired (a 404 says `not_found`,
    a whole translated sentence, or errors.NOT_FOUND)."""
    try:
        result = fn()
        # openstacksdk list calls are lazy generators: consume them here, inside the try
        if hasattr(result, "__next__"):
            result = list(result)
        # raw proxy calls (conn.compute.get(...)) return the response even for errors
        if isinstance(result, requests.Response) and result.status_code >= 400:
            sdk_exc.raise_from_response(result)
        return result
    except (CloudError, SessionExpired) as exc:
        failures.note(exc)
        raise
    except Exception as exc:  # noqa: BLE001 - translate decides what is a cloud error
        translated = translate(exc, service=service, not_found=not_found)
        if translated is exc:
            raise
        log.info("cloud call failed: %s (%s)", getattr(translated, "message", translated), type(exc).__name__)
        failures.note(translated)
        raise translated from None


def translated(service: str, not_found: str = ""):
    """Decorator: the function's SDK/HTTP errors come out as CloudError.

    `not_found` is what a 404 says, a whole sentence marked for translation at import time
    (`gettext_lazy("The volume was not found; it may have been deleted.")`): never a fragment
    glued into another sentence. Kept on the function as `not_found` for the tests to read."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            return call(lambda: fn(*args, **kwargs), service=service, not_found=not_found)

        run.not_found = not_found
        return run

    return wrap


# service type -> the connection's proxy attribute
_PROXIES = {
    "compute": "compute",
    "image": "image",
    "network": "network",
    "volume": "block_storage",
    "identity": "identity",
    "placement": "placement",
    "object-store": "object_store",
}


def raw(conn, service: str, path: str, method: str = "get", microversion: str | None = None, **kwargs):
    """One raw REST call to a service (a path the SDK has no method for, or a chosen microversion).

    An HTTP error status raises the SDK's exception (raw proxy calls return it otherwise); callers
    are `translated` functions, so it reaches views as a CloudError.
    """
    proxy = getattr(conn, _PROXIES[service])
    return raw_check(getattr(proxy, method)(path, microversion=microversion, **kwargs))


def raw_check(response):
    """The response of a raw call, or its HTTP error raised (for a caller that looked at it first)."""
    sdk_exc.raise_from_response(response)
    return response


def raw_json(conn, service: str, path: str, method: str = "get", microversion: str | None = None, **kwargs) -> dict:
    """`raw` and the response's JSON body ({} when it has none)."""
    response = raw(conn, service, path, method=method, microversion=microversion, **kwargs)
    return response.json() if response.content else {}


def raw_list(conn, service: str, path: str, key: str, params: dict | None = None, page: int = 1000) -> list[dict]:
    """Every item of a marker-paged raw listing (`key` names the list in the body), as plain JSON.

    For listings read whole to count or sum (no SDK object per row: 10-20x cheaper to parse);
    bounded at 100 pages.
    """
    items: list[dict] = []
    marker = ""
    for _ in range(100):
        query = {**(params or {}), "limit": page}
        if marker:
            query["marker"] = marker
        batch = raw_json(conn, service, path, params=query).get(key) or []
        items.extend(batch)
        if len(batch) < page:
            break
        marker = batch[-1]["id"]
    return items


def concurrently(
    calls: dict[str, Callable[[], Any]], services: dict[str, str] | None = None, optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Run a page's independent calls at once; returns {name: result}.

    A failing call raises its CloudError, unless its name is in `optional`: then its result is the
    CloudError itself, so the page can show the rest and say what is missing.
    """
    services = services or {}
    level = getattr(_level, "value", 0)
    if level >= MAX_LEVELS or len(calls) == 1:
        # one call has nothing to wait beside: run here, without a handover to a worker and back
        futures = {name: _done(fn, services.get(name)) for name, fn in calls.items()}
    else:
        pool = _executor(level)
        sink = failures.current()
        futures = {name: pool.submit(_at_level, level, fn, services.get(name), sink) for name, fn in calls.items()}
    results: dict[str, Any] = {}
    first_error: BaseException | None = None
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except SessionExpired as exc:
            first_error = first_error or exc
        except CloudError as exc:
            if name in optional:
                results[name] = exc
            else:
                first_error = first_error or exc
    if first_error is not None:
        raise first_error
    return results


def _done(fn: Callable[[], Any], service: str | None) -> Future:
    """`call(fn)` run here and now, as a finished future."""
    future: Future = Future()
    try:
        future.set_result(call(fn, service))
    except BaseException as exc:  # noqa: BLE001 - handed to the caller as the future's exception
        future.set_exception(exc)
    return future


# --- the deployment's own settings ------------------------------------------------------------

# How long a process keeps a setting of the cloud's deployment (the same for every user and
# project) before asking again: a page that only offers choices from it then makes no call.
DEPLOYMENT_SETTING_SECONDS = 300.0
_deployment: dict[tuple, tuple[float, Any]] = {}


def deployment_setting(conn, name: str, read: Callable[[], Any], seconds: float = DEPLOYMENT_SETTING_SECONDS) -> Any:
    """A setting of the cloud's deployment (Glance's import methods, Swift's storage policies, ...),
    read with `read()` at most once per `seconds` in this process and region; a failed read is
    not kept (it raises, and the next page asks again). Never for anything a user or project owns."""
    key = (name, getattr(conn.config, "region_name", None) or "")
    now = time.monotonic()
    kept = _deployment.get(key)
    if kept is not None and now - kept[0] < seconds:
        return kept[1]
    value = read()
    _deployment[key] = (now, value)
    return value
