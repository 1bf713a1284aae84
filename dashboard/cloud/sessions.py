"""keystoneauth sessions and openstacksdk connections built from a user's credentials.

A connection is made from the credentials' project-scoped token (kept sealed:
dashboard.cloud.secrets) and its service catalog (dashboard.cloud.credentials), so building one
costs no call to Keystone, and kept for that token's next requests; API version discovery is cached
process-wide.
"""

from __future__ import annotations

import functools
import hashlib
import http.cookiejar
import os
import socket
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import openstack.connection
import requests
from django.conf import settings
from keystoneauth1 import access, session
from keystoneauth1.identity.access import AccessInfoPlugin
from keystoneauth1.session import TCPKeepAliveAdapter
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from .bulkhead import BoundedSession
from .errors import SessionExpired
from .metrics import MeasuredSession

if TYPE_CHECKING:
    from .credentials import Credentials

# version documents of the services, shared by all connections of this process
_discovery_cache: dict = {}


def verify_setting():
    value = str(settings.OPENSTACK_VERIFY).strip()
    if value.lower() in ("false", "0", "no", "off"):
        return False
    if value.lower() in ("true", "1", "yes", "on", ""):
        return True
    return value  # a CA bundle path


@functools.lru_cache(maxsize=1)
def keystone_session() -> session.Session:
    """An unauthenticated session for login calls (plugins are given per call), counted as Identity's."""
    return MeasuredSession(
        verify=verify_setting(), timeout=settings.OPENSTACK_TIMEOUT, app_name="zenith", service_type="identity"
    )


def access_of(credentials: Credentials) -> access.AccessInfo:
    """The credentials' project-scoped token, opened, with its catalog (SessionExpired when there
    is none, or it was sealed under another SECRET_KEY)."""
    token = credentials.opened_token()
    if not token:
        raise SessionExpired()
    return access.create(body=credentials.token_body, auth_token=token)


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The shared HTTP session keeps no cookie: nothing a service (or a load balancer in front of
    it) sets while one user's request runs may travel with another user's."""

    def set_ok(self, cookie, request) -> bool:
        return False

    def return_ok(self, cookie, request) -> bool:
        return False


class _RetryDropped(Retry):
    """One more try when a kept connection turns out closed by the service (idempotent requests
    only, as urllib3 decides); a service slow to answer (a read timeout) is not asked twice."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if isinstance(error, ReadTimeoutError):
            raise error
        return super().increment(method, url, response, error, _pool, _stacktrace)


QUICKACK = getattr(socket, "TCP_QUICKACK", None)


class _QuickAck:
    """Acknowledge what the service sends at once while its answer arrives.

    Services served by eventlet's WSGI server (Glance, Cinder, Nova's API here) write an answer's
    headers and body apart, without TCP_NODELAY: the body waits for the acknowledgement of the
    headers, which Linux delays up to 40 ms on a connection it sees as interactive, as a kept one
    soon is. Measured here on kept connections: Glance's first page of images 56 -> 12 ms, Cinder's
    volumes 64 -> 18 ms, Nova's servers 94 -> 55 ms. TCP_QUICKACK (Linux) turns that delay off for
    the reading of the answer; elsewhere nothing is set."""

    def getresponse(self, *args, **kwargs):
        if self.sock is not None and QUICKACK is not None:
            try:
                self.sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
            except OSError:
                pass
        return super().getresponse(*args, **kwargs)


class _QuickAckHTTPConnection(_QuickAck, HTTPConnection):
    pass


class _QuickAckHTTPSConnection(_QuickAck, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _QuickAckHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _QuickAckHTTPSConnection


class CloudAdapter(TCPKeepAliveAdapter):
    """keystoneauth's keep-alive adapter (TCP keepalive and no Nagle on our side) whose connections
    acknowledge answers at once (_QuickAck)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class _CloudHTTP(requests.Session):
    """requests' session reading the environment's proxy and CA settings once per service, not on
    every request (requests looks through os.environ for them each time: about 0.17 ms a call).
    What it finds is the same: the environment does not change while the process runs."""

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        proxies = dict(proxies or {})
        parts = urlsplit(url)
        for key, value in _environ_proxies(parts.scheme, parts.netloc, proxies.get("no_proxy")):
            proxies.setdefault(key, value)
        if verify is True or verify is None:
            verify = _environ_ca_bundle() or verify
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }


@functools.lru_cache(maxsize=64)
def _environ_proxies(scheme: str, netloc: str, no_proxy: str | None) -> tuple[tuple[str, str], ...]:
    return tuple(get_environ_proxies(f"{scheme}://{netloc}/", no_proxy=no_proxy).items())


@functools.lru_cache(maxsize=1)
def _environ_ca_bundle() -> str | None:
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")


@functools.lru_cache(maxsize=1)
def shared_http() -> requests.Session:
    """The process's HTTP connections to the cloud's services, kept open between pages.

    Every user's connection (connection_for) sends its requests through this one pool, with
    its own token in each request's headers: a page no longer opens a new TCP (and TLS) connection
    to each service it calls (about 0.8 ms a call here, more over TLS). At most
    CLOUD_SERVICE_CONCURRENCY + 2 idle connections per service are kept (eventlet services such as
    Neutron hold a green thread per open connection); a kept connection the service closed is
    tried once more, for idempotent requests only (GET, HEAD, PUT, DELETE...), never for a POST.
    """
    pool = _CloudHTTP()
    pool.cookies.set_policy(_NoCookies())
    size = max(settings.OPENSTACK_SERVICE_CONCURRENCY, 1) + 2
    retry = _RetryDropped(total=1, connect=1, read=1, status=0, other=0, redirect=0, raise_on_status=False)
    adapter = CloudAdapter(pool_connections=32, pool_maxsize=size, max_retries=retry)
    for scheme in ("https://", "http://"):
        pool.mount(scheme, adapter)
    return pool


# connections kept for reuse: {key: (connection, monotonic time it is dropped)}, most recent last
_connections: OrderedDict[str, tuple[openstack.connection.Connection, float]] = OrderedDict()
_connections_lock = threading.Lock()
KEPT_CONNECTIONS = 256
KEPT_SECONDS = 300.0


def _connection_key(credentials: Credentials) -> str:
    """One token (the sealed form the session holds), one region, one set of connection settings."""
    parts = (
        credentials.token,
        credentials.region,
        settings.OPENSTACK_AUTH_URL,
        settings.OPENSTACK_REGION,
        str(settings.OPENSTACK_TIMEOUT),
        str(verify_setting()),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def connection_for(credentials: Credentials) -> openstack.connection.Connection:
    """An openstacksdk connection acting with the user's scoped token, in their chosen region,
    over the process's shared HTTP connections (shared_http).

    The same token's connection is kept for its next requests (at most KEPT_SECONDS, never past the
    token's expiry, the KEPT_CONNECTIONS used last): openstacksdk builds a connection's proxy for a
    service, with its endpoint from the catalog, on the first call to that service, about 1.5 ms a
    service, and a page used to pay that on every load. A connection is found only by its token,
    so no request ever acts with another session's credentials; several requests of one session
    may use it at once, as a page's concurrent calls already do."""
    key = _connection_key(credentials)
    now = time.monotonic()
    with _connections_lock:
        kept = _connections.get(key)
        if kept is not None:
            if kept[1] > now:
                _connections.move_to_end(key)
                return kept[0]
            del _connections[key]
    conn, auth_ref = _new_connection(credentials)
    until = now + KEPT_SECONDS
    if auth_ref.expires is not None:
        until = min(until, now + (auth_ref.expires - datetime.now(UTC)).total_seconds())
    with _connections_lock:
        _connections[key] = (conn, until)
        while len(_connections) > KEPT_CONNECTIONS:
            _connections.popitem(last=False)
    return conn


def forget_connection(credentials: Credentials) -> None:
    """Drops the kept connection of these credentials (logout, a token the cloud refused)."""
    with _connections_lock:
        _connections.pop(_connection_key(credentials), None)


def _new_connection(credentials: Credentials) -> tuple[openstack.connection.Connection, access.AccessInfo]:
    auth_ref = access_of(credentials)
    plugin = AccessInfoPlugin(auth_ref, auth_url=settings.OPENSTACK_AUTH_URL)
    sess = BoundedSession(
        session=shared_http(),
        auth=plugin,
        verify=verify_setting(),
        timeout=settings.OPENSTACK_TIMEOUT,
        app_name="zenith",
        discovery_cache=_discovery_cache,
    )
    conn = openstack.connection.Connection(
        session=sess,
        region_name=credentials.region or settings.OPENSTACK_REGION or None,
        interface="public",
        app_name="zenith",
    )
    return conn, auth_ref
