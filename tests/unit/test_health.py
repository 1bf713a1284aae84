"""The balancer's health check, answered by the event loop (dashboard.asgi.HealthCheck)."""

from __future__ import annotations

import json

import pytest
from channels.testing import HttpCommunicator

from dashboard.asgi import HealthCheck, application


async def _never(scope, receive, send):
    raise AssertionError("the health check reached the application behind it")


@pytest.mark.asyncio
@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_healthz_is_answered_without_django(method):
    answer = await HttpCommunicator(HealthCheck(_never), method, "/healthz").get_response()
    assert answer["status"] == 200
    headers = dict(answer["headers"])
    assert headers[b"content-type"] == b"application/json" and headers[b"cache-control"] == b"no-store"
    assert answer["body"] == (b'{"status": "ok"}' if method == "GET" else b"")


@pytest.mark.asyncio
async def test_other_requests_go_on_to_django():
    seen = []

    async def app(scope, receive, send):
        seen.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    for method, path in (("POST", "/healthz"), ("GET", "/healthz/x"), ("GET", "/project/")):
        assert (await HttpCommunicator(HealthCheck(app), method, path).get_response())["status"] == 204
    assert seen == [("POST", "/healthz"), ("GET", "/healthz/x"), ("GET", "/project/")]


@pytest.mark.asyncio
async def test_the_application_answers_healthz_first():
    assert isinstance(application.application_mapping["http"], HealthCheck)
    answer = await HttpCommunicator(application, "GET", "/healthz").get_response()
    assert answer["status"] == 200 and json.loads(answer["body"]) == {"status": "ok"}
