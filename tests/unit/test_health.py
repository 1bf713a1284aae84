"""The balancer's health check, answered by the event loop (dashboard.asgi.HealthCheck)."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.asgi import HealthCheck, application
from tests.communicators import HttpCommunicator


def _answer(app, method: str, path: str) -> dict:
    """The app's answer, run on an event loop of its own in another thread (the browser tests, run
    before these in the whole suite, leave Playwright's loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, HttpCommunicator(app, method, path).get_response()).result()


async def _never(scope, receive, send):
    raise AssertionError("the health check reached the application behind it")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_healthz_is_answered_without_django(method):
    answer = _answer(HealthCheck(_never), method, "/healthz")
    assert answer["status"] == 200
    headers = dict(answer["headers"])
    assert headers[b"content-type"] == b"application/json" and headers[b"cache-control"] == b"no-store"
    assert answer["body"] == (b'{"status": "ok"}' if method == "GET" else b"")


def test_other_requests_go_on_to_django():
    seen = []

    async def app(scope, receive, send):
        seen.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    for method, path in (("POST", "/healthz"), ("GET", "/healthz/x"), ("GET", "/project/")):
        assert _answer(HealthCheck(app), method, path)["status"] == 204
    assert seen == [("POST", "/healthz"), ("GET", "/healthz/x"), ("GET", "/project/")]


def test_the_application_answers_healthz_first():
    assert isinstance(application.app.application_mapping["http"], HealthCheck)
    answer = _answer(application, "GET", "/healthz")
    assert answer["status"] == 200 and json.loads(answer["body"]) == {"status": "ok"}
