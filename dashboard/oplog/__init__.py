"""Request ids and the operation log.

- `ids`: every request gets an id (a new one, or a trusted proxy's sane `X-Request-ID`), sent back
  as the `X-Request-ID` header, shown on the error pages and in the API's JSON errors, and written
  in the operation log, so that a user can quote it and an operator find the line.
- `log`: the operation log itself, one JSON line per request that changes something (POST, PUT,
  PATCH, DELETE: page actions and forms, API calls, login and logout, the upload route's PUT), on
  the `zenith.operations` logger, sent where DASHBOARD_OPERATION_LOG says; `entry` builds a line's
  fields (pure functions: action names, target ids, redaction).
- `middleware.OperationLogMiddleware`, first in MIDDLEWARE, ties them to Django's requests; the
  upload route (dashboard.uploads.asgi) and the body-size guard (dashboard.guards), which answer
  ahead of Django, use `ids` and `log` themselves.

docs/operation-log.md lists the fields.
"""


def note(request, **fields) -> None:
    """Fields a view adds to its request's operation-log line: `created_id` (what it made),
    `user` and `domain` (a login that failed: the name typed, never the password)."""
    request = getattr(request, "_request", request)  # Django's request under DRF's
    notes = getattr(request, "oplog_notes", None)
    if notes is None:
        notes = request.oplog_notes = {}
    notes.update(fields)
