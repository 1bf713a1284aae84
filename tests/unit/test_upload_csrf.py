"""The upload route's CSRF check is Django's own: a page's token passes, a missing, malformed or
forged one (or another site's Origin) is refused before any session, Redis or cloud is asked."""

import io
import json

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.middleware.csrf import get_token
from django.test import RequestFactory

from dashboard.uploads.asgi import UploadRouter, csrf_ok
from tests.helpers import run_async

URL = "/uploads/images/AAAAAAAAAAAAAAAAAAAAAAAA/"


def page_csrf() -> tuple[str, str]:
    """(the CSRF cookie, the token a page embeds), as Django hands them to a browser."""
    request = RequestFactory().get("/project/images/")
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


def scope(cookie: str | None, header: str | None, origin: str | None = None) -> dict:
    headers = [(b"host", b"127.0.0.1:8000"), (b"content-length", b"3")]
    if cookie is not None:
        headers.append((b"cookie", f"zenith_session=abc; csrftoken={cookie}".encode()))
    if header is not None:
        headers.append((b"x-csrftoken", header.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "http", "method": "PUT", "path": URL, "scheme": "http", "headers": headers, "query_string": b""}


def accepted(cookie, header, origin=None) -> bool:
    return csrf_ok(ASGIRequest(scope(cookie, header, origin), io.BytesIO()))


def put(cookie, header, origin=None) -> tuple[int, dict]:
    """The route's answer; a body is never read, nothing but the refusal happens."""
    out = []

    async def receive():
        raise AssertionError("the body of a refused upload is read")

    async def send(message):
        out.append(message)

    async def never_django(scope, receive, send):
        raise AssertionError("an upload PUT reached Django")

    run_async(UploadRouter(never_django)(scope(cookie, header, origin), receive, send))
    return out[0]["status"], json.loads(out[1]["body"])


def test_the_pages_token_passes():
    cookie, token = page_csrf()
    assert accepted(cookie, token)
    assert accepted(cookie, token, origin="http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda cookie, token, other: (cookie, None, None), id="no header"),
        pytest.param(lambda cookie, token, other: (None, token, None), id="no cookie"),
        pytest.param(lambda cookie, token, other: (cookie, other, None), id="another browser's token"),
        pytest.param(lambda cookie, token, other: (cookie, token[:-1] + "!", None), id="malformed header"),
        pytest.param(lambda cookie, token, other: (cookie, token[:20], None), id="short header"),
        pytest.param(lambda cookie, token, other: (cookie + "x", token, None), id="malformed cookie"),
        pytest.param(lambda cookie, token, other: (cookie, token, "http://evil.example"), id="another site"),
    ],
)
def test_a_missing_malformed_or_forged_token_is_refused_by_the_route(forge):
    cookie, token = page_csrf()
    other = page_csrf()[1]
    sent = forge(cookie, token, other)
    assert not accepted(*sent)
    status, body = put(*sent)
    assert status == 403 and body["error"] == "forbidden" and "CSRF" in body["message"]
