"""The operation log's pure logic (dashboard.oplog): action names read from the real URLs, target
ids, redaction, the id a JSON answer created, request-id validation, and the JSON lines as the
log's own handler writes them."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dashboard.cloud import CloudError, SessionExpired, failures, translate
from dashboard.oplog import entry, ids
from dashboard.oplog.log import JsonLines, handler
from tests.helpers import run_async


# --- action names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("view_name", "url_action", "posted", "expected"),
    [
        ("volumes:create", "", "", "volumes.create"),
        ("volumes:action", "delete", "", "volumes.delete"),
        ("volumes:snapshots:action", "delete", "", "volumes.snapshots.delete"),
        ("volumes:bulk", "", "delete", "volumes.delete"),
        ("volumes:bulk", "", "Drop Table", "volumes.bulk"),  # not a verb: the route's own name
        ("volumes:action", "../x", "", "volumes.action"),
        ("identity:user_password", "", "", "identity.user_password"),
        ("accounts:login", "", "", "accounts.login"),
    ],
)
def test_page_actions_are_named_from_the_url(view_name, url_action, posted, expected):
    assert entry.page_action(view_name, url_action, posted) == expected


@pytest.mark.parametrize(
    ("route", "method", "verb", "expected"),
    [
        ("api/v1/volumes/", "POST", "", "volumes.create"),
        ("api/v1/volumes/<uuid:volume_id>/", "DELETE", "", "volumes.delete"),
        ("api/v1/volumes/<uuid:volume_id>/action/", "POST", "extend", "volumes.extend"),
        ("api/v1/volumes/<uuid:volume_id>/action/", "POST", "Not A Verb", "volumes.action"),
        ("api/v1/backups/<uuid:backup_id>/restore/", "POST", "", "backups.restore"),
        ("api/v1/admin/projects/<str:project_id>/quotas/", "PATCH", "", "admin.projects.quotas.update"),
        ("api/v1/floating-ips/", "POST", "", "floating_ips.create"),
        ("api/v1/containers/<str:container>/object/copy/", "POST", "", "containers.object.copy"),
        ("api/v1/instances/<uuid:server_id>/volumes/<uuid:volume_id>/", "DELETE", "", "instances.volumes.delete"),
    ],
)
def test_api_actions_are_named_from_the_route_and_method(route, method, verb, expected):
    assert entry.route_action(route, method, verb) == expected


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def test_every_api_route_gets_a_dotted_name_without_its_variables():
    api = [route for route, name in _routes() if route.startswith("api/v1/") and not name]
    assert len(api) > 50  # the real URLconf
    for route in api:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            name = entry.route_action(route, method)
            assert all(part and part.replace("_", "").isalnum() for part in name.split(".")), (route, method, name)
            assert "<" not in name and "uuid" not in name


# --- targets and redaction -----------------------------------------------------------------------
def test_targets_are_the_url_ids_and_the_bulk_ids_well_formed_and_bounded():
    assert entry.targets({"volume_id": "v-1", "action": "delete"}) == {"volume_id": "v-1"}
    posted = ["a1", "a1", "b2", "no spaces", "x" * 300, *[f"id{n}" for n in range(150)]]
    found = entry.targets({}, posted)
    assert found["ids"][:2] == ["a1", "b2"] and "no spaces" not in found["ids"]
    assert len(found["ids"]) == entry.MAX_IDS
    assert entry.targets({}, []) == {}


@pytest.mark.parametrize("name", ["password", "new_password", "passwd", "secret", "app_secret", "token", "auth_key"])
def test_values_named_like_secrets_are_redacted(name):
    assert entry.redacted({name: "hunter2"}) == {name: entry.REDACTED}


def test_values_shaped_like_keys_or_sealed_secrets_are_redacted_and_others_kept_short():
    found = entry.redacted({"key_id": "3f2a", "name": "zk_abcdef", "sealed": "gAAAAABl_x", "long": "y" * 1000})
    assert found["key_id"] == "3f2a"  # an API key's row id is no secret
    assert found["name"] == found["sealed"] == entry.REDACTED
    assert found["long"] == "y" * entry.MAX_VALUE
    assert "zk_abc" not in entry.targets({}, ["zk_abcdefgh", "ok-1"])["ids"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"volume": {"id": "3b0c-1"}}, "3b0c-1"),
        ({"id": "i-9", "name": "web1", "count": 1}, "i-9"),
        ({"transfer": {"id": "t-1", "auth_key": "s3cr3t"}}, "t-1"),
        ({"keypair": {"name": "k", "private_key": "-----BEGIN"}}, ""),
        ({"status": "accepted"}, ""),
        ({"id": "has space"}, ""),
        ({"id": "zk_looks_like_a_key"}, ""),
        (["id"], ""),
    ],
)
def test_the_created_id_is_read_from_the_answer_and_nothing_else(body, expected):
    assert entry.created_id(body) == expected


def test_a_line_has_every_field_and_no_other():
    line = entry.line(status=200)
    assert list(line) == list(entry.FIELDS) and line["targets"] == {} and line["cloud_errors"] == []
    with pytest.raises(ValueError, match="password"):
        entry.line(password="x")


# --- cloud failures ------------------------------------------------------------------------------
def test_a_translated_error_carries_the_services_status_and_is_noted_once():
    from openstack import exceptions as sdk_exc

    class Answer:
        status_code = 409
        headers: dict = {}
        url = "http://127.0.0.1:8776/v3/volumes/x"

        def json(self):
            return {}

    error = translate(sdk_exc.ConflictException("busy", response=Answer(), http_status=409), service="volume")
    assert (error.kind, error.cloud_status, error.service) == ("conflict", 409, "volume")
    assert entry.cloud_error(error) == {"kind": "conflict", "status": 409, "service": "volume"}
    assert entry.cloud_error(CloudError("quota", "over"))["status"] is None  # Zenith's own refusal
    assert entry.cloud_error(SessionExpired())["kind"] == "session_expired"
    failures.note(error)  # nobody watching: nothing kept
    token = failures.watch()
    try:
        failures.note(error)
        failures.note(error)
        assert failures.seen() == [error]
    finally:
        failures.stop(token)
    assert failures.seen() == []


# --- request ids ---------------------------------------------------------------------------------
@pytest.mark.parametrize("sent", ["abcdefgh", "proxy-0123-4567", "A" * 64, "0" * 32])
def test_a_trusted_proxys_sane_id_is_kept(sent):
    assert ids.chosen(sent, trusted=True) == sent
    assert ids.chosen(sent, trusted=False) != sent


@pytest.mark.parametrize("sent", [None, "", "short", "A" * 65, "with space", "a/b/c/d/e", "id\nforged", "ünïcode-id"])
def test_anything_else_gets_a_new_id(sent):
    made = ids.chosen(sent, trusted=True)
    assert made != sent and len(made) == 32 and int(made, 16) >= 0
    assert ids.chosen(sent, trusted=True) != made


def test_an_asgi_requests_id_is_made_once_and_kept_in_its_scope():
    scope = {"type": "http", "headers": [(b"x-request-id", b"proxy-0123456789")]}
    first = ids.of_scope(scope)
    assert ids.of_scope(scope) == first and scope[ids.SCOPE_KEY] == first


def test_json_errors_get_the_id_and_other_bodies_are_left_alone():
    body = ids.in_error_body(b'{"error":"not_found","message":"gone \xc3\xa9"}', "rid-1")
    assert json.loads(body) == {"error": "not_found", "message": "gone é", "request_id": "rid-1"}
    assert body.startswith(b'{"error":"not_found","message":"gone \xc3\xa9",')  # the rest as it was
    spaced = ids.in_error_body(b'{"error": "x", "message": "y"}\n', "rid-2")
    assert spaced == b'{"error": "x", "message": "y", "request_id": "rid-2"}'
    assert ids.in_error_body(spaced, "rid-3") is None  # one id only
    assert ids.in_error_body(b'{"volume": {}}', "rid-1") is None
    assert ids.in_error_body(b"<html>", "rid-1") is None
    assert ids.in_error_body(b"[1]", "rid-1") is None


def test_the_asgi_answer_gets_the_header_and_its_json_error_the_id():
    sent: list = []

    async def send(message):
        sent.append(message)

    async def answer(status, body):
        answered: dict = {}
        wrapped = ids.sending_id(send, "rid-42", answered)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await wrapped({"type": "http.response.start", "status": status, "headers": headers})
        await wrapped({"type": "http.response.body", "body": body})
        return answered["status"]

    assert run_async(answer(429, b'{"error":"throttled","message":"wait"}')) == 429
    start, body = sent
    headers = dict(start["headers"])
    assert headers[b"x-request-id"] == b"rid-42"
    assert json.loads(body["body"])["request_id"] == "rid-42"
    assert int(headers[b"content-length"]) == len(body["body"])
    sent.clear()
    assert run_async(answer(200, b'{"state":"done"}')) == 200
    assert dict(sent[0]["headers"])[b"x-request-id"] == b"rid-42" and sent[1]["body"] == b'{"state":"done"}'


# --- the lines as written ------------------------------------------------------------------------
def test_lines_are_one_json_object_each_in_ascii_with_control_characters_escaped(tmp_path):
    path = tmp_path / "ops.log"
    made = handler(str(path))
    record = logging.LogRecord("zenith.operations", logging.INFO, __file__, 1, "operation", None, None)
    record.operation = entry.line(user='zoë\nforged {"user": "admin"}', status=302)
    made.emit(record)
    plain = logging.LogRecord("zenith.operations", logging.INFO, __file__, 1, "hello %s", ("there",), None)
    made.emit(plain)
    made.close()
    raw = path.read_bytes()
    assert raw.isascii() and raw.count(b"\n") == 2
    first, second = (json.loads(line) for line in raw.decode().splitlines())
    assert first["user"] == 'zoë\nforged {"user": "admin"}' and first["status"] == 302
    assert second["message"] == "hello there" and second["time"].endswith("Z")


@pytest.mark.parametrize("off", ["", "off", "OFF", " none "])
def test_an_empty_setting_writes_nothing(off):
    assert isinstance(handler(off), logging.NullHandler)


def test_stdout_follows_whatever_stdout_is(capsys):
    made = handler("-")
    made.setFormatter(JsonLines())
    record = logging.LogRecord("zenith.operations", logging.INFO, __file__, 1, "operation", None, None)
    record.operation = entry.line(status=201)
    made.emit(record)
    assert json.loads(capsys.readouterr().out)["status"] == 201


def test_a_file_that_cannot_be_opened_fails_at_start(tmp_path):
    with pytest.raises(OSError):
        handler(str(tmp_path / "missing-folder" / "ops.log"))
