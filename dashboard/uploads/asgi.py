"""The ASGI route ahead of Django that streams upload bodies to the cloud (see dashboard.uploads).

`PUT /uploads/<kind>/<upload id>/`: checks the Django session, the CSRF token (X-CSRFToken
header), the Origin and the upload's owner and project, then runs the kind's sender in a thread
with an iterator of body blocks pulled from ASGI `receive` as the cloud consumes them. The answer
is JSON: {"state": "done", "bytes": n} or {"error": kind, "message": text} as the API's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from http.cookies import SimpleCookie
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.middleware.csrf import InvalidTokenFormat, _check_token_format, _does_token_match
from django.utils.translation import gettext as _

from dashboard.cloud import CloudError, SessionExpired, keystone

from . import KINDS, progress

log = logging.getLogger(__name__)

PATH = re.compile(r"^/uploads/(?P<kind>[a-z-]{1,32})/(?P<upload_id>[A-Za-z0-9_-]{16,64})/$")
BLOCK = 1024 * 1024  # bytes handed to the cloud at once: memory holds about two of them
PROGRESS_EVERY = 0.5  # seconds between progress writes (and cancel checks) in Redis ...
CHECK_BLOCKS = 16  # ... or this many blocks, whichever comes first


class Stopped(Exception):
    """The upload stopped before its end: cancelled by the user, or the client went away."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class UploadRouter:
    """ASGI middleware: upload PUTs are answered here, everything else goes to `app` (Django)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/uploads/"):
            return await handle(scope, receive, send)
        return await self.app(scope, receive, send)


async def answer(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def refusal(kind: str, message: str) -> dict:
    return {"error": kind, "message": message}


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _origin_ok(scope, headers: dict[str, str]) -> bool:
    """The Host is one Zenith answers to, and an Origin, when sent, is this site (as Django checks)."""
    host = headers.get("host", "")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    proxied = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and headers.get("x-forwarded-proto") == "https"
    scheme = "https" if proxied else scope["scheme"]
    return origin == f"{scheme}://{host}" or origin in settings.CSRF_TRUSTED_ORIGINS


def _csrf_ok(cookies: SimpleCookie, headers: dict[str, str]) -> bool:
    secret = cookies.get(settings.CSRF_COOKIE_NAME)
    token = headers.get("x-csrftoken", "")
    if secret is None or not token:
        return False
    try:
        _check_token_format(secret.value)
        _check_token_format(token)
    except InvalidTokenFormat:
        return False
    return _does_token_match(token, secret.value)


def _session(session_key: str) -> dict:
    engine = import_module(settings.SESSION_ENGINE)
    return dict(engine.SessionStore(session_key).get("keystone") or {})


async def handle(scope, receive, send) -> None:
    match = PATH.match(scope["path"])
    if match is None or match["kind"] not in KINDS:
        return await answer(send, 404, refusal("not_found", _("No such upload.")))
    if scope["method"] != "PUT":
        return await answer(send, 405, refusal("bad_request", _("Send the file with PUT.")))
    headers = _headers(scope)
    cookies = SimpleCookie()
    try:
        cookies.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no session
        cookies = SimpleCookie()
    if not _origin_ok(scope, headers) or not _csrf_ok(cookies, headers):
        return await answer(send, 403, refusal("forbidden", _("CSRF check failed: reload the page and try again.")))
    session_cookie = cookies.get(settings.SESSION_COOKIE_NAME)
    stored = await sync_to_async(_session, thread_sensitive=False)(session_cookie.value) if session_cookie else {}
    if not stored.get("token") or keystone.is_expired(stored.get("expires_at")):
        return await answer(send, 401, refusal("session_expired", _("Your session has expired. Log in again.")))
    upload = await sync_to_async(progress.get, thread_sensitive=False)(match["upload_id"])
    if (
        upload is None
        or upload.kind != match["kind"]
        or upload.project_id != stored.get("project_id")
        or upload.user_id != stored.get("user_id")
    ):
        return await answer(send, 404, refusal("not_found", _("No such upload in your current project.")))
    if upload.state != "ready":
        return await answer(send, 409, refusal("conflict", _("This upload has already started or ended.")))
    try:
        length = int(headers.get("content-length", "") or 0)
    except ValueError:
        length = 0
    body = Body(receive, asyncio.get_running_loop(), upload, length or upload.total)
    status, result = await asyncio.to_thread(run, KINDS[match["kind"]], stored, upload, body)
    await answer(send, status, result)


class Body:
    """The request body as blocks for a sender thread, pulled from `receive` only when wanted."""

    def __init__(self, receive, loop, upload: progress.Upload, total: int):
        self.receive = receive
        self.loop = loop
        self.upload = upload
        self.total = total
        self.more = True
        self.done = 0

    async def next_block(self) -> bytearray:
        block = bytearray()
        while self.more and len(block) < BLOCK:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise Stopped("disconnected")
            block += message.get("body", b"")
            self.more = message.get("more_body", False)
        return block

    def blocks(self):
        """The body block by block (runs in the sender's thread); progress and cancel checked
        every PROGRESS_EVERY seconds or CHECK_BLOCKS blocks."""
        checked, blocks = 0.0, 0
        while self.more:
            now = time.monotonic()
            blocks += 1
            if now - checked >= PROGRESS_EVERY or blocks % CHECK_BLOCKS == 0:
                checked = now
                if progress.state_of(self.upload.id) == "cancelling":
                    raise Stopped("cancelled")
                progress.update(self.upload, done=self.done)
            block = asyncio.run_coroutine_threadsafe(self.next_block(), self.loop).result()
            self.done += len(block)
            if block:
                yield block


def run(kind, stored: dict, upload: progress.Upload, body: Body) -> tuple[int, dict]:
    """Send the body with the kind's sender; on any failure, undo the target. (status, JSON)."""
    from dashboard.cloud.sessions import connection_from_stored
    from dashboard.live import tasks as live_tasks

    conn = connection_from_stored(stored)
    progress.update(upload, state="sending", started=time.time(), total=body.total)
    try:
        kind.send(conn, upload, body.blocks())
    except Exception as exc:  # noqa: BLE001 - every way out of a half upload cleans up
        stopped = exc if isinstance(exc, Stopped) else _stopped_cause(exc)
        if stopped is not None:
            state, status = "cancelled", 499
            message = _("Upload cancelled; the unfinished target was removed.")
            if stopped.why == "disconnected":
                message = _("The upload was cut off before its end; the unfinished target was removed.")
            err = refusal("cancelled", message)
        elif isinstance(exc, CloudError):
            state, status = "failed", exc.status
            err = refusal(exc.kind, exc.message)
        elif isinstance(exc, SessionExpired):
            state, status = "failed", 401
            err = refusal("session_expired", _("Your session has expired. Log in again."))
        else:
            log.exception("upload %s failed", upload.id)
            state, status = "failed", 502
            err = refusal("error", _("The upload failed: %(reason)s") % {"reason": type(exc).__name__})
        try:
            kind.abandon(conn, upload)
        except Exception as cleanup_err:  # noqa: BLE001 - the answer says the cleanup failed
            log.warning("upload %s: cleanup failed: %s", upload.id, type(cleanup_err).__name__)
            err["message"] += " " + _("Cleaning up failed too: %(reason)s") % {
                "reason": getattr(cleanup_err, "message", "")
            }
        progress.update(upload, state=state, done=body.done, message=err["message"])
        return status, err
    progress.update(upload, state="done", done=body.done, message="")
    live_tasks.announce(upload.project_id, upload.kind, [upload.target_id])
    return 200, {"state": "done", "bytes": body.done, "target_id": upload.target_id}


def _stopped_cause(exc: BaseException) -> Stopped | None:
    """A Stopped raised inside the HTTP library arrives wrapped (requests, urllib3, keystoneauth)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Stopped):
            return exc
        seen.add(id(exc))
        exc = (
            exc.__cause__
            or exc.__context__
            or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
        )
    return None
