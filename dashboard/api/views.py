"""Zenith's JSON API (/api/v1/): the same rules as the pages — the user's current project (the
session's, or the API key's), admin role for /api/v1/admin/ — and one error shape
(dashboard.cloud.api). The endpoints live by area: instances.py, project.py, admin.py."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.accounts.apikeys import ApiKey

from . import serializers as s
from .common import errors


@extend_schema(
    tags=["session"],
    summary="Who the request acts as: user, project, roles, region (never a token)",
    responses={200: s.SessionSerializer, **errors()},
)
@api_view(["GET"])
def session_info(request):
    key = request.auth if isinstance(request.auth, ApiKey) else None
    return Response(s.SessionSerializer(_Shown(request.user, key)).data)


class _Shown:
    """The user's credentials as the session's answer shows them: with how the request logged in
    and, for an API key, when the key (not its token of an hour) expires."""

    def __init__(self, credentials, key: ApiKey | None):
        self.credentials = credentials
        self.auth = "api_key" if key else "session"
        self.expires_at = key.expires_at.isoformat() if key else credentials.expires_at

    def __getattr__(self, name):
        return getattr(self.credentials, name)
