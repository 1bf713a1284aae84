"""ASGI guards ahead of Django and Channels (mounted in dashboard.asgi).

- `origin_allowed`: whether the page that sent a request is Zenith's own: its Origin must be the
  request's own origin (scheme, host and port as the client addressed Zenith) or one of
  DASHBOARD_CSRF_TRUSTED_ORIGINS. Shared by the websocket and the upload route. Host names alone are
  not enough: cookies are not kept apart by port, and SameSite counts another port of the same host
  as the same site, so a page served from `http://<zenith host>:<another port>` would otherwise open
  the user's socket with the user's session.
- `WebsocketOriginGuard`: a socket from another origin (or with no Origin: browsers always send one
  on a websocket handshake) is accepted and closed at once with CLOSE_ORIGIN (4403), before any
  session is read; the page's live.js does not retry that code. The refusal is logged with the
  origin and the Host.
- `BodyLimit`: an HTTP request body over DASHBOARD_MAX_BODY_MB is refused with 413 before Django
  reads it: at once when its Content-Length says so (none of it read), else as it comes, once the
  bytes received pass the limit (no more read). JSON under /api/, a short page otherwise, in the
  browser's language. The upload route, mounted before it, streams large bodies on purpose.
"""

from __future__ import annotations

import io
import logging
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import is_same_domain
from django.utils.translation import gettext as _

from dashboard.cloud.api import error_response
from dashboard.oplog import ids
from dashboard.ui.protections import SecurityHeadersMiddleware

log = logging.getLogger(__name__)

CLOSE_ORIGIN = 4403  # a socket opened by a page of another origin: closed at once, not retried

DEFAULT_PORTS = {"http": 80, "https": 443}


def header_values(scope, name: bytes) -> list[str]:
    """Every value of the request header `name` (lower case), as text."""
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key.lower() == name]


def request_scheme(scope) -> str:
    """ "http" or "https", as the client addressed Zenith: the scope's scheme (a socket's ws and wss
    are a page's http and https), or, behind a TLS proxy (DASHBOARD_BEHIND_PROXY), its
    X-Forwarded-Proto when sent, as Django's `request.is_secure()` reads it."""
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, secure = proxy_header
        sent = header_values(scope, name.removeprefix("HTTP_").replace("_", "-").lower().encode())
        if sent:
            return "https" if sent[-1].split(",", 1)[0].strip() == secure else "http"
    return "https" if scope.get("scheme") in ("https", "wss") else "http"


def _origin(text: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a serialized origin, the port written out; None unless it is one."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed IPv6 host, a port out of range
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def own_origin(scope) -> tuple[str, str, int] | None:
    """The request's own origin: its scheme (`request_scheme`) and its Host header, which must name a
    host of ALLOWED_HOSTS; None when it does not."""
    hosts = header_values(scope, b"host")
    if len(hosts) != 1:
        return None
    domain, port = split_domain_port(hosts[0])
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = request_scheme(scope)
    return scheme, domain.removeprefix("[").removesuffix("]"), int(port) if port else DEFAULT_PORTS[scheme]


def _trusted(origin: str, parsed: tuple[str, str, int]) -> bool:
    """One of DASHBOARD_CSRF_TRUSTED_ORIGINS, as Django's CSRF check reads them (`https://*.example.org`
    trusts the subdomains)."""
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" in trusted:
            parts = urlsplit(trusted)
            netloc = urlsplit(origin).netloc.lower()
            if parts.scheme == parsed[0] and is_same_domain(netloc, parts.netloc.removeprefix("*").lower()):
                return True
        elif _origin(trusted) == parsed:
            return True
    return False


def origin_allowed(scope, *, allow_missing: bool) -> bool:
    """Whether the request comes from Zenith's own pages: its Host is one Zenith answers to, and its
    Origin is the request's own origin (scheme, host and port) or a trusted one. A request without
    an Origin passes only with `allow_missing` (the upload route: Django's CSRF check follows)."""
    own = own_origin(scope)
    if own is None:
        return False
    origins = header_values(scope, b"origin")
    if not origins:
        return allow_missing
    if len(origins) > 1:
        return False
    parsed = _origin(origins[0])
    return parsed is not None and (parsed == own or _trusted(origins[0], parsed))


class WebsocketOriginGuard:
    """ASGI middleware: a websocket from another origin is closed with CLOSE_ORIGIN; others go on to `app`."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket" or origin_allowed(scope, allow_missing=False):
            return await self.app(scope, receive, send)
        origin = ", ".join(header_values(scope, b"origin")) or "(none)"
        host = ", ".join(header_values(scope, b"host")) or "(none)"
        log.warning(
            "websocket %s refused: origin %r is not this site's (Host %r)",
            scope["path"],
            origin[:200],
            host[:200],
        )
        message = await receive()
        if message["type"] == "websocket.connect":
            # accepted to be closed with a code the page can read: a refused handshake reaches the
            # page as 1006, like a network failure, which it would retry for ever
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_ORIGIN})


def declared_length(scope) -> int | None:
    """The body length the request's Content-Length header declares; None without a valid one."""
    values = header_values(scope, b"content-length")
    if not values or not all(value.strip().isdigit() for value in values):
        return None
    return max(int(value) for value in values)


def _not_called(request):
    raise AssertionError("only the middleware's process_response is used here")


def too_large(scope, limit: int) -> HttpResponse:
    """The 413 answer, in the browser's language (the language cookie or Accept-Language): the API's
    JSON error under /api/, a short page otherwise, with the headers every page carries and the
    request's id (dashboard.oplog.ids)."""
    request = ASGIRequest(scope, io.BytesIO())  # the headers and cookies; the body is never read
    request.request_id = ids.of_scope(scope)
    with translation.override(translation.get_language_from_request(request)):
        message = _("The request is too large: at most %(size)d MiB.") % {"size": limit // (1024 * 1024)}
        if scope["path"].startswith("/api/"):
            response = error_response("too_large", message, 413)
            response.content = ids.in_error_body(response.content, request.request_id)
        else:
            response = render(request, "ui/413.html", {"message": message}, status=413)
    response = SecurityHeadersMiddleware(lambda request: response)(request)
    for middleware in (SecurityMiddleware, XFrameOptionsMiddleware):
        response = middleware(_not_called).process_response(request, response)
    response["Cache-Control"] = "no-store"
    response[ids.HEADER] = request.request_id
    response["Content-Length"] = str(len(response.content))
    # the rest of the body is never read: the connection cannot carry another request
    response["Connection"] = "close"
    return response


async def refuse_too_large(scope, send, limit: int) -> None:
    response = await sync_to_async(too_large, thread_sensitive=False)(scope, limit)
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})


class BodyLimit:
    """ASGI middleware ahead of Django: request bodies over settings.MAX_BODY_BYTES get a 413."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_BODY_BYTES
        length = declared_length(scope)
        if length is not None and length > limit:
            log.info("%s %s refused: %d bytes declared, %d allowed", scope["method"], scope["path"], length, limit)
            return await refuse_too_large(scope, send, limit)
        received, over, answered = 0, False, False

        async def counted_receive():
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Django hears that the client went away: it stops reading and answers nothing
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message):
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, watched_send)
        if over and not answered:
            log.info("%s %s refused: body over %d bytes", scope["method"], scope["path"], limit)
            await refuse_too_large(scope, send, limit)
