"""/metrics against the real devcloud: who may read it, what a page load as demo moves, what the
live websockets and other processes add, and that no label carries a user, a project or an id.

Read through Zenith's own view (Django's test client), parsed with prometheus_client's parser."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.test import Client, override_settings

from tests.communicators import WebsocketCommunicator
from tests.early import TEST_METRICS_TOKEN
from tests.helpers import ROOT, logged_in, metric_samples, metric_value

pytestmark = pytest.mark.integration

AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TEST_METRICS_TOKEN}"}
UUID_LIKE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)


def scrape(**headers) -> str:
    """/metrics as a scraper gets it: no session, the test token."""
    response = Client(HTTP_HOST="127.0.0.1").get("/metrics", **{**AUTH, **headers})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


# --- who may read it -------------------------------------------------------------------------------
def test_metrics_are_off_unless_turned_on(db):
    """Without DASHBOARD_METRICS, the settings leave them off and prometheus_client in one process's mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_METRICS", "PROMETHEUS_MULTIPROC"))}
    code = (
        "import os; from dashboard import settings; print(settings.METRICS, 'PROMETHEUS_MULTIPROC_DIR' in os.environ)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    with override_settings(METRICS=False):
        response = Client(HTTP_HOST="127.0.0.1").get("/metrics", **AUTH)
    assert response.status_code == 404  # as for any address Zenith does not serve, token or not


def test_metrics_are_refused_without_the_token_and_served_with_it(db):
    client = Client(HTTP_HOST="127.0.0.1")
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": f"Basic {TEST_METRICS_TOKEN}"}):
        response = client.get("/metrics", **headers)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("text/plain")
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"zenith_" not in response.content
    names = {sample.name for sample in metric_samples(scrape())}
    assert {"zenith_http_requests_total", "zenith_live_pollers"} <= names


def test_metrics_are_refused_outside_the_networks_after_trusted_proxies(db):
    client = Client(HTTP_HOST="127.0.0.1")  # REMOTE_ADDR 127.0.0.1
    with override_settings(METRICS_NETWORKS=["10.0.0.0/8"], METRICS_TOKEN=""):
        assert client.get("/metrics").status_code == 403
        # a client cannot name its own address when no proxy is trusted
        assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 403
        with override_settings(TRUSTED_PROXIES=1):
            assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200
            assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3, 192.0.2.9").status_code == 403
    with override_settings(METRICS_NETWORKS=["127.0.0.0/8"]):  # and the token: both needed
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", **AUTH).status_code == 200


# --- what a page moves -----------------------------------------------------------------------------
def test_a_page_load_as_demo_moves_its_view_and_cloud_counters_and_no_label_names_anyone(devcloud, db, demo_sdk):
    before = scrape()
    client = logged_in(Client(), "demo")  # a real login: Keystone asked through Zenith
    assert client.get("/project/instances/").status_code == 200
    missing = str(uuid.uuid4())
    assert client.get(f"/project/instances/{missing}/").status_code == 404
    after = scrape()

    def moved(name, **labels):
        return metric_value(after, name, **labels) - metric_value(before, name, **labels)

    assert moved("zenith_http_requests_total", view="instances:list", method="GET", status="200") >= 1
    assert moved("zenith_http_request_seconds_count", view="instances:list") >= 1
    assert moved("zenith_http_requests_total", view="instances:detail", method="GET", status="404") >= 1
    assert moved("zenith_http_requests_total", view="accounts:login", method="POST", status="302") >= 1
    assert moved("zenith_cloud_requests_total", service="compute", outcome="ok") >= 1
    assert moved("zenith_cloud_requests_total", service="compute", outcome="4xx") >= 1  # the missing instance
    assert moved("zenith_cloud_requests_total", service="identity", outcome="ok") >= 1  # the login
    assert moved("zenith_cloud_request_seconds_count", service="compute") >= 2

    keystone = client.session["keystone"]
    secrets = {"demo", keystone["project_id"], keystone["user_id"], missing}
    secrets |= {server.id for server in demo_sdk.compute.servers()}
    values = {value for sample in metric_samples(after) for value in sample.labels.values()}
    assert not [v for v in values if any(s.lower() in v.lower() for s in secrets)]
    assert not [v for v in values if UUID_LIKE.search(v) or re.search(r"[0-9a-f]{16,}", v, re.I)]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_open_websocket_and_its_subscription_are_counted_while_open(devcloud, demo_client):
    from dashboard.asgi import application

    cookie = f"zenith_session={demo_client.cookies['zenith_session'].value}".encode()
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie)]
    read = sync_to_async(scrape, thread_sensitive=False)
    before = await read()
    socket = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await socket.connect(timeout=10)
    assert connected
    try:
        await socket.send_json_to({"type": "subscribe", "kind": "instances"})
        assert (await socket.receive_json_from(timeout=10))["type"] == "subscribed"
        during = await read()
        assert metric_value(during, "zenith_websockets") == metric_value(before, "zenith_websockets") + 1
        subscriptions = metric_value(before, "zenith_websocket_subscriptions", kind="instances")
        assert metric_value(during, "zenith_websocket_subscriptions", kind="instances") == subscriptions + 1
        # the subscription started the project's instances poller (or found it running): its lock
        assert metric_value(during, "zenith_live_pollers", kind="instances") >= 1
    finally:
        await socket.disconnect()
    await asyncio.sleep(0.2)  # the consumer's disconnect runs after the close
    after = await read()
    assert metric_value(after, "zenith_websockets") == metric_value(before, "zenith_websockets")
    assert metric_value(after, "zenith_websocket_subscriptions", kind="instances") == subscriptions


# --- other processes -------------------------------------------------------------------------------
OTHER_PROCESS = """
import os, time
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import tests.early, django
django.setup()
from dashboard.live.tasks import poll
from dashboard.metrics import instruments
poll.apply(args=("0" * 32, "instances", "met-no-chain"))  # not the lock's owner: ends at once
instruments.websocket_opened()
print("ready", flush=True)
time.sleep(120)
"""


def test_another_process_adds_its_counts_and_its_gauges_go_when_it_is_killed(db):
    """What /metrics adds up: another process's task counted (and kept after it dies), its open
    socket counted while it lives, dropped once it is killed (no chance to clean up itself)."""
    poll = {"task": "dashboard.live.tasks.poll", "outcome": "success"}
    before = scrape()
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "ready"
        during = scrape()
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait(10)
    after = scrape()
    assert (
        metric_value(during, "zenith_celery_tasks_total", **poll)
        == metric_value(before, "zenith_celery_tasks_total", **poll) + 1
    )
    assert metric_value(during, "zenith_websockets") == metric_value(before, "zenith_websockets") + 1
    assert metric_value(after, "zenith_websockets") == metric_value(before, "zenith_websockets")
    assert metric_value(after, "zenith_celery_tasks_total", **poll) == metric_value(
        during, "zenith_celery_tasks_total", **poll
    )
    assert metric_value(after, "zenith_celery_task_seconds_count", task=poll["task"]) >= 1
