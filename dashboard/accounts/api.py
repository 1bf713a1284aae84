"""DRF authentication from the Keystone session (no token ever goes to the browser)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, permissions


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
