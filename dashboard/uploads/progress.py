"""Uploads in Redis: what each one sends where, how far it got, and whether it was cancelled.

Keys under ``<DASHBOARD_REDIS_PREFIX>:uploads:`` (with a TTL; a finished upload is kept
FINISHED_TTL seconds so the list can say how it ended):
- ``<upload id>``: a hash (kind, project_id, user_id, target_id, name, total, done, state,
  message, started, updated);
- ``project:<project id>``: the set of the project's upload ids.
States: ready (registered, no byte yet), sending, done, failed, cancelling (asked to stop),
cancelled.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings

from dashboard import redis_client

TTL = 24 * 3600  # an upload's record lives at most a day
FINISHED_TTL = 600
ACTIVE = ("ready", "sending", "cancelling")

r = redis_client.client  # the process's one client for Zenith's own keys


def key(*parts: str) -> str:
    return f"{settings.REDIS_PREFIX}:uploads:" + ":".join(parts)


@dataclass
class Upload:
    id: str
    kind: str
    project_id: str
    user_id: str
    target_id: str
    name: str = ""
    total: int = 0  # bytes the browser announced (0: unknown)
    done: int = 0
    state: str = "ready"
    message: str = ""
    started: float = 0.0
    updated: float = 0.0

    @property
    def url(self) -> str:
        return f"/uploads/{self.kind}/{self.id}/"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.state == "done" else 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def rate(self) -> float:
        """Bytes a second since the first byte."""
        elapsed = (self.updated or time.time()) - self.started
        return self.done / elapsed if self.started and elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> int | None:
        if not self.total or not self.rate:
            return None
        return int(max(0, self.total - self.done) / self.rate)


def _from_hash(upload_id: str, h: dict) -> Upload | None:
    if not h or not h.get("kind"):
        return None
    return Upload(
        id=upload_id,
        kind=h["kind"],
        project_id=h.get("project_id", ""),
        user_id=h.get("user_id", ""),
        target_id=h.get("target_id", ""),
        name=h.get("name", ""),
        total=int(h.get("total") or 0),
        done=int(h.get("done") or 0),
        state=h.get("state", "ready"),
        message=h.get("message", ""),
        started=float(h.get("started") or 0),
        updated=float(h.get("updated") or 0),
    )


def begin(kind: str, project_id: str, user_id: str, target_id: str, name: str = "", total: int = 0) -> Upload:
    """Register an upload about to start; its id is unguessable (it is also in its PUT address)."""
    upload = Upload(secrets.token_urlsafe(18), kind, project_id, user_id, target_id, name, max(0, int(total)))
    pipe = r().pipeline()
    pipe.hset(
        key(upload.id),
        mapping={
            "kind": kind,
            "project_id": project_id,
            "user_id": user_id,
            "target_id": target_id,
            "name": name,
            "total": upload.total,
            "done": 0,
            "state": "ready",
            "message": "",
            "started": 0,
            "updated": time.time(),
        },
    )
    pipe.expire(key(upload.id), TTL)
    pipe.sadd(key("project", project_id), upload.id)
    pipe.expire(key("project", project_id), TTL)
    pipe.execute()
    return upload


def get(upload_id: str) -> Upload | None:
    return _from_hash(upload_id, r().hgetall(key(upload_id)))


def update(upload: Upload, **fields) -> None:
    """Change an upload's fields (state, done, message, started); ended ones expire soon."""
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.updated = time.time()
    pipe = r().pipeline()
    pipe.hset(key(upload.id), mapping={**{k: v for k, v in fields.items()}, "updated": upload.updated})
    pipe.expire(key(upload.id), TTL if upload.active else FINISHED_TTL)
    pipe.execute()


def state_of(upload_id: str) -> str:
    return r().hget(key(upload_id), "state") or ""


def cancel(upload_id: str) -> None:
    """Ask a running upload to stop (it does at its next block)."""
    r().hset(key(upload_id), "state", "cancelling")


def of_project(project_id: str, kind: str | None = None) -> list[Upload]:
    """The project's uploads still in Redis (running, or ended a few minutes ago), oldest first;
    a panel passes its kind (every panel's uploads share the project's set)."""
    ids = sorted(r().smembers(key("project", project_id)))
    if not ids:
        return []
    pipe = r().pipeline()
    for upload_id in ids:
        pipe.hgetall(key(upload_id))
    found = [_from_hash(i, h) for i, h in zip(ids, pipe.execute(), strict=True)]
    gone = [i for i, u in zip(ids, found, strict=True) if u is None]
    if gone:
        r().srem(key("project", project_id), *gone)
    mine = (u for u in found if u is not None and u.project_id == project_id and kind in (None, u.kind))
    return sorted(mine, key=lambda u: u.updated)
