"""DRF: cloud errors become JSON with the same user messages."""

from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from .errors import CloudError, SessionExpired


def exception_handler(exc, context):
    if isinstance(exc, SessionExpired):
        return Response(
            {"error": "session_expired", "message": _("Your session has expired. Log in again.")}, status=401
        )
    if isinstance(exc, CloudError):
        return Response({"error": exc.kind, "message": exc.message}, status=exc.status)
    return drf_handler(exc, context)
