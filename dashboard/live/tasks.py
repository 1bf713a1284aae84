"""Celery side of live updates: the pollers (tick by tick) and waiting for a launched instance.

A poller chain is a task that polls once and schedules its next tick, so no worker slot is held
while it waits; many projects' pollers share a small worker pool. The chain for a topic is
started by the first websocket consumer that watches it (``ensure_poller``) and stops at the
first tick that finds nobody watching. Pollers act with a watcher's own project-scoped token
(see dashboard.live.state: never a token wider than that project).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer

from dashboard.cloud import CloudError, SessionExpired, instances
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.sessions import connection_for

from . import pollers, state

log = logging.getLogger(__name__)

WATCH_INSTANCE_FOR = 15 * 60  # seconds a launched instance is followed at most
_connections: OrderedDict[str, object] = OrderedDict()


def _connection(cred: Credentials):
    """One connection per token per worker process (keeps HTTP connections warm)."""
    token = cred.token
    conn = _connections.get(token)
    if conn is None:
        conn = connection_for(cred)
        _connections[token] = conn
        while len(_connections) > 32:
            _connections.popitem(last=False)
    else:
        _connections.move_to_end(token)
    return conn


def publish(project_id: str, topic: str, payloads: list[dict]) -> None:
    """Send messages to the topic's group: every watcher of that project, nobody else."""
    if not payloads:
        return
    layer = get_channel_layer()
    group = state.group_name(project_id, topic)

    async def send_all():
        for payload in payloads:
            await layer.group_send(
                group, {"type": "live.message", "project": project_id, "topic": topic, "payload": payload}
            )

    async_to_sync(send_all)()


def announce(project_id: str, kind: str, resource_ids: list[str]) -> None:
    """Zenith itself just changed these resources of a live kind (an upload ended, objects were
    deleted or copied): their watchers read the rows again now, not when the kind's poller next sees
    the change. Swift's account listing, which the containers poller reads, follows object writes
    only at its container-updater's next sweep (tens of seconds on a busy cloud). Best effort: a
    channel layer that cannot be reached leaves it to the poller."""
    version = uuid.uuid4().hex[:16]
    payloads = [
        {"kind": kind, "id": rid, "op": "upsert", "status": "", "v": version} for rid in dict.fromkeys(resource_ids)
    ]
    try:
        publish(project_id, kind, payloads)
    except Exception as exc:  # noqa: BLE001 - the change itself succeeded; the poller catches up
        log.warning("live: could not announce %s changes: %s", kind, type(exc).__name__)


def ensure_poller(project_id: str, topic: str) -> bool:
    """Start the topic's poller unless one runs; called on subscribe and on every heartbeat."""
    kind, _ = pollers.parse_topic(topic)
    chain = state.claim_poller(project_id, topic, kind.lock_ttl)
    if chain is None:
        return False
    try:
        poll.delay(project_id, topic, chain)
    except Exception:  # noqa: BLE001 - broker down: free the lock so the next heartbeat retries
        state.release_poller(project_id, topic, chain)
        log.exception("could not start the %s poller", topic)
        return False
    return True


@shared_task(ignore_result=True)
def poll(project_id: str, topic: str, chain: str) -> None:
    """One tick of a topic's poller; schedules the next while anyone watches."""
    kind, object_id = pollers.parse_topic(topic)
    started = time.monotonic()
    if not state.still_owner(project_id, topic, chain, kind.lock_ttl):
        return
    if state.watcher_count(project_id, topic) == 0:
        state.release_poller(project_id, topic, chain)
        # a watcher may have arrived between the count and the release
        if not state.watcher_count(project_id, topic):
            return
        chain = state.claim_poller(project_id, topic, kind.lock_ttl)
        if chain is None:
            return
    cred = state.credentials(project_id, kind.family)
    if cred is not None:
        try:
            payloads = pollers.POLLERS[kind.name](_connection(cred), project_id, object_id)
            publish(project_id, topic, payloads)
        except SessionExpired:
            state.drop_credentials(project_id, kind.family, cred.token)
            _connections.pop(cred.token, None)
        except CloudError as err:
            log.warning("live %s poll for project %s failed: %s", topic, project_id, err.message)
        except Exception:  # noqa: BLE001 - one failed tick must not end the chain
            log.exception("live %s poll for project %s failed", topic, project_id)
    delay = max(0.05, kind.interval - (time.monotonic() - started))
    poll.apply_async((project_id, topic, chain), countdown=delay)


@shared_task(ignore_result=True)
def watch_instance(project_id: str, server_id: str, started: float | None = None, last_status: str = "") -> None:
    """Follow a just-launched instance until it is ACTIVE (or ERROR, or gone) and push its row.

    For the launch form: ``watch_instance.delay(project_id, server.id)`` right after the create
    call. Each status change is sent to the project's "instances" group, so open instance lists
    show the row without waiting for the next poll. It acts with the token of a current watcher
    of the project; with nobody watching there is nobody to tell, and it stops.
    """
    started = started or time.time()
    cred = state.credentials(project_id, "member")
    if cred is None or time.time() - started > WATCH_INSTANCE_FOR:
        return
    conn = _connection(cred)
    try:
        server = instances.get_server_body(conn, server_id)
    except CloudError as err:
        if err.kind == "not_found":
            publish(project_id, "instances", [{"kind": "instances", "id": server_id, "op": "delete"}])
        return
    except SessionExpired:
        state.drop_credentials(project_id, "member", cred.token)
        return
    status = server.get("status", "")
    task_state = server.get("OS-EXT-STS:task_state") or ""
    current = f"{status}/{task_state}"
    if current != last_status:
        state.r().hset(state.key("seen", project_id, "instances"), server_id, pollers.fingerprint(server))
        publish(
            project_id,
            "instances",
            [{"kind": "instances", "id": server_id, "op": "upsert", "status": status, "task_state": task_state}],
        )
    if status in ("ACTIVE", "ERROR", "SHUTOFF", "DELETED"):
        return
    watch_instance.apply_async((project_id, server_id, started, current), countdown=1)
