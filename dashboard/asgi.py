"""ASGI entry point: HTTP through Django, websockets through Channels (dashboard.live), and upload
PUTs streamed to the cloud ahead of Django (dashboard.uploads), which would spool their bodies."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from dashboard.live.routing import websocket_urlpatterns  # noqa: E402
from dashboard.uploads.asgi import UploadRouter  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": UploadRouter(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
