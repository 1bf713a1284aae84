"""The process's one Redis client for Zenith's own keys (live state, upload progress): one
connection pool per process, made on first use from DASHBOARD_REDIS_URL. Django's cache, sessions,
Channels and Celery keep their own clients; Django's cache keeps its connections in `SharedPool`."""

from __future__ import annotations

import threading

import redis
from django.conf import settings

_client: redis.Redis | None = None


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    return _client


class SharedPool(redis.ConnectionPool):
    """The connection pool of Django's Redis cache (sessions are read through it on every request):
    one per process for each URL and options, given as the cache's `pool_class` option.

    Django keeps a cache object per request context, and under ASGI every request is a context of
    its own: each made its own pool, so each request opened a new connection to Redis to read its
    session (connect and handshake: about a millisecond here, a sixth of a page without cloud
    calls) and left it to the garbage collector. Made through `from_url`, as Django makes its
    pools, this hands back the pool made first; redis-py's pools are thread-safe and start afresh in
    a forked child (Celery's workers)."""

    _shared: dict[tuple, SharedPool] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs) -> SharedPool:
        key = (url, tuple(sorted((name, repr(value)) for name, value in kwargs.items())))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
            return pool
