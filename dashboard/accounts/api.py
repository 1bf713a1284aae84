"""DRF authentication: the browser's Keystone session, or an API key (no token ever goes out)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling

from dashboard.cloud import SessionExpired

from . import apikeys


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` or `X-API-Key: <key>`: the key's user, in the key's project."""

    def authenticate(self, request):
        key = apikeys.key_from_headers(request._request)
        if not key:
            return None
        row = apikeys.find_key(key)
        if row is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown, revoked or expired."))
        try:
            user = apikeys.credentials_of(row)
        except SessionExpired:
            raise exceptions.AuthenticationFailed(_("Keystone no longer accepts this API key's credential.")) from None
        django_request = request._request
        django_request.keystone = user  # dashboard.cloud.connection acts with it
        django_request.api_key_id = str(row.pk)  # the key's row (not the key), for the operation log
        # a token Keystone stopped accepting (credential deleted outside Zenith) is not kept
        django_request.api_key_forget = lambda: apikeys.forget_token(row)
        if row.last_used is None or (timezone.now() - row.last_used).total_seconds() > 60:
            type(row).objects.filter(pk=row.pk).update(last_used=timezone.now())
        return (user, row)

    def authenticate_header(self, request):
        # makes DRF answer 401 (not 403) to a request without credentials
        return 'Bearer realm="zenith"'


class KeystoneSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        user = getattr(request._request, "keystone", None)
        if user is None or not user.is_authenticated:
            return None
        self.enforce_csrf(request)
        return (user, None)


class HasProject(permissions.BasePermission):
    message = _("Choose a project first.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and getattr(user, "is_authenticated", False) and user.has_project)


class IsCloudAdmin(HasProject):
    message = _("This needs the admin role.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.is_admin


class PerKeyThrottle(throttling.SimpleRateThrottle):
    """Requests per API key (or per session user) per period: DASHBOARD_API_RATE, e.g. 600/min."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, apikeys.ApiKey):
            ident = f"key:{request.auth.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"user:{request.user.user_id}"
        else:
            ident = f"addr:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
