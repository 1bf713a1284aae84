"""The process's shared HTTP connections to the cloud: kept open between requests, and no cookie
travels from one user's request to another's."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.cloud.sessions import shared_http


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
