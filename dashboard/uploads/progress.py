"""Uploads in Redis: what each one sends where, how far it got, and whether it was cancelled.

Keys under ``<DASHBOARD_REDIS_PREFIX>:uploads:`` (with a TTL; a finished upload is kept
FINISHED_TTL seconds so the list can say how it ended):
- ``<upload id>``: a hash (kind, project_id, user_id, target_id, name, total, done, state,
  message, started, updated);
- ``project:<project id>``: the set of the project's upload ids;
- ``dismissed:<user id>``: the ended uploads the user took off their panel (a set);
- ``user:<user id>``: the user's uploads being sent (a sorted set, each scored with the time its
  lease ends: renewed at every progress write, so an upload whose process died stops counting
  after LEASE seconds), for DASHBOARD_UPLOADS_PER_USER.
States: ready (registered, no byte yet), sending, done, failed, cancelling (asked to stop),
cancelled. Leaving "ready" is atomic (a Lua script in Redis: read and change at once): exactly one
PUT of an upload claims it (`claim`), and a cancel races neither a PUT nor another cancel
(`cancel`).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy
from redis.commands.core import Script

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


def lease_seconds() -> float:
    """How long a sending upload counts for its user without a progress write: a live upload writes
    whenever the cloud takes a block, and waits at most the idle time for its client or the cloud
    timeout for the cloud."""
    return (settings.UPLOAD_IDLE_SECONDS or 3600) + settings.OPENSTACK_TIMEOUT + 60


def update(upload: Upload, **fields) -> None:
    """Change an upload's fields (state, done, message, started); ended ones expire soon and stop
    counting for their user."""
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.updated = time.time()
    pipe = r().pipeline()
    pipe.hset(key(upload.id), mapping={**{k: v for k, v in fields.items()}, "updated": upload.updated})
    pipe.expire(key(upload.id), TTL if upload.active else FINISHED_TTL)
    if upload.active:
        pipe.zadd(key("user", upload.user_id), {upload.id: upload.updated + lease_seconds()}, xx=True)
    else:
        pipe.zrem(key("user", upload.user_id), upload.id)
    pipe.execute()


def state_of(upload_id: str) -> str:
    return r().hget(key(upload_id), "state") or ""


_scripts: dict[str, Script] = {}


def _script(source: str) -> Script:
    """A Lua script registered with the process's client (Redis runs it atomically)."""
    client = r()
    script = _scripts.get(source)
    if script is None or script.registered_client is not client:
        script = _scripts[source] = client.register_script(source)
    return script


# KEYS[1]: the upload's hash, KEYS[2]: its user's sending uploads. ARGV: now, total, per_user,
# lease end, upload id, TTL. The upload goes from ready to sending and joins its user's set, or
# nothing changes.
_CLAIM = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'gone' end
if state ~= 'ready' then return 'taken' end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local per_user = tonumber(ARGV[3])
if per_user > 0 and redis.call('ZCARD', KEYS[2]) >= per_user then return 'full' end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[1], 'state', 'sending', 'started', ARGV[1], 'updated', ARGV[1], 'total', ARGV[2])
return 'ok'
"""


def claim(upload: Upload, total: int, per_user: int = 0) -> str:
    """Start sending a ready upload, atomically: "ok" to exactly one caller; "taken" when it has
    already started or ended (another PUT claimed it, or it was cancelled), "gone" when its record
    has expired, "full" when its user already sends `per_user` uploads (0: no limit; the upload
    stays ready, to be sent later)."""
    now = time.time()
    args = [now, max(0, int(total)), max(0, int(per_user)), now + lease_seconds(), upload.id, TTL]
    answer = _script(_CLAIM)(keys=[key(upload.id), key("user", upload.user_id)], args=args)
    if answer == "ok":
        upload.state, upload.started, upload.updated, upload.total = "sending", now, now, max(0, int(total))
    return answer


# KEYS[1]: the upload's hash. ARGV: message, now, FINISHED_TTL. Answers the state before.
_CANCEL = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'ready' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'message', ARGV[1], 'updated', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
elseif state == 'sending' then
  redis.call('HSET', KEYS[1], 'state', 'cancelling')
end
return state or ''
"""


def cancel(upload_id: str, message: str = "") -> str:
    """Cancel an upload, atomically; answers its state before. A ready one ends here (cancelled,
    with `message`: no PUT can claim it any more, so the caller may remove its target); a sending
    one is asked to stop (cancelling: its PUT stops at its next block and cleans up); any other is
    left as it is."""
    return _script(_CANCEL)(keys=[key(upload_id)], args=[message, time.time(), FINISHED_TTL]) or ""


NOT_YOURS = gettext_lazy("Only the user who started this upload, or a cloud administrator, can cancel it.")


def may_cancel(upload: Upload, user) -> bool:
    """Whether `user` (Credentials) may cancel the upload: the user who started it (its user_id,
    recorded by `begin`), or a cloud administrator. The project is the caller's check."""
    return bool(user.user_id) and (upload.user_id == user.user_id or user.is_admin)


def dismiss(user_id: str, upload_ids: list[str]) -> None:
    """Take ended uploads off this user's panel (the project's other members still see them until
    their records expire): the caller checks they have ended."""
    if not upload_ids:
        return
    pipe = r().pipeline()
    pipe.sadd(key("dismissed", user_id), *upload_ids)
    pipe.expire(key("dismissed", user_id), TTL)
    pipe.execute()


def of_project(project_id: str, kind: str | None = None, shown_to: str = "") -> list[Upload]:
    """The project's uploads still in Redis (running, or ended a few minutes ago), oldest first;
    a panel passes its kind (every panel's uploads share the project's set), and the user whose
    panel it is (`shown_to`: those they dismissed are left out)."""
    ids = r().smembers(key("project", project_id))
    if shown_to:
        ids -= r().smembers(key("dismissed", shown_to))
    ids = sorted(ids)
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
