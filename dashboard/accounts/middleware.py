"""The web layer's side of the cloud: who the request acts as, and what a refusal becomes.

`KeystoneSessionMiddleware` puts the session's `Credentials` on `request.keystone` (every page but
login needs a live Keystone session; an expired token sends the user to log in again), and
`CloudErrorMiddleware` turns a cloud failure a view did not handle into a page (or JSON) with the
message; an ended session (SessionExpired) goes back to login.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from dashboard.cloud import CloudError, SessionExpired, failures
from dashboard.cloud.api import error_response

from .apikeys import key_from_headers
from .state import credentials_of, forget_tokens

PUBLIC_PREFIXES = (
    "/auth/login/",
    "/auth/language/",
    "/jsi18n/",
    "/static/",
    "/healthz",
    "/metrics",  # its own access rules (dashboard.metrics.access)
    "/favicon.ico",
    "/api/schema/",
    "/api/docs/",
)


class KeystoneSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.keystone = credentials_of(request.session)
        if request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/") and key_from_headers(request):
            # an API key: DRF's ApiKeyAuthentication checks it (401 in the API's shape if refused)
            return self.get_response(request)
        if not request.keystone.is_authenticated:
            query = {}
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                # a session cookie without a session: it ended with its token (logout deletes it)
                query["reason"] = "expired"
            if request.method == "GET" and request.path not in ("/", "/auth/logout/"):
                query["next"] = request.get_full_path()
            target = "/auth/login/" + ("?" + urlencode(query) if query else "")
            if request.path.startswith("/api/"):
                return error_response(
                    "not_authenticated", _("Log in first, or send an API key (Authorization: Bearer …)."), 401
                )
            return HttpResponseRedirect(target)
        # a token past its expiry: back to login, and back here afterwards
        if request.keystone.is_expired:
            return login_redirect(request)
        if not request.keystone.has_project and not request.path.startswith(("/auth/", "/api/")):
            return HttpResponseRedirect("/auth/no-project/")
        return self.get_response(request)


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def login_redirect(request, reason: str = "expired"):
    """The session has ended: its tokens are dropped, and the user is sent to log in (401 in JSON)."""
    forget_tokens(request)
    if wants_json(request):
        return JsonResponse(
            {"error": "session_expired", "message": _("Your session has expired. Log in again.")}, status=401
        )
    nxt = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        nxt = ""
    query = {"reason": reason}
    if nxt:
        query["next"] = nxt
    return HttpResponseRedirect("/auth/login/?" + urlencode(query))


class CloudErrorMiddleware:
    """Cloud failures that a view did not handle itself become a page (or JSON) with the message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (CloudError, SessionExpired)):
            failures.note(exception)  # the operation log's (a refusal of Zenith's own passes no cloud call)
        if isinstance(exception, SessionExpired):
            return login_redirect(request)
        if not isinstance(exception, CloudError):
            return None
        if wants_json(request):
            return JsonResponse({"error": exception.kind, "message": exception.message}, status=exception.status)
        if request.method == "POST":
            # keep the user where they were, with the reason on top
            messages.error(request, exception.message)
            back = request.headers.get("Referer", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(back)
        return render(request, "ui/cloud_error.html", {"error": exception}, status=exception.status)
