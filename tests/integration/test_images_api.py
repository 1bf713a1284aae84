"""/api/v1/images/: list, create + streamed upload, detail, edit, members, delete, errors as JSON."""

import hashlib
import os

import pytest
from django.test import Client

from tests.helpers import asgi_put, logged_in, unique

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_needs_a_login():
    response = Client().get("/api/v1/images/")
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_api_create_upload_edit_share_delete(demo_client, demo_sdk, alt_sdk, django_client_factory, cleanup):
    demo_client.get("/project/images/")  # the CSRF cookie
    data = os.urandom(1024 * 1024 + 7)
    response = demo_client.post(
        "/api/v1/images/",
        {"name": unique("zt-api"), "disk_format": "raw", "size": len(data), "properties": {"purpose": "test"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    made = response.json()
    image_id = made["image"]["id"]
    cleanup.delete("image", image_id)
    status, body = asgi_put(demo_client, made["upload_url"], data)
    assert status == 200, body
    image = demo_sdk.image.get_image(image_id)
    assert image.status == "active" and image.checksum == hashlib.md5(data, usedforsecurity=False).hexdigest()

    listed = demo_client.get("/api/v1/images/?visibility=mine&limit=200").json()
    assert image_id in {i["id"] for i in listed["images"]}
    detail = demo_client.get(f"/api/v1/images/{image_id}/").json()["image"]
    assert detail["properties"] == {"purpose": "test"} and detail["size"] == len(data)

    edited = demo_client.patch(
        f"/api/v1/images/{image_id}/", {"min_ram": 128, "visibility": "shared"}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["image"]["min_ram"] == 128

    alt_id = alt_sdk.current_project_id
    added = demo_client.post(
        f"/api/v1/images/{image_id}/members/", {"project_id": alt_id}, content_type="application/json"
    )
    assert added.status_code == 201
    alt = logged_in(django_client_factory(), "alt", "alt")
    answered = alt.put(
        f"/api/v1/images/{image_id}/members/{alt_id}/", {"status": "accepted"}, content_type="application/json"
    )
    assert answered.status_code == 200
    assert demo_sdk.image.get_member(alt_id, image_id).status == "accepted"
    members = demo_client.get(f"/api/v1/images/{image_id}/members/").json()["members"]
    assert members == [{"member_id": alt_id, "status": "accepted", "name": ""}]

    assert demo_client.delete(f"/api/v1/images/{image_id}/").status_code == 204
    assert demo_sdk.image.find_image(image_id, ignore_missing=True) is None


def test_api_errors_are_json(demo_client, demo_sdk, cleanup):
    bad = demo_client.post("/api/v1/images/", {"name": "x", "disk_format": "exe"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request" and "disk_format" in bad.json()["fields"]
    missing = demo_client.get("/api/v1/images/00000000-0000-0000-0000-000000000001/")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    image = demo_sdk.image.create_image(
        name=unique("zt-api-prot"), disk_format="raw", container_format="bare", is_protected=True
    )
    cleanup.delete("image", image.id)
    cleanup.add(lambda: demo_sdk.image.update_image(image.id, is_protected=False))
    refused = demo_client.delete(f"/api/v1/images/{image.id}/")
    assert refused.status_code == 403 and "protected" in refused.json()["message"]


def test_api_writes_need_csrf(demo_client):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = demo_client.cookies
    response = browser.post("/api/v1/images/", {"name": "x", "disk_format": "raw"}, content_type="application/json")
    assert response.status_code == 403
