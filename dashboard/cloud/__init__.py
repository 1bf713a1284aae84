"""The one place Zenith talks to OpenStack.

Views ask for `connection(request)` and run calls through `call` / `concurrently`, which translate
SDK errors into `CloudError` (a message a user can act on) or `SessionExpired`.
"""

from .calls import call, concurrently
from .errors import CloudError, SessionExpired, translate

__all__ = ["CloudError", "SessionExpired", "call", "concurrently", "connection", "translate"]


def connection(request):
    """The openstacksdk connection for the logged-in user's current project (one per request)."""
    # kept on Django's own request (DRF wraps it) so the middleware can close it after the response
    request = getattr(request, "_request", request)
    conn = getattr(request, "_cloud_connection", None)
    if conn is None:
        from .sessions import connection_from_stored

        stored = request.session.get("keystone")
        if not stored or not stored.get("token"):
            raise SessionExpired()
        conn = connection_from_stored(stored)
        request._cloud_connection = conn
    return conn
