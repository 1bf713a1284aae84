"""The ASGI route ahead of Django that streams upload bodies to the cloud (see dashboard.uploads).

`PUT /uploads/<kind>/<upload id>/`: checks the Django session, the CSRF token (X-CSRFToken
header), the Origin and the upload's owner and project, claims the upload (one PUT only, and at
most DASHBOARD_UPLOADS_PER_USER of a user's at once), then runs the kind's sender in one of the
process's upload threads (`Transfers`: DASHBOARD_UPLOAD_THREADS of them, not the event loop's
default executor, which downloads and websockets need) with an iterator of body blocks pulled
from ASGI `receive` as the cloud consumes them; a client that sends no byte for
DASHBOARD_UPLOAD_IDLE_SECONDS is given up (408) and the target cleaned up. When the process
stops (SIGTERM: dashboard.asgi.Lifespan calls `stop_all`), running uploads stop at once, answer
503 and clean up their targets too. The answer is JSON: {"state": "done", "bytes": n} or
{"error": kind, "message": text, "request_id": id} as the API's. Every answer carries the
request's `X-Request-ID`, and a PUT writes its operation-log line (`<kind>.upload_send`,
dashboard.oplog) once answered, however it ended.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import json
import logging
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.accounts.state import credentials_in_store
from dashboard.accounts.throttle import client_address
from dashboard.cloud import CloudError, SessionExpired, failures
from dashboard.cloud.credentials import Credentials
from dashboard.guards import origin_allowed
from dashboard.metrics import instruments as metrics
from dashboard.oplog import entry, ids
from dashboard.oplog import log as oplog

from . import KINDS, progress

log = logging.getLogger(__name__)

PATH = re.compile(r"^/uploads/(?P<kind>[a-z-]{1,32})/(?P<upload_id>[A-Za-z0-9_-]{16,64})/$")
BLOCK = 1024 * 1024  # bytes handed to the cloud at once: memory holds about two of them
PROGRESS_EVERY = 0.5  # seconds between progress writes (and cancel checks) in Redis ...
CHECK_BLOCKS = 16  # ... or this many blocks, whichever comes first
RETRY_AFTER = 5  # seconds a refused upload (too many running) is told to wait before trying again


class Stopped(Exception):
    """The upload stopped before its end: cancelled by the user, the client went away, it sent
    nothing for DASHBOARD_UPLOAD_IDLE_SECONDS ("idle"), or the process is stopping ("shutdown")."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class Transfers:
    """The threads that send uploads to the cloud, `size` of them, apart from the event loop's
    default executor: a sender waits on its client (up to DASHBOARD_UPLOAD_IDLE_SECONDS) and on
    the cloud, and stalled uploads must not take the threads that downloads' chunks, websocket
    consumers and this route's own checks run in. An upload is sent only once a thread is
    reserved for it (`reserve`), so none waits in a queue with its client's body unread."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self.executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="zenith-upload")
        self._free = threading.BoundedSemaphore(self.size)

    def reserve(self) -> bool:
        """Reserve a thread (False: all busy); `run` or `release` gives it back."""
        return self._free.acquire(blocking=False)

    def release(self) -> None:
        self._free.release()

    def submit(self, fn, *args) -> concurrent.futures.Future:
        """fn(*args) started in the reserved thread; the thread is given back when fn ends."""
        future = self.executor.submit(fn, *args)
        future.add_done_callback(lambda _: self.release())
        return future

    async def run(self, fn, *args):
        """fn(*args) in the reserved thread, awaited."""
        return await asyncio.wrap_future(self.submit(fn, *args))


_transfers: Transfers | None = None
_transfers_lock = threading.Lock()


def transfers() -> Transfers:
    """The process's upload threads, made at first use (made again if DASHBOARD_UPLOAD_THREADS
    changed, as tests do; the old threads finish their uploads and end)."""
    global _transfers
    with _transfers_lock:
        if _transfers is None or _transfers.size != max(1, settings.UPLOAD_THREADS):
            if _transfers is not None:
                _transfers.executor.shutdown(wait=False)
            _transfers = Transfers(settings.UPLOAD_THREADS)
        return _transfers


# the uploads this process is sending, with their sender's future: stopped when the process stops
_sending: dict[Body, concurrent.futures.Future] = {}
_sending_lock = threading.Lock()


def stop_all(why: str = "shutdown") -> list[concurrent.futures.Future]:
    """Stop every upload this process is sending at its next block (call in the event loop): each
    answers, cleans up its target (`run`) and gives its thread back. Their senders' futures."""
    with _sending_lock:
        running = dict(_sending)
    for body in running:
        body.stop(why)
    return list(running.values())


async def stop_all_and_wait(timeout: float) -> int:
    """`stop_all`, then wait until their clean-ups are done, `timeout` seconds at most; how many
    were still running then."""
    futures = stop_all()
    if not futures:
        return 0
    _, pending = await asyncio.wait([asyncio.wrap_future(f) for f in futures], timeout=timeout)
    return len(pending)


class UploadRouter:
    """ASGI middleware: upload PUTs are answered here, everything else goes to `app` (Django)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/uploads/"):
            return await logged(scope, receive, send)
        return await self.app(scope, receive, send)


async def logged(scope, receive, send) -> None:
    """`handle`, its answer with the request's id, (a PUT) its operation-log line, and the request
    counted with the pages' (dashboard.metrics): under "uploads:<kind>", its time the whole
    transfer's, its status "other" when the client went away before any answer."""
    request_id = ids.of_scope(scope)
    answered: dict = {}
    facts: dict = {"failures": []}
    wall, started = time.time(), time.perf_counter()
    try:
        await handle(scope, receive, ids.sending_id(send, request_id, answered), facts)
    finally:
        if settings.METRICS:
            metrics.request_done(
                upload_view(scope["path"]), scope["method"], answered.get("status") or 0, time.perf_counter() - started
            )
        if scope["method"] == "PUT" and oplog.enabled():
            duration = (time.perf_counter() - started) * 1000
            try:
                oplog.write(upload_line(scope, request_id, wall, duration, answered.get("status"), facts))
            except Exception:  # noqa: BLE001 - the upload is answered; a line that cannot be made is logged
                log.exception("upload %s: no operation-log line", scope["path"][:200])


def upload_view(path: str) -> str:
    """The view an upload request is counted under: its registered kind, never its upload id."""
    match = PATH.match(path)
    return f"uploads:{match['kind']}" if match and match["kind"] in KINDS else "uploads:unmatched"


def upload_line(scope, request_id: str, wall: float, duration_ms: float, status: int | None, facts: dict) -> dict:
    """The operation-log line of an upload PUT (docs/operation-log.md): `status` None when the
    client went away before any answer."""
    credentials = facts.get("credentials")
    user = credentials if credentials is not None and credentials.is_authenticated else None
    match = PATH.match(scope["path"])
    upload = facts.get("upload")
    errors = [entry.cloud_error(error) for error in facts["failures"]]
    targets = {"upload_id": match["upload_id"]} if match else {}
    if upload is not None:
        targets["target_id"] = upload.target_id
    return entry.line(
        time=oplog.utc_iso(wall),
        request_id=request_id,
        user=user.username if user else None,
        user_id=user.user_id if user else None,
        domain=(user.domain if user else "") or None,
        project=(user.project_name if user else "") or None,
        project_id=(user.project_id if user else "") or None,
        auth="session" if user else None,
        client=client_address(ASGIRequest(scope, io.BytesIO())),
        method=scope["method"],
        route="uploads",
        path=scope["path"][: entry.MAX_PATH],
        action=f"{match['kind']}.upload_send" if match and match["kind"] in KINDS else None,
        targets=entry.redacted(targets),
        status=status,
        ok=status is not None and status < 400 and not errors,
        cloud_errors=errors,
        duration_ms=round(duration_ms, 1),
    )


async def answer(send, status: int, body: dict, retry_after: int = 0) -> None:
    data = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if retry_after:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def refusal(kind: str, message: str) -> dict:
    return {"error": kind, "message": message}


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def csrf_ok(request: ASGIRequest) -> bool:
    """Django's own CSRF check, as every view gets it (the CSRF cookie and the X-CSRFToken header:
    present, well formed and matching; an Origin, when sent, this site's): CsrfViewMiddleware
    answers None to a request it lets through, a 403 page (not used here) to one it refuses."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


async def handle(scope, receive, send, facts: dict | None = None) -> None:
    """Answer one request of the route; `facts` gets its "credentials", its "upload" and the cloud
    failures of its sending ("failures", a list) for the operation log."""
    facts = {"failures": []} if facts is None else facts
    match = PATH.match(scope["path"])
    if match is None or match["kind"] not in KINDS:
        return await answer(send, 404, refusal("not_found", _("No such upload.")))
    if scope["method"] != "PUT":
        return await answer(send, 405, refusal("bad_request", _("Send the file with PUT.")))
    headers = _headers(scope)
    # the request's headers and cookies as Django reads them; its body is read below, block by block
    request = ASGIRequest(scope, io.BytesIO())
    same_site = origin_allowed(scope, allow_missing=True)
    if not same_site or not await sync_to_async(csrf_ok, thread_sensitive=False)(request):
        return await answer(send, 403, refusal("forbidden", _("CSRF check failed: reload the page and try again.")))
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    credentials = facts["credentials"] = await sync_to_async(credentials_in_store, thread_sensitive=False)(session_key)
    if not credentials.has_live_token:
        return await answer(send, 401, refusal("session_expired", _("Your session has expired. Log in again.")))
    upload = await sync_to_async(progress.get, thread_sensitive=False)(match["upload_id"])
    if upload is not None and upload.user_id == credentials.user_id:
        facts["upload"] = upload
    if (
        upload is None
        or upload.kind != match["kind"]
        or upload.project_id != credentials.project_id
        or upload.user_id != credentials.user_id
    ):
        return await answer(send, 404, refusal("not_found", _("No such upload in your current project.")))
    try:
        length = int(headers.get("content-length", "") or 0)
    except ValueError:
        length = 0
    # a thread of the process's upload threads is reserved first (none free: 503, nothing claimed);
    # then one PUT only claims the upload: the record goes from ready to sending atomically, so a
    # second PUT of the same address (another tab, a retry) is refused here and never cleans up the
    # target; in the same step, a user sends at most DASHBOARD_UPLOADS_PER_USER at once (429)
    pool = transfers()
    if not pool.reserve():
        busy = _("Zenith is busy sending other uploads: try again in a moment.")
        return await answer(send, 503, refusal("unavailable", busy), retry_after=RETRY_AFTER)
    per_user = settings.UPLOADS_PER_USER
    try:
        claimed = await sync_to_async(progress.claim, thread_sensitive=False)(upload, length or upload.total, per_user)
    except BaseException:
        pool.release()
        raise
    if claimed != "ok":
        pool.release()
    if claimed == "gone":
        return await answer(send, 404, refusal("not_found", _("No such upload in your current project.")))
    if claimed == "full":
        message = ngettext(
            "You already have %(n)d upload running: wait for it to end, then try again.",
            "You already have %(n)d uploads running: wait for one of them to end, then try again.",
            per_user,
        ) % {"n": per_user}
        return await answer(send, 429, refusal("throttled", message), retry_after=RETRY_AFTER)
    if claimed != "ok":
        return await answer(send, 409, refusal("conflict", _("This upload has already started or ended.")))
    body = Body(receive, asyncio.get_running_loop(), upload, length or upload.total)
    future = pool.submit(_noting, facts["failures"], run, KINDS[match["kind"]], credentials, upload, body)
    with _sending_lock:
        _sending[body] = future
    future.add_done_callback(lambda _: _forget(body))
    try:
        status, result = await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        # the server stopped waiting for this request (its graceful stop ran out): the sender
        # stops at its next block and cleans up; the lifespan's shutdown waits for it
        body.stop("shutdown")
        raise
    await answer(send, status, result, retry_after=RETRY_AFTER if status == 503 else 0)


def _forget(body: Body) -> None:
    with _sending_lock:
        _sending.pop(body, None)


def _noting(sink: list, fn, *args):
    """fn(*args), its cloud failures noted in `sink` (dashboard.cloud.failures)."""
    token = failures.adopt(sink)
    try:
        return fn(*args)
    finally:
        failures.stop(token)


class Body:
    """The request body as blocks for a sender thread, pulled from `receive` only when wanted."""

    def __init__(self, receive, loop, upload: progress.Upload, total: int):
        self.receive = receive
        self.loop = loop
        self.upload = upload
        self.total = total
        self.more = True
        self.done = 0
        self.idle = settings.UPLOAD_IDLE_SECONDS or None  # seconds a client may send nothing
        self.stopping = ""  # why the upload must stop now (`stop`), read by the sender's thread
        self.waiting: asyncio.Task | None = None  # the next_block waiting for the client, if one is

    def stop(self, why: str) -> None:
        """Stop the upload now (in the event loop): a wait for the client's next bytes ends at once,
        and the sender's thread raises Stopped(why) at its next block."""
        self.stopping = self.stopping or why
        if self.waiting is not None:
            self.waiting.cancel()

    async def next_block(self) -> bytearray:
        if self.stopping:
            raise Stopped(self.stopping)
        self.waiting = asyncio.current_task()
        block = bytearray()
        try:
            while self.more and len(block) < BLOCK:
                try:
                    async with asyncio.timeout(self.idle):  # no task per message, as wait_for makes
                        message = await self.receive()
                except TimeoutError:
                    raise Stopped("idle") from None
                if message["type"] == "http.disconnect":
                    raise Stopped("disconnected")
                block += message.get("body", b"")
                self.more = message.get("more_body", False)
        finally:
            self.waiting = None
        return block

    def blocks(self):
        """The body block by block (runs in the sender's thread); progress and cancel checked
        every PROGRESS_EVERY seconds or CHECK_BLOCKS blocks. The next block is received from the
        client while the one before goes to the cloud (memory: two blocks), so the two transfers
        overlap: taken in turns, an upload ran at half the cloud's rate (bench/object_transfer.py)."""
        checked, count = 0.0, 0
        pending = self._ask() if self.more else None
        try:
            while pending is not None:
                block = self._wait(pending)
                if self.stopping:
                    raise Stopped(self.stopping)
                pending = self._ask() if self.more else None
                now = time.monotonic()
                count += 1
                if now - checked >= PROGRESS_EVERY or count % CHECK_BLOCKS == 0:
                    checked = now
                    if progress.state_of(self.upload.id) == "cancelling":
                        raise Stopped("cancelled")
                    progress.update(self.upload, done=self.done)
                self.done += len(block)
                if block:
                    yield block
        finally:
            if pending is not None:  # the sender stopped early: the block asked for is not wanted
                pending.cancel()

    def _ask(self) -> concurrent.futures.Future:
        """The next block, asked of the event loop (from the sender's thread)."""
        return asyncio.run_coroutine_threadsafe(self.next_block(), self.loop)

    def _wait(self, pending: concurrent.futures.Future) -> bytearray:
        try:
            # next_block gives up after `idle`; the margin only guards a loop that stopped
            return pending.result(timeout=self.idle and self.idle + 30)
        except TimeoutError:
            pending.cancel()
            raise Stopped("idle") from None
        except concurrent.futures.CancelledError:
            # `stop` ended the wait, or the event loop is closing with the wait still on
            raise Stopped(self.stopping or "shutdown") from None


def run(kind, credentials: Credentials, upload: progress.Upload, body: Body) -> tuple[int, dict]:
    """Send the body with the kind's sender; on any failure, undo the target. (status, JSON)."""
    from dashboard.cloud.sessions import connection_for
    from dashboard.live import tasks as live_tasks

    conn = None
    try:
        conn = connection_for(credentials)
        kind.send(conn, upload, body.blocks())
    except Exception as exc:  # noqa: BLE001 - every way out of a half upload cleans up
        stopped = exc if isinstance(exc, Stopped) else _stopped_cause(exc)
        if stopped is not None and stopped.why == "idle":
            state, status = "failed", 408
            seconds = int(body.idle or 0)
            err = refusal(
                "timeout",
                ngettext(
                    "The upload stopped: no data came for %(seconds)d second. "
                    "The unfinished target was removed; start the upload again.",
                    "The upload stopped: no data came for %(seconds)d seconds. "
                    "The unfinished target was removed; start the upload again.",
                    seconds,
                )
                % {"seconds": seconds},
            )
        elif stopped is not None and stopped.why == "shutdown":
            state, status = "failed", 503
            err = refusal(
                "unavailable",
                _(
                    "Zenith is restarting: the upload stopped before its end and the unfinished target "
                    "was removed. Start it again in a moment."
                ),
            )
        elif stopped is not None:
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
            if conn is not None:
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
