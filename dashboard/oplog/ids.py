"""Request ids: one per request, sent back as `X-Request-ID`, quoted by users, found in the log.

A new id is 32 hex digits (a random UUID). Behind a proxy (DASHBOARD_BEHIND_PROXY) the proxy's own
`X-Request-ID` is kept instead when it looks like one ([A-Za-z0-9-], 8 to 64 of them), so the
proxy's log and Zenith's name a request alike; anything else a client sent is ignored. The id is
kept in the ASGI scope, so the answers made ahead of Django (413, the upload route) and Django's
own use the same one.
"""

from __future__ import annotations

import json
import re
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
SCOPE_KEY = "zenith.request_id"
_SANE = re.compile(r"[A-Za-z0-9-]{8,64}")


def new() -> str:
    return uuid.uuid4().hex


def chosen(sent: str | None, trusted: bool) -> str:
    """The id of a request whose `X-Request-ID` header was `sent` (None: absent): kept when the
    proxy that set it is trusted and it looks sane, else a new one."""
    if trusted and sent and _SANE.fullmatch(sent):
        return sent
    return new()


def of_scope(scope: dict) -> str:
    """The id of an ASGI request (made at its first asking, then kept in the scope)."""
    kept = scope.get(SCOPE_KEY)
    if kept:
        return kept
    sent = [value for name, value in scope.get("headers", ()) if name.lower() == b"x-request-id"]
    request_id = chosen(sent[0].decode("latin-1") if len(sent) == 1 else None, settings.BEHIND_PROXY)
    scope[SCOPE_KEY] = request_id
    return request_id


def of_request(request) -> str:
    """The id of a Django request: its ASGI scope's, or (WSGI, tests) from its headers."""
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):
        return of_scope(scope)
    return chosen(request.META.get("HTTP_X_REQUEST_ID"), settings.BEHIND_PROXY)


def in_error_body(content: bytes, request_id: str) -> bytes | None:
    """A JSON error answer (`{"error": kind, "message": ...}`) with `"request_id"` added last, the
    rest of its bytes as they were; None when `content` is no such object, or has its id already
    (it is then sent as it is)."""
    try:
        body = json.loads(content)
    except ValueError:
        return None
    if not isinstance(body, dict) or "error" not in body or "request_id" in body:
        return None
    spaced = b'": ' in content  # Django's JsonResponse spaces its JSON, DRF's renderer does not
    added = (', "request_id": ' if spaced else ',"request_id":') + json.dumps(request_id)
    return content.rstrip()[:-1] + added.encode() + b"}"


def sending_id(send, request_id: str, answered: dict):
    """An ASGI `send` that adds the `X-Request-ID` header to the answer and "request_id" to a JSON
    error sent in one body (its Content-Length set again); `answered["status"]` gets the status."""
    header = (HEADER.lower().encode(), request_id.encode())
    held = None  # an error's start, sent with its body once that may have grown

    async def wrapped(message):
        nonlocal held
        if message["type"] == "http.response.start":
            answered["status"] = message["status"]
            started = {**message, "headers": [*message.get("headers", ()), header]}
            if message["status"] < 400:
                return await send(started)
            held = started
            return None
        if held is not None and message["type"] == "http.response.body":
            start, held = held, None
            body = None if message.get("more_body") else in_error_body(message.get("body", b""), request_id)
            if body is not None:
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                start = {**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
                message = {**message, "body": body}
            await send(start)
        return await send(message)

    return wrapped
