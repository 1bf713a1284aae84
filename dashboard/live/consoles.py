"""Remote console links from Nova, fresh for every request (they carry a one-time token)."""

from __future__ import annotations

from django.utils.translation import gettext

from dashboard.cloud import CloudError, SessionExpired, instance_logs
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.sessions import connection_for

# what the browser can open, best first
CONSOLE_TYPES = ("novnc", "spice-html5", "serial")


def console_link(credentials: Credentials, server_id: str) -> dict:
    """{"url", "console_type"} or {"error": message, "kind": …}; acts with the user's own token."""
    conn = connection_for(credentials)
    last_error = gettext("This cloud offers no remote console for the instance.")
    last_kind = "unavailable"
    for console_type in CONSOLE_TYPES:
        try:
            console = instance_logs.get_console_link(conn, server_id, console_type)
        except SessionExpired:
            return {"error": gettext("Your session has expired. Log in again."), "kind": "session_expired"}
        except CloudError as err:
            last_error, last_kind = err.message, err.kind
            # not_found / forbidden / conflict (e.g. instance not running) will not change by type
            if err.kind in ("not_found", "forbidden", "conflict"):
                break
            continue
        if console.get("url"):
            return {"url": console["url"], "console_type": console.get("type") or console_type}
    return {"error": last_error, "kind": last_kind}
