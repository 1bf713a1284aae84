"""Every Django request gets its id; every one that changes something gets its operation-log line.

First in MIDDLEWARE, so its id is on every answer (`X-Request-ID`), on `request.request_id` for
the error pages, and in every JSON error body ("request_id"), however deep the answer was made.
For POST, PUT, PATCH and DELETE, while the operation log is on, the cloud failures of the request
are watched (dashboard.cloud.failures) and, once it is answered, one line is written
(dashboard.oplog.log) with who, where from, what on which ids, and how it ended. Nothing of the
request's body is written: a bulk action's `ids` and the verb of an API `/action/` are read, and
nothing else.
"""

from __future__ import annotations

import json
import logging
import time

from django.urls import Resolver404, resolve

from dashboard.accounts.throttle import client_address
from dashboard.cloud import failures

from . import entry, ids, log

logger = logging.getLogger(__name__)

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_CREATED_BODY = 64 * 1024  # a JSON answer longer than this is not read for the id it created


class OperationLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.request_id = ids.of_request(request)
        if request.method not in CHANGES or not log.enabled():
            response = self.get_response(request)
            return self._with_id(response, request_id)
        wall, started = time.time(), time.perf_counter()
        watching = failures.watch()
        try:
            response = self.get_response(request)
            seen = failures.seen()
        finally:
            failures.stop(watching)
        try:
            fields = line(request, response, wall, (time.perf_counter() - started) * 1000, seen)
        except Exception:  # noqa: BLE001 - a line that cannot be made must not turn the answer into a 500
            logger.exception("no operation-log line for %s %s", request.method, request.path[: entry.MAX_PATH])
        else:
            log.write(fields)
        return self._with_id(response, request_id)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # who the request acts as before the view runs: logout ends the session it came with
        request.oplog_user_before = getattr(request, "keystone", None)
        if request.method == "POST" and request.path.startswith("/api/") and request.path.endswith("/action/"):
            request.oplog_verb = _posted_verb(request)
        return None

    @staticmethod
    def _with_id(response, request_id: str):
        response[ids.HEADER] = request_id
        if (
            response.status_code >= 400
            and not response.streaming
            and response.get("Content-Type", "").startswith("application/json")
        ):
            content = ids.in_error_body(response.content, request_id)
            if content is not None:
                response.content = content
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(content))
        return response


def _posted_verb(request) -> str:
    """The "action" of an API `/action/` request's JSON body (a verb, or ""): read before DRF
    reads the body (Django keeps it for DRF); nothing else of the body is kept."""
    if not request.content_type == "application/json":
        return ""
    try:
        body = json.loads(request.body)
    except Exception:  # noqa: BLE001 - the view answers a bad body; the log only misses the verb
        return ""
    return entry.verb(body.get("action")) if isinstance(body, dict) else ""


def _user(request, notes: dict, status: int):
    """The user the request acted as: after the view (a login, an API key) or before it (logout);
    None for a login that failed (the view noted the name typed), even from a session."""
    after = getattr(request, "keystone", None)
    before = getattr(request, "oplog_user_before", None)
    user = after if after is not None and after.is_authenticated else before
    if user is None or not user.is_authenticated:
        return None
    if "user" in notes and status >= 400:
        return None
    return user


def _action(request, match) -> str:
    if match is None:
        return ""
    if match.url_name:
        posted = ""
        if match.url_name == "bulk":
            posted = request.POST.get("action", "")
        return entry.page_action(match.view_name, str(match.kwargs.get("action", "")), posted)
    return entry.route_action(match.route, request.method, getattr(request, "oplog_verb", ""))


def _posted_ids(request, match) -> list[str]:
    if match is None or match.url_name != "bulk" or request.content_type not in FORMS:
        return []
    return request.POST.getlist("ids")


def _created(request, response, notes: dict) -> str:
    if notes.get("created_id"):
        return entry.created_id({"id": notes["created_id"]})
    if (
        request.path.startswith("/api/")
        and request.method == "POST"
        and 200 <= response.status_code < 300
        and not response.streaming
        and response.get("Content-Type", "").startswith("application/json")
        and len(response.content) <= MAX_CREATED_BODY
    ):
        try:
            return entry.created_id(json.loads(response.content))
        except ValueError:
            return ""
    return ""


def _resolved(request):
    """The route of a request answered before Django resolved it (a middleware's refusal)."""
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def line(request, response, wall: float, duration_ms: float, seen: list) -> dict:
    """The operation-log fields of an answered Django request (docs/operation-log.md)."""
    match = getattr(request, "resolver_match", None) or _resolved(request)
    notes = getattr(request, "oplog_notes", None) or {}
    user = _user(request, notes, response.status_code)
    api_key = getattr(request, "api_key_id", "")
    errors = [entry.cloud_error(error) for error in seen]
    return entry.line(
        time=log.utc_iso(wall),
        request_id=request.request_id,
        user=user.username if user else str(notes.get("user", ""))[: entry.MAX_VALUE] or None,
        user_id=user.user_id if user else None,
        domain=(user.domain if user else str(notes.get("domain", ""))[: entry.MAX_VALUE]) or None,
        project=(user.project_name if user else "") or None,
        project_id=(user.project_id if user else "") or None,
        auth="api_key" if api_key else ("session" if user else None),
        api_key_id=api_key or None,
        client=client_address(request),
        method=request.method,
        route=(match.view_name if match.url_name else match.route) if match else None,
        path=request.path[: entry.MAX_PATH],
        action=_action(request, match) or None,
        targets=entry.targets(match.kwargs if match else {}, _posted_ids(request, match)),
        created_id=_created(request, response, notes) or None,
        status=response.status_code,
        ok=response.status_code < 400 and not errors,
        cloud_errors=errors,
        duration_ms=round(duration_ms, 1),
    )
