"""The JSON API follows the pages' rules: session user, current project only, admin role for admin."""

import time

import pytest
from django.test import Client

from tests.helpers import boot, session_tokens, unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def demo_server(demo_sdk, cleanup):
    return boot(demo_sdk, unique("api"), timeout=120, cleanup=cleanup)


def test_unauthenticated_api_gets_json_401(devcloud):
    response = Client().get("/api/v1/instances/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_session_info_has_no_token(demo_client):
    body = demo_client.get("/api/v1/session/").json()
    assert body["project"]["name"] == "demo"
    assert body["is_admin"] is False
    raw = demo_client.get("/api/v1/session/").content.decode()
    for token in session_tokens(demo_client):
        assert token not in raw


def test_instances_api_lists_only_the_current_project(demo_client, alt_client, demo_server):
    mine = demo_client.get("/api/v1/instances/", {"name": demo_server.name}).json()["instances"]
    assert [i["id"] for i in mine] == [demo_server.id]
    assert mine[0]["status"] == "ACTIVE" and mine[0]["flavor"]["name"] == "m1.tiny"
    assert mine[0]["image_name"] == "demo-image"
    theirs = alt_client.get("/api/v1/instances/", {"name": demo_server.name}).json()["instances"]
    assert theirs == []
    # another project's instance by id: not found, as JSON
    response = alt_client.get(f"/api/v1/instances/{demo_server.id}/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_action_api_stops_an_instance_and_reports_nova_refusal(demo_client, demo_sdk, demo_server):
    url = f"/api/v1/instances/{demo_server.id}/action/"
    response = demo_client.post(url, {"action": "stop"}, content_type="application/json")
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    while demo_sdk.compute.get_server(demo_server.id).status != "SHUTOFF":
        assert time.monotonic() < deadline, "instance did not stop"
        time.sleep(1)
    again = demo_client.post(url, {"action": "stop"}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    assert "Compute (Nova) refused" in again.json()["message"]
    bad = demo_client.post(url, {"action": "explode"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"


def test_api_changes_need_csrf(demo_client, demo_server):
    demo_client.get("/project/")  # a page sets the CSRF cookie, as in a browser
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = demo_client.cookies
    url = f"/api/v1/instances/{demo_server.id}/action/"
    refused = browser.post(url, {"action": "explode"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden" and "CSRF" in refused.json()["message"]
    token = demo_client.cookies["csrftoken"].value
    accepted = browser.post(url, {"action": "explode"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 400  # past CSRF, refused for the unknown action


def test_admin_api_is_403_for_members(demo_client):
    for url in ("/api/v1/admin/usage/", "/api/v1/admin/hypervisors/"):
        response = demo_client.get(url)
        assert response.status_code == 403, url
        assert "admin role" in response.json()["message"]


def test_admin_api_gives_usage_and_hypervisors(admin_client, admin_sdk):
    hyps = admin_client.get("/api/v1/admin/hypervisors/").json()["hypervisors"]
    assert "devcloud-compute" in {h["hostname"] for h in hyps}
    usage = admin_client.get("/api/v1/admin/usage/").json()
    assert {"start", "end", "projects"} <= set(usage)
    bad = admin_client.get("/api/v1/admin/usage/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
