"""Every answer under /api/ is JSON in one shape {error, message, fields?} with the right status —
DRF's refusals, Django's own 404/500, the body limit, cloud failures — never HTML or a traceback;
every list pages by marker with a maximum page size."""

import json

import pytest
from django.test import RequestFactory, override_settings

from dashboard.ui.views import server_error
from tests.helpers import asgi_http, header_of, key_client, make_api_key

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def api(demo_client):
    return key_client(make_api_key(demo_client))


def _shape(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == kind and body["message"]
    assert "Traceback" not in response.content.decode()
    return body


def test_bad_input_is_400_with_field_errors(api):
    body = _shape(api.get("/api/v1/instances/", {"limit": "lots", "status": "NOPE"}), 400, "bad_request")
    assert set(body["fields"]) == {"limit", "status"}
    body = _shape(api.post("/api/v1/instances/", {}, content_type="application/json"), 400, "bad_request")
    assert {"name", "flavor"} <= set(body["fields"])
    _shape(api.post("/api/v1/instances/", "{not json", content_type="application/json"), 400, "bad_request")


def test_page_size_has_a_maximum_and_markers_page(api):
    with override_settings(API_PAGE_MAX=5):
        body = _shape(api.get("/api/v1/keypairs/", {"limit": 6}), 400, "bad_request")
        assert "At most 5" in body["fields"]["limit"][0]
    _shape(api.get("/api/v1/keypairs/", {"marker": "no-such-keypair"}), 400, "bad_request")
    assert api.get("/api/v1/keypairs/", {"limit": 1}).json()["next_marker"] in (
        None,
        *[k["name"] for k in api.get("/api/v1/keypairs/").json()["keypairs"]],
    )


def test_unknown_paths_methods_and_media_types(api):
    _shape(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    _shape(api.get("/api/v1/instances/00000000-0000-0000-0000-000000000000/"), 404, "not_found")
    _shape(api.put("/api/v1/instances/"), 405, "method_not_allowed")
    _shape(
        api.post("/api/v1/instances/", "name=x", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )


def test_unauthenticated_and_forbidden(api, devcloud):
    _shape(key_client("").get("/api/v1/instances/"), 401, "not_authenticated")
    _shape(key_client("zk_nope").get("/api/v1/instances/"), 401, "not_authenticated")
    for url in ("/api/v1/admin/usage/", "/api/v1/admin/projects/", "/api/v1/admin/users/", "/api/v1/admin/roles/"):
        _shape(api.get(url), 403, "forbidden")


def test_a_body_over_the_limit_is_413():
    """Refused ahead of Django, by the ASGI application (tests/integration/test_body_limit.py)."""
    headers = [("host", "127.0.0.1:8000"), ("content-type", "application/json"), ("content-length", "2000")]
    with override_settings(MAX_BODY_BYTES=1000):
        answer = asgi_http("POST", "/api/v1/instances/", headers, [b"x" * 2000])
    assert answer["status"] == 413 and header_of(answer, "content-type") == "application/json"
    body = json.loads(answer["body"])
    assert body["error"] == "too_large" and body["message"]


def test_a_state_conflict_is_409(api, demo_instance):
    # an ACTIVE instance has no resize to confirm: Nova refuses with a 409, in Nova's words
    body = _shape(
        api.post(
            f"/api/v1/instances/{demo_instance.id}/action/",
            {"action": "confirm_resize"},
            content_type="application/json",
        ),
        409,
        "conflict",
    )
    assert "Nova" in body["message"]


def test_a_service_that_is_down_is_503(api, monkeypatch):
    # Nova's port refuses connections (as when nova-api is stopped); Keystone still answers
    import requests

    real = requests.adapters.HTTPAdapter.send

    def refuse(self, request, *args, **kwargs):
        if ":8774" in request.url:
            raise requests.exceptions.ConnectionError("connection refused")
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    body = _shape(api.get("/api/v1/instances/"), 503, "unavailable")
    assert "Compute (Nova)" in body["message"]


def test_quotas_and_usage_of_the_key_project(api, demo_sdk):
    quotas = api.get("/api/v1/quotas/").json()
    assert quotas["project_id"] == demo_sdk.current_project_id
    instances = next(q for q in quotas["quotas"] if q["service"] == "compute" and q["resource"] == "instances")
    nova = demo_sdk.compute.get(f"/os-quota-sets/{demo_sdk.current_project_id}").json()["quota_set"]
    assert instances["limit"] == nova["instances"]
    usage = api.get("/api/v1/usage/", {"start": "2026-01-01"})
    assert usage.status_code == 200 and usage.json()["project_id"] == demo_sdk.current_project_id
    csv = api.get("/api/v1/usage/", {"start": "2026-01-01", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and csv.content.decode().startswith("instance_id,name")
    _shape(api.get("/api/v1/usage/", {"start": "2026-02-01", "end": "2026-01-01"}), 400, "bad_request")


def test_django_level_500_under_api_is_json():
    request = RequestFactory().get("/api/v1/instances/")
    response = server_error(request)
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    page = server_error(RequestFactory().get("/project/"))
    assert page["Content-Type"].startswith("text/html")
