"""Whose page may use Zenith's sockets and upload route: the page's Origin must be the request's own
(scheme, host and port, as the client addressed Zenith) or one of DASHBOARD_CSRF_TRUSTED_ORIGINS
(dashboard.guards.origin_allowed, shared by the websocket and the upload route). Another port of the
same host is another origin: cookies are not kept apart by port, so only this check keeps a page
served there from the user's live socket."""

from __future__ import annotations

import logging

import pytest

from dashboard import guards
from dashboard.asgi import application
from tests.communicators import WebsocketCommunicator
from tests.helpers import run_async


def scope(host: str | None, origin: str | None, scheme: str = "http", forwarded_proto: str | None = None) -> dict:
    headers = []
    if host is not None:
        headers.append((b"host", host.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if forwarded_proto is not None:
        headers.append((b"x-forwarded-proto", forwarded_proto.encode()))
    kind = "websocket" if scheme.startswith("ws") else "http"
    return {"type": kind, "scheme": scheme, "path": "/ws/live/", "headers": headers, "query_string": b""}


@pytest.mark.parametrize(
    ("host", "origin", "scheme", "allowed"),
    [
        pytest.param("127.0.0.1:8000", "http://127.0.0.1:8000", "http", True, id="same origin"),
        pytest.param("127.0.0.1:8000", "http://127.0.0.1:8000", "ws", True, id="a socket of the page's origin"),
        pytest.param("localhost", "http://localhost", "ws", True, id="default port"),
        pytest.param("localhost", "http://localhost:80", "ws", True, id="default port written out"),
        pytest.param("LocalHost:8000", "http://localhost:8000", "ws", True, id="host names ignore case"),
        pytest.param("127.0.0.1:8000", "http://127.0.0.1:8001", "ws", False, id="another port of the host"),
        pytest.param("127.0.0.1:8000", "http://127.0.0.1", "ws", False, id="the host's default port"),
        pytest.param("127.0.0.1", "http://127.0.0.1:8080", "ws", False, id="a port where Zenith has none"),
        pytest.param("127.0.0.1:8000", "https://127.0.0.1:8000", "ws", False, id="another scheme"),
        pytest.param("127.0.0.1:8000", "http://localhost:8000", "ws", False, id="another allowed host"),
        pytest.param("127.0.0.1:8000", "http://evil.example", "ws", False, id="another site"),
        pytest.param("evil.example", "http://evil.example", "ws", False, id="a host Zenith does not answer to"),
        pytest.param(None, "http://127.0.0.1:8000", "ws", False, id="no Host header"),
        pytest.param("127.0.0.1:8000", "null", "ws", False, id="an opaque origin"),
        pytest.param("127.0.0.1:8000", "http://[::1", "ws", False, id="a malformed origin"),
        pytest.param("127.0.0.1:8000", "http://127.0.0.1:99999", "ws", False, id="a port out of range"),
        pytest.param("127.0.0.1:8000", "http://127.0.0.1:8000/page", "ws", False, id="not an origin"),
    ],
)
def test_the_origin_must_be_the_requests_own(host, origin, scheme, allowed):
    assert guards.origin_allowed(scope(host, origin, scheme), allow_missing=False) is allowed


def test_a_missing_origin_is_refused_where_it_is_required():
    assert guards.origin_allowed(scope("127.0.0.1:8000", None, "ws"), allow_missing=False) is False
    # the upload route lets it through to Django's CSRF check (the token is required there)
    assert guards.origin_allowed(scope("127.0.0.1:8000", None, "http"), allow_missing=True) is True
    # ... but never a Host Zenith does not answer to
    assert guards.origin_allowed(scope("evil.example", None, "http"), allow_missing=True) is False


def test_behind_a_tls_proxy_the_scheme_is_the_proxys(settings):
    settings.ALLOWED_HOSTS = ["zenith.example.org"]
    page = "https://zenith.example.org"
    # the proxy speaks plain HTTP to Zenith: without DASHBOARD_BEHIND_PROXY its header is not believed
    assert not guards.origin_allowed(
        scope("zenith.example.org", page, "ws", forwarded_proto="https"), allow_missing=False
    )
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert guards.origin_allowed(scope("zenith.example.org", page, "ws", forwarded_proto="https"), allow_missing=False)
    assert guards.origin_allowed(scope("zenith.example.org", page, "wss"), allow_missing=False)
    assert not guards.origin_allowed(
        scope("zenith.example.org", "http://zenith.example.org", "ws", forwarded_proto="https"), allow_missing=False
    )
    assert not guards.origin_allowed(
        scope("zenith.example.org", page, "ws", forwarded_proto="http"), allow_missing=False
    )


def test_trusted_origins_are_allowed_whatever_the_host_header(settings):
    settings.ALLOWED_HOSTS = ["zenith.example.org", "10.0.0.5"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://zenith.example.org", "https://*.apps.example.org"]
    assert guards.origin_allowed(scope("10.0.0.5:8000", "https://zenith.example.org", "ws"), allow_missing=False)
    assert guards.origin_allowed(scope("10.0.0.5:8000", "https://a.apps.example.org", "ws"), allow_missing=False)
    assert not guards.origin_allowed(
        scope("10.0.0.5:8000", "https://zenith.example.org:8443", "ws"), allow_missing=False
    )
    assert not guards.origin_allowed(scope("10.0.0.5:8000", "http://zenith.example.org", "ws"), allow_missing=False)
    assert not guards.origin_allowed(scope("10.0.0.5:8000", "http://a.apps.example.org", "ws"), allow_missing=False)
    assert not guards.origin_allowed(scope("10.0.0.5:8000", "https://apps.example.org.evil", "ws"), allow_missing=False)


def _connect(headers: list[tuple[bytes, bytes]]) -> tuple[bool, list[dict]]:
    """Open /ws/live/ on the project's ASGI application (on a loop of its own in another thread):
    whether the handshake was accepted, and what the application sent after it."""

    async def run():
        socket = WebsocketCommunicator(application, "/ws/live/", headers=headers)
        connected, _ = await socket.connect(timeout=5)
        after = []
        while connected and not await socket.receive_nothing(timeout=0.5):
            after.append(await socket.receive_output())
        return connected, after

    return run_async(run())


def test_a_socket_from_another_port_is_closed_with_4403_and_logged(caplog):
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8001")]
    with caplog.at_level(logging.WARNING, logger="dashboard.guards"):
        connected, after = _connect(headers)
    # accepted, then closed at once with the code the page's live.js does not retry
    assert connected and after == [{"type": "websocket.close", "code": guards.CLOSE_ORIGIN}]
    assert guards.CLOSE_ORIGIN == 4403
    refusals = [r.getMessage() for r in caplog.records if r.name == "dashboard.guards"]
    assert any("http://127.0.0.1:8001" in message and "127.0.0.1:8000" in message for message in refusals), refusals
