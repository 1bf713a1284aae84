"""The process's shared HTTP connections to the cloud: kept open between requests, and no cookie
travels from one user's request to another's."""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from dashboard.cloud import sessions
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.secrets import seal
from dashboard.cloud.sessions import _QuickAck, connection_for, forget_connection, shared_http


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).seen.append((self.client_address[1], self.headers.get("Cookie"), self.headers.get("X-Auth-Token")))
        body = b"{}"
        self.send_response(200)
        self.send_header("Set-Cookie", "lb-sticky=backend-1; Path=/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_requests_of_different_users_share_one_kept_connection_and_no_cookie(service):
    pool = shared_http()
    assert pool is shared_http()  # one per process
    first = pool.get(f"{service}/v2.1/servers", headers={"X-Auth-Token": "token-of-alice"})
    second = pool.get(f"{service}/v2.1/servers", headers={"X-Auth-Token": "token-of-bob"})
    assert first.status_code == second.status_code == 200
    (port_a, cookie_a, token_a), (port_b, cookie_b, token_b) = Recorder.seen
    assert port_a == port_b  # the second request went over the first one's connection
    assert (token_a, token_b) == ("token-of-alice", "token-of-bob")
    # the cookie the service set while alice's request ran is neither kept nor sent with bob's
    assert cookie_b is None and len(pool.cookies) == 0


def test_kept_connections_acknowledge_answers_at_once(service):
    """Their answers' bodies do not wait on a delayed acknowledgement (sessions._QuickAck)."""
    pool = shared_http()
    assert pool.get(f"{service}/v3/projects").status_code == 200
    pools = pool.get_adapter(service).poolmanager.pools
    kept = [c for key in pools.keys() for c in pools[key].pool.queue if c is not None and c.sock is not None]
    assert kept and all(isinstance(c, _QuickAck) for c in kept)


def _stored(token: str, expires: datetime, region: str = "") -> Credentials:
    body = {
        "token": {
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
            "methods": ["password"],
            "project": {"id": "p1", "name": "demo", "domain": {"id": "default"}},
            "user": {"id": "u1", "name": "demo", "domain": {"id": "default"}},
            "catalog": [],
        }
    }
    return Credentials(token=seal(token), token_body=body, region=region)


def test_a_tokens_connection_is_kept_for_that_token_only():
    later = datetime.now(UTC) + timedelta(hours=1)
    alice, bob = _stored("token-of-alice", later), _stored("token-of-bob", later)
    conn = connection_for(alice)
    assert connection_for(alice) is conn  # the next request of the session
    assert connection_for(Credentials.from_dict(alice.to_dict())) is conn
    assert connection_for(bob) is not conn
    assert connection_for(alice.in_region("RegionTwo")) is not conn
    assert conn.session.get_token() == "token-of-alice"
    forget_connection(alice)  # logout, another project, a refused token
    assert connection_for(alice) is not conn


def test_a_connection_is_not_kept_past_its_tokens_expiry():
    soon = _stored("token-about-to-expire", datetime.now(UTC) - timedelta(seconds=1))
    assert connection_for(soon) is not connection_for(soon)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"http_proxy": "http://proxy:3128", "no_proxy": "localhost"},
        {"http_proxy": "http://proxy:3128", "no_proxy": "127.0.0.1,.example"},
        {"HTTPS_PROXY": "http://p:1", "REQUESTS_CA_BUNDLE": "/etc/zenith-ca.pem"},
        {"CURL_CA_BUNDLE": "/etc/curl-ca.pem", "all_proxy": "socks5://s:1080"},
    ],
    ids=["none", "proxy", "no_proxy", "https proxy and CA", "curl CA, all"],
)
def test_the_environments_proxies_and_ca_are_what_requests_would_read(monkeypatch, env):
    """Read once per service, the same settings requests reads from os.environ on every request."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sessions._environ_proxies.cache_clear()
    sessions._environ_ca_bundle.cache_clear()
    try:
        ours, plain = sessions.shared_http(), requests.Session()
        for url in (
            "http://127.0.0.1:8080/v1/AUTH_x/c/o",
            "https://cloud.example:5000/v3/users",
            "http://glance:9292/",
        ):
            for verify in (None, True, False, "/mine.pem"):
                assert ours.merge_environment_settings(url, {}, None, verify, None) == (
                    plain.merge_environment_settings(url, {}, None, verify, None)
                ), (url, verify)
    finally:
        sessions._environ_proxies.cache_clear()
        sessions._environ_ca_bundle.cache_clear()
