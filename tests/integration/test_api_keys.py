"""API keys: made on the API keys page, shown once, stored as a hash, acting through a restricted
Keystone application credential in one project; revoked or expired keys get 401; throttled per key."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from dashboard.accounts.apikeys import hash_of
from dashboard.accounts.models import ApiKey
from tests.helpers import key_client, make_api_key, sdk, unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _credentials(conn, user_id):
    return {c.id: c for c in conn.identity.application_credentials(user=user_id)}


def test_a_key_is_shown_once_stored_as_a_hash_and_acts_in_its_project(demo_client, demo_sdk):
    name = unique("zt-key")
    key = make_api_key(demo_client, name)
    row = ApiKey.objects.get(name=name)
    # Zenith keeps a hash and the sealed credential secret, never the key itself
    stored = " ".join(str(v) for v in ApiKey.objects.filter(pk=row.pk).values().first().values())
    assert key not in stored and key[12:] not in stored
    listing = demo_client.get("/auth/keys/")
    assert listing.status_code == 200 and name in listing.content.decode()
    assert key not in listing.content.decode()
    assert "no-store" in listing["Cache-Control"]

    # Keystone holds a restricted credential for demo, with the key's expiry and demo's roles
    user_id = demo_sdk.current_user_id
    cred = _credentials(demo_sdk, user_id)[row.credential_id]
    assert cred.unrestricted is False
    assert cred.expires_at and cred.expires_at.startswith(row.expires_at.strftime("%Y-%m-%dT%H:%M"))
    assert cred.project_id == demo_sdk.current_project_id

    body = key_client(key).get("/api/v1/session/").json()
    assert body["auth"] == "api_key"
    assert body["project"] == {"id": demo_sdk.current_project_id, "name": "demo"}
    assert body["user"]["name"] == "demo"
    # the alternative header works the same
    assert key_client("").get("/api/v1/session/", HTTP_X_API_KEY=key).status_code == 200

    # revoked: the credential is gone in Keystone and the key gets 401
    response = demo_client.post(f"/auth/keys/{row.id}/revoke/")
    assert response.status_code == 302
    assert row.credential_id not in _credentials(demo_sdk, user_id)
    refused = key_client(key).get("/api/v1/session/")
    assert refused.status_code == 401
    assert refused.json()["error"] == "not_authenticated"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_unknown_keys_get_401(demo_client):
    name = unique("zt-key")
    key = make_api_key(demo_client, name)
    assert key_client(key).get("/api/v1/session/").status_code == 200
    ApiKey.objects.filter(name=name).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = key_client(key).get("/api/v1/session/")
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    assert key_client("zk_" + "x" * 43).get("/api/v1/instances/").status_code == 401
    row = ApiKey.objects.get(name=name)
    demo_client.post(f"/auth/keys/{row.id}/revoke/")


def test_a_key_cannot_make_or_revoke_keys_and_another_user_cannot_revoke_it(demo_client, alt_client):
    key = make_api_key(demo_client)
    row = ApiKey.objects.get(key_hash=hash_of(key))
    # the key management pages are the browser session's: a key alone is sent to log in
    assert key_client(key).get("/auth/keys/").status_code == 302
    alt_client.post(f"/auth/keys/{row.id}/revoke/")
    assert ApiKey.objects.filter(pk=row.pk).exists()
    assert key_client(key).get("/api/v1/session/").status_code == 200
    demo_client.post(f"/auth/keys/{row.id}/revoke/")


def test_key_form_refuses_bad_input_and_keeps_it(demo_client):
    response = demo_client.post("/auth/keys/", {"name": "nightly", "expires": "2001-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a day after today" in page and 'value="nightly"' in page
    far = (timezone.now() + timedelta(days=4000)).date()
    assert "at most" in demo_client.post("/auth/keys/", {"name": "x", "expires": far}).content.decode()


def test_requests_are_throttled_per_key_with_retry_after(demo_client):
    key = make_api_key(demo_client)
    other = make_api_key(demo_client)
    with override_settings(API_RATE="3/min"):
        answers = [key_client(key).get("/api/v1/session/") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[-1].json()["error"] == "throttled"
        assert 0 < int(answers[-1]["Retry-After"]) <= 60
        # another key has its own budget
        assert key_client(other).get("/api/v1/session/").status_code == 200
    for made in (key, other):
        demo_client.post(f"/auth/keys/{ApiKey.objects.get(key_hash=hash_of(made)).id}/revoke/")


def test_keys_never_need_or_accept_a_password(devcloud):
    # the API has no endpoint taking credentials: a password sent along is not a way in
    response = key_client("").post(
        "/api/v1/session/", {"username": "demo", "password": "demo"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert sdk("demo").current_user_id  # the cloud is there: the refusal is Zenith's


def test_a_credential_deleted_in_keystone_ends_the_key(demo_client, demo_sdk):
    from dashboard.accounts.apikeys import forget_token

    key = make_api_key(demo_client)
    row = ApiKey.objects.get(key_hash=hash_of(key))
    api = key_client(key)
    assert api.get("/api/v1/session/").status_code == 200  # its token is cached now
    demo_sdk.identity.delete_application_credential(demo_sdk.current_user_id, row.credential_id)
    # once the cached token is due for renewal (here: dropped), Keystone refuses the credential: 401
    forget_token(row)
    refused = api.get("/api/v1/session/")
    assert refused.status_code == 401 and refused.json()["error"] == "not_authenticated"
    assert "Keystone no longer accepts" in refused.json()["message"]
    row.delete()


def test_a_user_holds_a_bounded_number_of_keys(demo_client, monkeypatch):
    from dashboard.accounts import apikeys

    key = make_api_key(demo_client)
    monkeypatch.setattr(apikeys, "MAX_KEYS_PER_USER", 1)
    refused = demo_client.post("/auth/keys/", {"name": "one-more", "expires": "2099-01-01"})
    assert refused.status_code == 400 and "revoke one first" in refused.content.decode()
    assert not ApiKey.objects.filter(name="one-more").exists()
    demo_client.post(f"/auth/keys/{ApiKey.objects.get(key_hash=hash_of(key)).id}/revoke/")
