"""Request bodies over DASHBOARD_MAX_BODY_MB are refused by the ASGI application ahead of Django,
driven here as an ASGI server drives it (tests.helpers.asgi_http, which counts the body messages
the application pulls): a declared length over the limit gets 413 with none of the body read; a body
sent without a length stops being read once it passes the limit; a body under the limit reaches
Django as before (a real login)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.helpers import CHUNK, asgi_http, cookies_set_by, header_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LIMIT = 1024 * 1024
HOST = ("host", "127.0.0.1:8000")


@pytest.fixture(autouse=True)
def one_mib(settings):
    settings.MAX_BODY_BYTES = LIMIT


def eight_mib() -> list[bytes]:
    """8 MiB in 64 KiB messages (one block, referred to 128 times)."""
    return [b"x" * CHUNK] * (8 * LIMIT // CHUNK)


def test_a_declared_length_over_the_limit_is_refused_before_any_of_the_body_is_read():
    body = eight_mib()
    form = [HOST, ("content-type", "application/x-www-form-urlencoded"), ("content-length", str(8 * LIMIT))]
    page = asgi_http("POST", "/auth/login/", form, body)
    assert page["status"] == 413
    assert page["pulled"] == 0, f"{page['pulled_bytes']} bytes of the body were read before the 413"
    assert header_of(page, "content-type").startswith("text/html")
    assert header_of(page, "connection") == "close"  # the unread body is not taken as the next request
    assert "default-src 'self'" in header_of(page, "content-security-policy")
    assert "The request is too large: at most 1 MiB." in page["body"].decode()

    french = asgi_http("POST", "/project/instances/bulk/", [*form, ("accept-language", "fr")], body)
    assert french["status"] == 413 and french["pulled"] == 0
    assert "La requête est trop grande : au plus 1 Mio." in french["body"].decode()

    api = asgi_http("POST", "/api/v1/instances/", [HOST, ("content-length", str(8 * LIMIT))], body)
    assert api["status"] == 413 and api["pulled"] == 0
    assert header_of(api, "content-type") == "application/json"
    assert api["body"].startswith(b"{") and b'"error": "too_large"' in api["body"]


def test_a_body_without_a_length_stops_being_read_once_past_the_limit():
    chunked = [HOST, ("content-type", "application/json"), ("transfer-encoding", "chunked")]
    api = asgi_http("POST", "/api/v1/instances/", chunked, eight_mib())
    assert api["status"] == 413
    assert b'"error": "too_large"' in api["body"]
    # the message that passed the limit is the last one read
    assert LIMIT < api["pulled_bytes"] <= LIMIT + CHUNK, f"{api['pulled_bytes']} bytes read for a {LIMIT} limit"


def _login_form() -> tuple[dict[str, str], bytes]:
    """The login page's CSRF cookie and a filled login form for demo, read through the ASGI application."""
    page = asgi_http("GET", "/auth/login/", [HOST])
    assert page["status"] == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page["body"].decode()).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "username": "demo", "password": "demo"}).encode()
    return cookies_set_by(page), form


@pytest.mark.parametrize("declared", [True, False], ids=["with a length", "without a length"])
def test_a_body_under_the_limit_reaches_django(devcloud, declared):
    cookies, form = _login_form()
    headers = [
        HOST,
        ("cookie", f"csrftoken={cookies['csrftoken']}"),
        ("content-type", "application/x-www-form-urlencoded"),
        ("content-length", str(len(form))) if declared else ("transfer-encoding", "chunked"),
    ]
    answer = asgi_http("POST", "/auth/login/", headers, [form[:20], form[20:]])
    assert answer["pulled_bytes"] == len(form)
    assert answer["status"] == 302, answer["body"][:500]
    assert header_of(answer, "location").startswith("/project/")
    assert "zenith_session" in cookies_set_by(answer)
