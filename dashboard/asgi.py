"""ASGI entry point: HTTP through Django once its body is within DASHBOARD_MAX_BODY_MB, websockets
through Channels (dashboard.live) once their Origin is Zenith's own (both checked by
dashboard.guards), and upload PUTs streamed to the cloud ahead of Django (dashboard.uploads), which
would spool their bodies.
The load balancer's health check (/healthz) is answered here, by the event loop, and the ASGI
lifespan protocol (startup, shutdown) by `Lifespan`, outermost: a graceful stop."""

import asyncio
import logging
import os
import signal
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from dashboard.guards import BodyLimit, WebsocketOriginGuard  # noqa: E402
from dashboard.live.routing import websocket_urlpatterns  # noqa: E402
from dashboard.uploads import asgi as uploads  # noqa: E402
from dashboard.uploads.asgi import UploadRouter  # noqa: E402

log = logging.getLogger(__name__)

HEALTH_BODY = b'{"status": "ok"}'


class HealthCheck:
    """GET or HEAD /healthz answered by the event loop, without going through Django: a process whose
    page threads all wait on a slow cloud is still alive, and a balancer that took it out for that
    (HAProxy waits 1 s for the check) could leave itself with no process at all. A dead or stuck
    process still fails the check. Django's own /healthz view answers the same under WSGI."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/healthz" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(HEALTH_BODY)).encode()),
            (b"cache-control", b"no-store"),
            (b"x-content-type-options", b"nosniff"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": HEALTH_BODY if scope["method"] == "GET" else b""})


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
UPLOAD_CLEANUP_SECONDS = 15  # at lifespan shutdown, the longest wait for stopped uploads' clean-up


def hear_stop_signals(on_stop) -> dict:
    """Call `on_stop` in the running event loop when the process is told to stop (SIGTERM, or
    SIGINT: Ctrl-C), then the handler the server installed, as before. Only where a Python handler
    is in place (uvicorn's, in the main thread): a default disposition is left alone. The handlers
    replaced, for `stop_hearing`."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    loop = asyncio.get_running_loop()
    replaced = {}
    for sig in STOP_SIGNALS:
        previous = signal.getsignal(sig)
        if not callable(previous):
            continue

        def heard(signum, frame, previous=previous):
            loop.call_soon_threadsafe(on_stop)
            previous(signum, frame)

        heard.zenith = True
        signal.signal(sig, heard)
        replaced[sig] = previous
    return replaced


def stop_hearing(replaced: dict) -> None:
    """Put back the handlers `hear_stop_signals` chained to, where its own are still in place."""
    for sig, previous in replaced.items():
        if getattr(signal.getsignal(sig), "zenith", False):
            signal.signal(sig, previous)


def stop_uploads() -> None:
    stopped = uploads.stop_all()
    if stopped:
        log.info("stopping: %d streamed upload(s) stopped; their unfinished targets are removed", len(stopped))


class Lifespan:
    """The ASGI lifespan protocol, ahead of everything (uvicorn speaks it). uvicorn tells an
    application nothing when it begins to stop: on SIGTERM or Ctrl-C it stops accepting, closes
    websockets with 1012 (live.js reconnects, to another process behind a balancer), lets the
    requests in flight finish for --timeout-graceful-shutdown seconds (DASHBOARD_SHUTDOWN_SECONDS,
    tools/serve.sh) and cuts the rest, and sends lifespan.shutdown only after that. A streamed
    upload takes minutes: it would hold the stop for the whole grace period and then be cut with
    its target half-written. So at startup Zenith hears those signals itself, before the server's
    own handler (`hear_stop_signals`), and stops its uploads at once: each answers 503 and removes
    its unfinished image or segments (dashboard.uploads.asgi.stop_all). At shutdown, uploads the
    grace period cut are stopped and their clean-up waited for (UPLOAD_CLEANUP_SECONDS at most)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        replaced = {}
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                replaced = hear_stop_signals(stop_uploads)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                left = await uploads.stop_all_and_wait(UPLOAD_CLEANUP_SECONDS)
                if left:
                    log.warning("stopping: %d upload(s) still cleaning up after %d s", left, UPLOAD_CLEANUP_SECONDS)
                stop_hearing(replaced)
                await send({"type": "lifespan.shutdown.complete"})
                return


application = Lifespan(
    ProtocolTypeRouter(
        {
            "http": HealthCheck(UploadRouter(BodyLimit(django_asgi_app))),
            "websocket": WebsocketOriginGuard(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )
)
