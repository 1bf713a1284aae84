"""The process's one Redis client for Zenith's own keys (live state, upload progress): one
connection pool per process, made on first use from DASHBOARD_REDIS_URL. Django's cache, sessions,
Channels and Celery keep their own clients."""

from __future__ import annotations

import redis
from django.conf import settings

_client: redis.Redis | None = None


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    return _client
