"""The API's one error shape: `{"error": kind, "message": text}` (+ `"fields"` for bad input), with
the right status, whatever raised — a cloud refusal, DRF's checks or Django itself. Never HTML."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from . import failures
from .errors import CloudError, SessionExpired

# DRF's exceptions -> the API's error kinds
KINDS = [
    (exceptions.ValidationError, "bad_request"),
    (exceptions.ParseError, "bad_request"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]


def error_body(kind: str, message: str, fields: dict | None = None, detail: str = "") -> dict:
    body = {"error": kind, "message": str(message)}
    if fields:
        body["fields"] = fields
    if detail:  # a known refusal: `message` says what to do, this is the service's own text
        body["detail"] = detail
    return body


def error_response(kind: str, message: str, status: int, fields: dict | None = None) -> JsonResponse:
    """The same shape for answers made outside DRF (middleware, Django's 404/500 handlers)."""
    return JsonResponse(error_body(kind, message, fields), status=status)


def _message(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return _("The request is not valid: see the fields.")
    if isinstance(exc, exceptions.Throttled):
        return _("Too many requests: try again in %(wait)s seconds.") % {"wait": exc.wait and int(exc.wait + 0.999)}
    detail = exc.detail
    if isinstance(detail, list):
        detail = " ".join(str(d) for d in detail)
    return str(detail)


def _fields(detail) -> dict:
    """DRF's error detail as {field: [messages]}; errors not tied to a field under "non_field_errors"."""
    if isinstance(detail, dict):
        return {name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for name, msgs in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, (CloudError, SessionExpired)):
        failures.note(exc)  # the operation log's (a refusal of Zenith's own passes no cloud call)
    if isinstance(exc, SessionExpired):
        forget = getattr(getattr(context.get("request"), "_request", None), "api_key_forget", None)
        if forget is not None:
            forget()  # an API key's cached token: the next request logs in with the credential again
        return Response(error_body("session_expired", _("Your session has expired. Log in again.")), status=401)
    if isinstance(exc, CloudError):
        return Response(
            error_body(exc.kind, exc.message, detail=exc.detail if exc.explained else ""), status=exc.status
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None  # a bug: Django's handler500 answers JSON for /api/ (dashboard.ui.views)
    kind = next((k for cls, k in KINDS if isinstance(exc, cls)), "error")
    fields = _fields(exc.detail) if isinstance(exc, exceptions.ValidationError) else None
    response.data = error_body(kind, _message(exc), fields)
    return response
