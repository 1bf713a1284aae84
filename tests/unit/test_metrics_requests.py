"""Requests as the metrics count them: through Django (dashboard.metrics.middleware) and through the
upload route ahead of it, each under its view's name or pattern, method and status, never its path.
No login, no cloud: requests answered before any session or cloud call."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import asgi_http, metric_value, metrics_text

UPLOAD_ID = "met0123456789abcdef"


def requests_of(view: str, method: str, status: str) -> float:
    return metric_value(metrics_text(), "zenith_http_requests_total", view=view, method=method, status=status)


@pytest.mark.parametrize(
    "path, view, status",
    [
        ("/healthz", "healthz", "200"),
        ("/project/instances/", "instances:list", "302"),  # sent to log in, before the view: its view all the same
        ("/no/such/page/0b3f1c52-6a4e-4a3b-9d7e-2f1a8c9e4d10/", "unmatched", "302"),
    ],
)
def test_a_request_through_django_is_counted_and_timed_under_its_view(path, view, status):
    before = requests_of(view, "GET", status)
    timed = metric_value(metrics_text(), "zenith_http_request_seconds_count", view=view)
    assert str(Client(HTTP_HOST="127.0.0.1").get(path).status_code) == status
    assert requests_of(view, "GET", status) == before + 1
    assert metric_value(metrics_text(), "zenith_http_request_seconds_count", view=view) == timed + 1


def test_an_odd_method_is_counted_as_other():
    before = requests_of("healthz", "other", "200")
    assert Client(HTTP_HOST="127.0.0.1").generic("BREW", "/healthz").status_code == 200
    assert requests_of("healthz", "other", "200") == before + 1


@pytest.mark.parametrize(
    "path, view, status",
    [
        (f"/uploads/images/{UPLOAD_ID}/", "uploads:images", "403"),  # no CSRF token
        (f"/uploads/no-such-kind/{UPLOAD_ID}/", "uploads:unmatched", "404"),
    ],
)
def test_an_upload_put_is_counted_under_its_kind(path, view, status):
    before = requests_of(view, "PUT", status)
    answer = asgi_http("PUT", path, [("host", "127.0.0.1:8000"), ("content-length", "3")], [b"abc"])
    assert str(answer["status"]) == status
    assert requests_of(view, "PUT", status) == before + 1
