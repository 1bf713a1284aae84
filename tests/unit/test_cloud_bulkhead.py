"""The bound on a process's requests in flight at each cloud service (dashboard.cloud.bulkhead):
threads and events, no sleeps (every wait below is a safety bound on an event that must come)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from dashboard.cloud import bulkhead
from dashboard.cloud.bulkhead import Bound, BoundedSession
from dashboard.cloud.errors import CloudError

SAFETY = 10  # seconds: only a broken test waits this long


def hold(bound: Bound, inside: threading.Event, leave: threading.Event, log: list[str], name: str):
    with bound:
        log.append(f"{name} in")
        inside.set()
        leave.wait(SAFETY)
        log.append(f"{name} out")


def test_a_request_past_the_bound_waits_and_past_its_wait_fails_as_busy():
    bound = Bound("compute", 2, wait=0)
    leave, log = threading.Event(), []
    inside = [threading.Event(), threading.Event()]
    holders = [threading.Thread(target=hold, args=(bound, inside[i], leave, log, f"h{i}")) for i in range(2)]
    for t in holders:
        t.start()
    assert all(e.wait(SAFETY) for e in inside)
    # both permits held: a third request does not get in (wait 0: refused at once)
    with pytest.raises(CloudError) as err:
        with bound:
            log.append("third in")
    assert err.value.kind == "unavailable" and err.value.status == 503
    assert "Compute (Nova)" in err.value.message and "busy" in err.value.message
    leave.set()
    for t in holders:
        t.join(SAFETY)
    with bound:  # the permits came back
        log.append("fourth in")
    assert "third in" not in log and log[-1] == "fourth in"


def test_a_waiting_request_gets_in_when_one_in_flight_ends():
    bound = Bound("compute", 1, wait=SAFETY)
    inside, leave, log = threading.Event(), threading.Event(), []
    holder = threading.Thread(target=hold, args=(bound, inside, leave, log, "holder"))
    holder.start()
    assert inside.wait(SAFETY)
    waiter_inside, waiter_leave = threading.Event(), threading.Event()
    waiter_leave.set()
    waiter = threading.Thread(target=hold, args=(bound, waiter_inside, waiter_leave, log, "waiter"))
    waiter.start()
    leave.set()
    assert waiter_inside.wait(SAFETY)
    holder.join(SAFETY)
    waiter.join(SAFETY)
    assert log == ["holder in", "holder out", "waiter in", "waiter out"]


class Cloud(BaseHTTPRequestHandler):
    """Answers /slow once `release` is set (counting arrivals), anything else at once."""

    arrived = threading.Semaphore(0)
    release = threading.Event()
    count = 0

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.endswith("/slow"):
            type(self).count += 1
            type(self).arrived.release()
            type(self).release.wait(SAFETY)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def cloud(monkeypatch):
    monkeypatch.setattr(bulkhead, "_bounds", {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), Cloud)
    Cloud.release.clear()
    Cloud.count = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    Cloud.release.set()
    server.shutdown()
    server.server_close()


@override_settings(OPENSTACK_SERVICE_CONCURRENCY=2, OPENSTACK_TIMEOUT=0)  # a request waits 0 s for its turn
def test_the_session_bounds_each_service_apart(cloud):
    sess = BoundedSession(timeout=SAFETY)

    def get(service: str, path: str):
        return sess.request(
            path, "GET", endpoint_filter={"service_type": service}, endpoint_override=cloud, authenticated=False
        )

    answers = []
    slow = [threading.Thread(target=lambda: answers.append(get("compute", "/slow").status_code)) for _ in range(2)]
    for t in slow:
        t.start()
    assert Cloud.arrived.acquire(timeout=SAFETY) and Cloud.arrived.acquire(timeout=SAFETY)
    # two compute requests at the cloud: a third waits in Zenith (here: 0 s, so refused as busy)
    with pytest.raises(CloudError) as err:
        get("compute", "/slow")
    assert err.value.kind == "unavailable"
    assert Cloud.count == 2  # it never reached the cloud
    # another service is not held up by compute's requests
    assert get("network", "/fast").status_code == 200
    Cloud.release.set()
    for t in slow:
        t.join(SAFETY)
    assert answers == [200, 200]
    assert get("compute", "/fast").status_code == 200  # the permits came back


@override_settings(OPENSTACK_SERVICE_CONCURRENCY=0)
def test_no_bound_when_the_setting_is_zero(monkeypatch):
    monkeypatch.setattr(bulkhead, "_bounds", {})
    assert bulkhead.bound_for("compute") is None


@override_settings(OPENSTACK_SERVICE_CONCURRENCY=4, OPENSTACK_TIMEOUT=30)
def test_one_bound_per_service_and_none_for_object_storage(monkeypatch):
    monkeypatch.setattr(bulkhead, "_bounds", {})
    compute = bulkhead.bound_for("compute")
    assert compute is bulkhead.bound_for("compute")
    assert compute is not bulkhead.bound_for("network")
    assert (compute.size, compute.wait) == (4, 60)
    assert bulkhead.bound_for("object-store") is None  # an upload holds its request for the transfer
    assert bulkhead.bound_for(None) is None  # Keystone's own calls (login, discovery)
