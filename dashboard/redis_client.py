"""The process's one Redis client for Zenith's own keys (live state, upload progress): one
connection pool per process, made on first use from DASHBOARD_REDIS_URL. Django's cache, sessions,
Channels and Celery keep their own clients; Django's cache is `KeptClientCache` (settings.CACHES)."""

from __future__ import annotations

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_client: redis.Redis | None = None


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    return _client


class KeptClientCache(RedisCache):
    """Django's Redis cache (sessions read through it on every page) with one client per connection
    pool kept, instead of a new `redis.Redis` (its option and callback tables built again, about a
    tenth of a millisecond) for each get and set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClients


class _KeptClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        kept = self._kept.get(id(pool))
        if kept is None:  # a race makes two clients of one pool, both fine: redis.Redis is thread-safe
            kept = self._kept[id(pool)] = self._client(connection_pool=pool)
        return kept
