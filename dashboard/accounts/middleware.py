"""Every page but login needs a live Keystone session; expired tokens send the user to log in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dashboard.cloud import keystone
from dashboard.cloud.api import error_response
from dashboard.cloud.middleware import login_redirect

from .apikeys import key_from_headers
from .state import SESSION_KEY, current_user

PUBLIC_PREFIXES = (
    "/auth/login/",
    "/auth/language/",
    "/jsi18n/",
    "/static/",
    "/healthz",
    "/favicon.ico",
    "/api/schema/",
    "/api/docs/",
)


class KeystoneSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.keystone = current_user(request.session)
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
        stored = request.session[SESSION_KEY]
        # a project-scoped token past its expiry: back to login, and back here afterwards
        expiry = stored.get("expires_at") or stored.get("unscoped_expires")
        if keystone.is_expired(expiry):
            return login_redirect(request)
        if not request.keystone.has_project and not request.path.startswith(("/auth/", "/api/")):
            return HttpResponseRedirect("/auth/no-project/")
        return self.get_response(request)
