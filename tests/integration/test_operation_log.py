"""The operation log against the devcloud: what pages and the API change leaves one JSON line each,
with who, which project, what on which ids and how it ended, and never a password, token or key.
The lines are read as written: the test points the log's own handler (dashboard.oplog.log.handler,
as DASHBOARD_OPERATION_LOG=<file> makes it) at a file. Also the request id: on every answer, on the
error pages and in the API's JSON errors."""

from __future__ import annotations

import json
import logging
import re
import uuid

import pytest
from django.test import Client, override_settings

from dashboard.accounts.models import ApiKey
from dashboard.cloud.secrets import open_sealed
from dashboard.oplog.log import LOGGER, handler
from tests.helpers import (
    key_client,
    login,
    made_volume,
    make_api_key,
    run_async,
    session_tokens,
    unique,
    wait_for,
    wait_volume,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


class OperationLog:
    """The lines written to a file while the test runs."""

    def __init__(self, path):
        self.path = path

    def text(self) -> str:
        return self.path.read_text() if self.path.exists() else ""

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text().splitlines()]

    def about(self, ident: str) -> list[dict]:
        """The lines naming `ident` as a target or as what they created, in order."""
        return [
            line
            for line in self.lines()
            if line["created_id"] == ident
            or ident in line["targets"].values()
            or ident in line["targets"].get("ids", [])
        ]

    def of(self, request_id: str) -> dict:
        found = [line for line in self.lines() if line["request_id"] == request_id]
        assert len(found) == 1, (request_id, self.lines())
        return found[0]


@pytest.fixture
def operation_log(tmp_path):
    import dashboard.asgi  # noqa: F401 - sets Django up (and its logging) at import: before the handler is added

    path = tmp_path / "operations.log"
    made = handler(str(path))
    logger = logging.getLogger(LOGGER)
    level = logger.level
    logger.addHandler(made)
    logger.setLevel(logging.INFO)
    yield OperationLog(path)
    logger.removeHandler(made)
    made.close()
    logger.setLevel(level)


def _who(line: dict, sdk_conn, name: str, project: str) -> None:
    assert (line["user"], line["user_id"]) == (name, sdk_conn.current_user_id)
    assert (line["project"], line["project_id"]) == (project, sdk_conn.current_project_id)
    assert line["domain"] == "Default"
    assert line["client"] == "127.0.0.1"
    assert HEX_ID.match(line["request_id"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["time"])
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0


def test_a_volume_made_and_deleted_on_the_pages_leaves_two_lines(demo_client, demo_sdk, cleanup, operation_log):
    name = unique("oplog-vol")
    created = demo_client.post("/project/volumes/create/", {"name": name, "source": "blank", "size": 1})
    assert created.status_code == 302, created.content.decode()[:1000]
    volume_id = re.search(r"/project/volumes/([0-9a-f-]{36})/$", created["Location"]).group(1)
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    wait_volume(demo_sdk, volume_id, "available")
    deleted = demo_client.post(f"/project/volumes/{volume_id}/action/delete/", {"name": name})
    assert deleted.status_code == 302
    wait_for(lambda: demo_sdk.block_storage.find_volume(volume_id, ignore_missing=True) is None, "volume deleted")

    made, gone = operation_log.about(volume_id)
    for line, response in ((made, created), (gone, deleted)):
        _who(line, demo_sdk, "demo", "demo")
        assert line["request_id"] == response["X-Request-ID"]
        assert (line["method"], line["status"], line["ok"], line["cloud_errors"]) == ("POST", 302, True, [])
        assert line["auth"] == "session" and line["api_key_id"] is None
    assert (made["action"], made["route"], made["path"]) == (
        "volumes.create",
        "volumes:create",
        "/project/volumes/create/",
    )
    assert made["created_id"] == volume_id and made["targets"] == {}
    assert (gone["action"], gone["route"]) == ("volumes.delete", "volumes:action")
    assert (
        gone["targets"] == {"volume_id": volume_id} and gone["path"] == f"/project/volumes/{volume_id}/action/delete/"
    )
    # the form's other fields are not written; nor is any token of the session
    text = operation_log.text()
    assert name not in text
    for token in session_tokens(demo_client):
        assert token not in text


def test_a_bulk_delete_writes_the_ids_posted(demo_client, demo_sdk, cleanup, operation_log):
    volumes = [made_volume(demo_sdk, cleanup) for _ in range(2)]
    ids = [v.id for v in volumes]
    response = demo_client.post("/project/volumes/bulk/", {"action": "delete", "ids": [*ids, "not an id!"]})
    assert response.status_code == 302
    for volume_id in ids:
        wait_for(lambda v=volume_id: demo_sdk.block_storage.find_volume(v, ignore_missing=True) is None, "deleted")
    line = operation_log.of(response["X-Request-ID"])
    _who(line, demo_sdk, "demo", "demo")
    assert (line["action"], line["route"]) == ("volumes.delete", "volumes:bulk")
    assert line["targets"] == {"ids": ids} and line["ok"] is True


def test_a_volume_made_and_deleted_with_an_api_key_leaves_two_lines(demo_client, demo_sdk, cleanup, operation_log):
    key = make_api_key(demo_client, unique("oplog-key"))
    row = ApiKey.objects.get(key_hash__isnull=False, prefix=key[:10])
    cleanup.add(lambda: demo_client.post(f"/auth/keys/{row.id}/revoke/"))
    api = key_client(key)
    name = unique("oplog-apivol")
    created = api.post("/api/v1/volumes/", {"name": name, "size": 1}, content_type="application/json")
    assert created.status_code == 202, created.content
    volume_id = created.json()["volume"]["id"]
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    wait_volume(demo_sdk, volume_id, "available")
    deleted = api.delete(f"/api/v1/volumes/{volume_id}/")
    assert deleted.status_code == 202
    wait_for(lambda: demo_sdk.block_storage.find_volume(volume_id, ignore_missing=True) is None, "volume deleted")

    made, gone = operation_log.about(volume_id)
    for line, response in ((made, created), (gone, deleted)):
        _who(line, demo_sdk, "demo", "demo")
        assert line["request_id"] == response["X-Request-ID"]
        assert (line["status"], line["ok"]) == (202, True)
        assert (line["auth"], line["api_key_id"]) == ("api_key", str(row.id))
    assert (made["action"], made["method"], made["created_id"]) == ("volumes.create", "POST", volume_id)
    assert made["route"] == "api/v1/volumes/"
    assert (gone["action"], gone["method"], gone["targets"]) == ("volumes.delete", "DELETE", {"volume_id": volume_id})
    text = operation_log.text()
    assert key not in text and key[3:] not in text and name not in text


def test_a_refused_api_call_says_why_and_answers_its_request_id(demo_client, demo_sdk, operation_log):
    missing = str(uuid.uuid4())
    response = demo_client.delete(f"/api/v1/volumes/{missing}/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert HEX_ID.match(request_id) and response.json()["request_id"] == request_id
    assert response.json()["error"] == "not_found"
    line = operation_log.of(request_id)
    _who(line, demo_sdk, "demo", "demo")
    assert (line["action"], line["status"], line["ok"]) == ("volumes.delete", 404, False)
    assert line["cloud_errors"] == [{"kind": "not_found", "status": 404, "service": "volume"}]
    assert line["targets"] == {"volume_id": missing}
    # a page's failed action (answered with a redirect) says it too
    refused = demo_client.post(f"/project/volumes/{missing}/action/delete/", {"name": "x"})
    line = operation_log.of(refused["X-Request-ID"])
    assert line["ok"] is False and line["cloud_errors"][0]["kind"] == "not_found"


def test_passwords_keys_and_secrets_never_reach_the_log(admin_client, admin_sdk, demo_client, cleanup, operation_log):
    first, new, wrong = "Oplog-first-7781", "Oplog-new-" + uuid.uuid4().hex[:12], "Oplog-wrong-" + uuid.uuid4().hex[:8]
    name = unique("oplog-user")
    project = admin_sdk.identity.find_project("demo", ignore_missing=False)
    user = admin_sdk.identity.create_user(name=name, password=first, domain_id="default", default_project_id=project.id)
    cleanup.delete("user", user.id)
    member = next(r for r in admin_sdk.identity.roles() if r.name == "member")
    admin_sdk.identity.assign_project_role_to_user(project, user, member)

    changed = admin_client.post(f"/identity/users/{user.id}/password/", {"password": new, "confirm": new})
    assert changed.status_code == 302
    line = operation_log.of(changed["X-Request-ID"])
    assert (line["user"], line["project"], line["action"]) == ("admin", "admin", "identity.user_password")
    assert line["targets"] == {"user_id": user.id} and line["ok"] is True

    # a failed login: the name typed, its status; then the new password works, and logout
    fresh = Client()
    failed = login(fresh, name, password=wrong)
    assert failed.status_code == 401
    line = operation_log.of(failed["X-Request-ID"])
    assert (line["action"], line["user"], line["user_id"], line["status"], line["ok"]) == (
        "accounts.login",
        name,
        None,
        401,
        False,
    )
    # from a browser where demo is logged in: still the name typed, not demo
    from_session = login(demo_client, name, password=wrong)
    assert from_session.status_code == 401
    line = operation_log.of(from_session["X-Request-ID"])
    assert (line["user"], line["user_id"], line["project"]) == (name, None, None)
    entered = login(fresh, name, password=new)
    assert entered.status_code == 302
    line = operation_log.of(entered["X-Request-ID"])
    assert (line["action"], line["user"], line["user_id"], line["ok"]) == ("accounts.login", name, user.id, True)
    assert line["project"] == "demo"
    tokens = session_tokens(fresh)
    out = fresh.post("/auth/logout/")
    line = operation_log.of(out["X-Request-ID"])
    assert (line["action"], line["user"], line["user_id"]) == ("accounts.logout", name, user.id)

    # an API key made on its page: the key shown once and its credential's secret stay out
    key = make_api_key(demo_client, unique("oplog-key"))
    row = ApiKey.objects.get(prefix=key[:10], keystone_user_id=demo_client.session["keystone"]["user_id"])
    cleanup.add(lambda: demo_client.post(f"/auth/keys/{row.id}/revoke/"))
    made = [line for line in operation_log.lines() if line["action"] == "accounts.api_keys"]
    assert len(made) == 1 and made[0]["created_id"] == str(row.id) and made[0]["status"] == 201

    text = operation_log.text()
    for secret in (first, new, wrong, key, key[3:], open_sealed(row.sealed_secret), *tokens):
        assert secret not in text
    assert all(set(json.loads(raw)) == set(operation_log.lines()[0]) for raw in text.splitlines())


def test_every_answer_has_a_request_id_and_the_error_pages_show_it(demo_client):
    page = demo_client.get("/project/volumes/")
    assert page.status_code == 200 and HEX_ID.match(page["X-Request-ID"])
    assert demo_client.get("/project/volumes/")["X-Request-ID"] != page["X-Request-ID"]
    missing = demo_client.get(f"/project/volumes/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert f'<code class="user-select-all">{missing["X-Request-ID"]}</code>' in missing.content.decode()
    nowhere = demo_client.get("/no-such-page/")
    assert nowhere.status_code == 404 and nowhere["X-Request-ID"] in nowhere.content.decode()
    api = demo_client.get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404 and api.json()["request_id"] == api["X-Request-ID"]
    unauthenticated = Client().get("/api/v1/volumes/")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["request_id"] == unauthenticated["X-Request-ID"]


def test_a_proxys_request_id_is_kept_only_behind_a_trusted_proxy(demo_client):
    sent = "proxy-0123456789abcdef"
    assert demo_client.get("/project/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] != sent
    with override_settings(BEHIND_PROXY=True):
        assert demo_client.get("/project/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
        for insane in ("short", "x" * 65, "has space in it", "abc/../def12", f"{sent},{sent}"):
            answered = demo_client.get("/project/", HTTP_X_REQUEST_ID=insane)["X-Request-ID"]
            assert answered != insane and HEX_ID.match(answered)


def _asgi_put(client, url: str, data: bytes) -> tuple[int, dict, dict]:
    """PUT `data` to the upload route in one message, as an ASGI server would: (status, headers, JSON)."""
    from dashboard.asgi import application
    from tests.helpers import upload_scope

    messages = iter([{"type": "http.request", "body": data, "more_body": False}])
    out: list = []

    async def receive():
        return next(messages, {"type": "http.disconnect"})

    async def send(message):
        out.append(message)

    scope = {**upload_scope(client, url, len(data)), "client": ("127.0.0.1", 50123)}
    run_async(application(scope, receive, send))
    headers = {k.decode(): v.decode() for k, v in out[0]["headers"]}
    return out[0]["status"], headers, json.loads(out[1]["body"])


@pytest.mark.django_db(transaction=True)
def test_the_upload_route_writes_its_put_and_the_page_its_cancel(demo_client, demo_sdk, cleanup, operation_log):
    box = unique("oplog-up")
    assert demo_sdk.object_store.put(f"/{box}").status_code == 201
    cleanup.add(lambda: demo_sdk.object_store.delete(f"/{box}"))
    cleanup.add(lambda: demo_sdk.object_store.delete(f"/{box}/oplog.bin"))
    demo_client.get("/project/containers/")  # the CSRF cookie
    prepared = demo_client.post(
        f"/project/containers/c/{box}/upload/",
        {"folder": "", "name": ["oplog.bin", "later.bin"], "size": [5, 3]},
        HTTP_ACCEPT="application/json",
    )
    assert prepared.status_code == 201, prepared.content[:500]
    uploads = {row["name"]: row for row in prepared.json()["uploads"]}
    line = operation_log.of(prepared["X-Request-ID"])
    assert (line["action"], line["targets"]) == ("containers.upload", {"container": box})

    status, headers, body = _asgi_put(demo_client, uploads["oplog.bin"]["upload_url"], b"hello")
    assert status == 200 and body["state"] == "done"
    upload_id = uploads["oplog.bin"]["upload_url"].rstrip("/").rsplit("/", 1)[1]
    line = operation_log.of(headers["x-request-id"])
    _who(line, demo_sdk, "demo", "demo")
    assert (line["action"], line["method"], line["route"], line["status"], line["ok"]) == (
        "containers.upload_send",
        "PUT",
        "uploads",
        200,
        True,
    )
    assert line["targets"] == {"upload_id": upload_id, "target_id": box}
    # a second PUT of the same upload: refused, with its id in the JSON error, and written too
    status, headers, body = _asgi_put(demo_client, uploads["oplog.bin"]["upload_url"], b"again")
    assert status == 409 and body["request_id"] == headers["x-request-id"]
    line = operation_log.of(headers["x-request-id"])
    assert (line["status"], line["ok"], line["action"]) == (409, False, "containers.upload_send")

    cancelled = demo_client.post(uploads["later.bin"]["cancel_url"])
    assert cancelled.status_code == 200
    line = operation_log.of(cancelled["X-Request-ID"])
    later_id = uploads["later.bin"]["upload_url"].rstrip("/").rsplit("/", 1)[1]
    assert (line["action"], line["targets"]) == ("containers.upload_cancel", {"container": box, "upload_id": later_id})
    assert b"hello" not in operation_log.path.read_bytes()


@override_settings(LOGIN_ATTEMPTS=1, LOGIN_ATTEMPTS_WINDOW=60, TRUSTED_PROXIES=1, BEHIND_PROXY=True)
def test_a_throttled_login_behind_a_proxy_shows_and_writes_the_proxys_id(devcloud, operation_log):
    from dashboard.accounts import throttle

    client_ip = "10." + ".".join(str(b) for b in uuid.uuid4().bytes[:3])  # this test's own (Redis is shared)
    name, password = unique("oplog-nobody"), "Oplog-guess-" + uuid.uuid4().hex[:8]
    try:
        browser = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.9, {client_ip}")
        assert browser.post("/auth/login/", {"username": name, "password": password}).status_code == 401
        blocked = browser.post(
            "/auth/login/", {"username": name, "password": password}, HTTP_X_REQUEST_ID="haproxy-req-000123"
        )
        assert blocked.status_code == 429 and blocked["X-Request-ID"] == "haproxy-req-000123"
        assert '<code class="user-select-all">haproxy-req-000123</code>' in blocked.content.decode()
        line = operation_log.of("haproxy-req-000123")
        assert (line["action"], line["status"], line["user"], line["client"]) == (
            "accounts.login",
            429,
            name,
            client_ip,
        )
        assert password not in operation_log.text()
    finally:
        throttle.reset(client_ip, name, "Default")
