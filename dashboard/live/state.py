"""What the live machinery keeps in Redis: who watches what, the poller locks, the poller's token.

Keys (all under "<DASHBOARD_REDIS_PREFIX>:live:", all with a TTL, nothing that outlives its use):

- ``watchers:<project>:<topic>``: sorted set of websocket channel names, scored by the time
  their watch lapses. Consumers refresh it every HEARTBEAT seconds; a poller stops at the first
  tick that finds it empty.
- ``lock:<project>:<topic>``: the id of the one poller chain running for that topic. Whoever
  sets it (SET NX) starts the chain; a chain whose id is no longer there stops.
- ``cred:<project>:<family>``: the credentials a poller acts with: a current watcher's
  `Credentials.project_scoped()` (dashboard.cloud.credentials, stored with `to_dict()` and its
  owner's channel name), so a Keystone token scoped to exactly that project (it can see nothing
  else; the watcher's unscoped token never comes here), the freshest among the watchers, sealed
  as the session keeps it (sessions.connection_for opens it). Kept for CRED_TTL seconds past the
  last heartbeat of its owner, dropped when its owner leaves or when the cloud answers 401.
  ``family`` is "member" for project-wide topics, "admin" for topics that need the admin role
  (diagnostics).
- ``since:``, ``seen:``, ``lookback:``, ``last:``, ``diag:`` and ``requests:`` keys: the pollers'
  own memory (see dashboard.live.pollers).
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

from dashboard import redis_client
from dashboard.cloud.credentials import Credentials

PREFIX = f"{settings.REDIS_PREFIX}:live:"
HEARTBEAT = 5  # seconds between a consumer's refreshes of its watches
WATCH_TTL = 3 * HEARTBEAT  # a watcher that stopped refreshing is gone after this
CRED_TTL = 3 * HEARTBEAT

r = redis_client.client  # the process's one client for Zenith's own keys


def key(*parts: str) -> str:
    return PREFIX + ":".join(parts)


def group_name(project_id: str, topic: str) -> str:
    """The channel group of a topic; only members of the project's current session join it."""
    return f"project.{project_id}.{topic}"


# --- watchers ----------------------------------------------------------------------------------
def watch(project_id: str, topic: str, channel: str) -> None:
    k = key("watchers", project_id, topic)
    pipe = r().pipeline()
    pipe.zadd(k, {channel: time.time() + WATCH_TTL})
    pipe.expire(k, WATCH_TTL * 2)
    pipe.execute()


def unwatch(project_id: str, topic: str, channel: str) -> None:
    r().zrem(key("watchers", project_id, topic), channel)


def watcher_count(project_id: str, topic: str) -> int:
    k = key("watchers", project_id, topic)
    pipe = r().pipeline()
    pipe.zremrangebyscore(k, "-inf", time.time())
    pipe.zcard(k)
    return pipe.execute()[1]


# --- the poller's credentials ------------------------------------------------------------------
def offer_credentials(project_id: str, family: str, channel: str, credentials: Credentials) -> None:
    """A watcher offers its session's project-scoped token; the freshest one is kept."""
    if credentials.project_id != project_id or not credentials.token:
        return
    k = key("cred", project_id, family)
    current = r().get(k)
    if current:
        held = json.loads(current)
        if held.get("owner") != channel and held.get("expires_at", "") >= credentials.expires_at:
            return
    ttl = min(CRED_TTL, _seconds_left(credentials.expires_at))
    if ttl <= 0:
        return
    r().set(k, json.dumps({"owner": channel, **credentials.project_scoped().to_dict()}), ex=ttl)


def withdraw_credentials(project_id: str, family: str, channel: str) -> None:
    k = key("cred", project_id, family)
    current = r().get(k)
    if current and json.loads(current).get("owner") == channel:
        r().delete(k)


def credentials(project_id: str, family: str) -> Credentials | None:
    value = r().get(key("cred", project_id, family))
    if not value:
        return None
    held = Credentials.from_dict(json.loads(value))
    if _seconds_left(held.expires_at) <= 0 or held.project_id != project_id:
        return None
    return held


def drop_credentials(project_id: str, family: str, token: str) -> None:
    """The cloud refused this token (401): forget it, a watcher's next heartbeat offers another."""
    k = key("cred", project_id, family)
    current = r().get(k)
    if current and json.loads(current).get("token") == token:
        r().delete(k)


def _seconds_left(iso: str | None) -> int:
    if not iso:
        return 0
    return int((datetime.fromisoformat(iso) - datetime.now(UTC)).total_seconds())


# --- poller chains -----------------------------------------------------------------------------
def claim_poller(project_id: str, topic: str, lock_ttl: int) -> str | None:
    """Start-of-chain: returns a chain id when no poller runs for this topic, else None."""
    chain = uuid.uuid4().hex
    if r().set(key("lock", project_id, topic), chain, nx=True, ex=lock_ttl):
        return chain
    return None


def still_owner(project_id: str, topic: str, chain: str, lock_ttl: int) -> bool:
    k = key("lock", project_id, topic)
    if r().get(k) != chain:
        return False
    r().expire(k, lock_ttl)
    return True


def release_poller(project_id: str, topic: str, chain: str) -> None:
    k = key("lock", project_id, topic)
    if r().get(k) == chain:
        r().delete(k)


def count_request(project_id: str, topic: str, n: int = 1) -> None:
    """Cloud requests made by pollers, per topic (read by bench/live_latency.py)."""
    k = key("requests", project_id, topic)
    pipe = r().pipeline()
    pipe.incrby(k, n)
    pipe.expire(k, 3600)
    pipe.execute()


def request_count(project_id: str, topic: str) -> int:
    return int(r().get(key("requests", project_id, topic)) or 0)
