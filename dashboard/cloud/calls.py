"""Running cloud calls: one at a time with translated errors, or a page's calls concurrently."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from django.conf import settings
from openstack import exceptions as sdk_exc

from .errors import CloudError, SessionExpired, translate

log = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=settings.OPENSTACK_CONCURRENCY * 4, thread_name_prefix="cloud")
    return _pool


def call(fn: Callable[[], Any], service: str | None = None, what: str = "") -> Any:
    """Run one cloud call; SDK errors come out as CloudError / SessionExpired."""
    try:
        result = fn()
        # openstacksdk list calls are lazy generators: consume them here, inside the try
        if hasattr(result, "__next__"):
            result = list(result)
        # raw proxy calls (conn.compute.get(...)) return the response even for errors
        if isinstance(result, requests.Response) and result.status_code >= 400:
            sdk_exc.raise_from_response(result)
        return result
    except (CloudError, SessionExpired):
        raise
    except Exception as exc:  # noqa: BLE001 - translate decides what is a cloud error
        translated = translate(exc, service=service, what=what)
        if translated is exc:
            raise
        log.info("cloud call failed: %s (%s)", getattr(translated, "message", translated), type(exc).__name__)
        raise translated from None


def concurrently(
    calls: dict[str, Callable[[], Any]], services: dict[str, str] | None = None, optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Run a page's independent calls at once; returns {name: result}.

    A failing call raises its CloudError, unless its name is in `optional`: then its result is the
    CloudError itself, so the page can show the rest and say what is missing.
    """
    services = services or {}
    futures = {name: _executor().submit(call, fn, services.get(name)) for name, fn in calls.items()}
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
