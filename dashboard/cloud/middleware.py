"""Cloud failures that a view did not handle itself become a page (or JSON) with the message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .errors import CloudError, SessionExpired


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def login_redirect(request, reason: str = "expired"):
    from dashboard.accounts.state import forget_tokens

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
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # a request's connection has no socket of its own to close: every connection of the process
        # sends through one bounded pool kept between pages (dashboard.cloud.sessions.shared_http)
        return self.get_response(request)

    def process_exception(self, request, exception):
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
