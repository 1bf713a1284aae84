"""Remote console links from Nova, fresh for every request (they carry a one-time token)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import CloudError, SessionExpired, instance_logs
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.sessions import connection_for

# what the browser can open, best first
CONSOLE_TYPES = ("novnc", "spice-html5", "serial")
# the consoles an instance's page offers by name, when the operator says the cloud has several
# (DASHBOARD_CONSOLE_TYPES); a serial console is a websocket without a page of its own
CHOICES = {"novnc": _("VNC console"), "spice-html5": _("SPICE console")}


def choices() -> list[tuple[str, str]]:
    """(type, label) of each console the cloud offers, as the settings say, when there are several."""
    offered = [(t, str(CHOICES[t])) for t in settings.CONSOLE_TYPES if t in CHOICES]
    return offered if len(offered) > 1 else []


def console_link(credentials: Credentials, server_id: str, console_type: str | None = None) -> dict:
    """{"url", "console_type"} or {"error": message, "kind": …}; acts with the user's own token.
    `console_type` (one the page offered) asks for that one only; without it, the first the cloud
    gives of those the settings name (or of CONSOLE_TYPES)."""
    conn = connection_for(credentials)
    last_error = gettext("This cloud offers no remote console for the instance.")
    last_kind = "unavailable"
    if console_type in CHOICES:
        types = (console_type,)
    else:
        types = tuple(t for t in settings.CONSOLE_TYPES if t in CONSOLE_TYPES) or CONSOLE_TYPES
    for each in types:
        try:
            console = instance_logs.get_console_link(conn, server_id, each)
        except SessionExpired:
            return {"error": gettext("Your session has expired. Log in again."), "kind": "session_expired"}
        except CloudError as err:
            last_error, last_kind = err.message, err.kind
            # not_found / forbidden / conflict (e.g. instance not running) will not change by type
            if err.kind in ("not_found", "forbidden", "conflict"):
                break
            continue
        if console.get("url"):
            return {"url": console["url"], "console_type": console.get("type") or each}
    return {"error": last_error, "kind": last_kind}
