"""The cloud layer's metrics as its sessions record them: real HTTP requests to a local server, and
the per-service bound's waiters with real threads (dashboard.cloud.metrics, dashboard.cloud.bulkhead).
Values are read from the shared directory, as /metrics reads them."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from keystoneauth1 import exceptions as ks_exc

from dashboard.cloud.bulkhead import Bound
from dashboard.cloud.errors import CloudError
from dashboard.cloud.metrics import MeasuredSession
from tests.helpers import metric_value, metrics_text

SAFETY = 10  # seconds: only a broken test waits this long


class Answers(BaseHTTPRequestHandler):
    def do_GET(self):
        status = int(self.path.strip("/") or 200)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def requests_of(service: str, outcome: str) -> float:
    return metric_value(metrics_text(), "zenith_cloud_requests_total", service=service, outcome=outcome)


def timed(service: str) -> float:
    return metric_value(metrics_text(), "zenith_cloud_request_seconds_count", service=service)


def test_each_request_is_counted_under_its_service_and_status_class(server):
    session = MeasuredSession(service_type="identity")
    before = {outcome: requests_of("identity", outcome) for outcome in ("ok", "4xx", "5xx")}
    count = timed("identity")
    assert session.get(f"{server}/200", authenticated=False).status_code == 200
    assert session.get(f"{server}/404", authenticated=False, raise_exc=False).status_code == 404
    with pytest.raises(ks_exc.HttpError):
        session.get(f"{server}/503", authenticated=False)
    assert requests_of("identity", "ok") == before["ok"] + 1
    assert requests_of("identity", "4xx") == before["4xx"] + 1
    assert requests_of("identity", "5xx") == before["5xx"] + 1
    assert timed("identity") == count + 3


def test_a_request_with_no_answer_is_counted_as_a_connection_failure():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = MeasuredSession(service_type="identity")
    before = requests_of("identity", "connection")
    with pytest.raises(ks_exc.ConnectFailure):
        session.get(f"http://127.0.0.1:{port}/", authenticated=False, connect_retries=0)
    assert requests_of("identity", "connection") == before + 1


def gauges(service: str) -> tuple[float, float]:
    text = metrics_text()
    return (
        metric_value(text, "zenith_cloud_requests_waiting", service=service),
        metric_value(text, "zenith_cloud_requests_in_flight", service=service),
    )


def test_requests_waiting_for_a_turn_of_the_bound_are_counted_until_they_get_one():
    bound = Bound("placement", 1, wait=SAFETY)
    waiting, in_flight = gauges("placement")
    inside, leave = threading.Event(), threading.Event()

    def holder():
        with bound:
            inside.set()
            leave.wait(SAFETY)

    def waiter(got_in: threading.Event):
        with bound:
            got_in.set()

    first = threading.Thread(target=holder)
    first.start()
    assert inside.wait(SAFETY)
    assert gauges("placement") == (waiting, in_flight + 1)
    got_in = threading.Event()
    second = threading.Thread(target=waiter, args=(got_in,))
    second.start()
    for _ in range(200):  # until the second thread is in its wait (a safety bound of 10 s)
        if gauges("placement")[0] == waiting + 1:
            break
        time.sleep(0.05)
    assert gauges("placement") == (waiting + 1, in_flight + 1)
    leave.set()
    assert got_in.wait(SAFETY)
    first.join(SAFETY)
    second.join(SAFETY)
    assert gauges("placement") == (waiting, in_flight)


def test_a_request_that_gets_no_turn_in_time_is_counted_as_waited_and_not_in_flight():
    bound = Bound("placement", 1, wait=0)
    count = metric_value(metrics_text(), "zenith_cloud_bound_wait_seconds_count", service="placement")
    waiting, in_flight = gauges("placement")
    with bound:
        with pytest.raises(CloudError):
            with bound:
                pass
        assert gauges("placement") == (waiting, in_flight + 1)  # the refused one is neither
    assert gauges("placement") == (waiting, in_flight)
    waits = metric_value(metrics_text(), "zenith_cloud_bound_wait_seconds_count", service="placement")
    assert waits == count + 2
