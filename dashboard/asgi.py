"""ASGI entry point: HTTP through Django, websockets through Channels (dashboard.live), and upload
PUTs streamed to the cloud ahead of Django (dashboard.uploads), which would spool their bodies.
The load balancer's health check (/healthz) is answered here, by the event loop."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from dashboard.live.routing import websocket_urlpatterns  # noqa: E402
from dashboard.uploads.asgi import UploadRouter  # noqa: E402

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


application = ProtocolTypeRouter(
    {
        "http": HealthCheck(UploadRouter(django_asgi_app)),
        "websocket": AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
