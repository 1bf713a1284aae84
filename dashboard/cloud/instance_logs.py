"""What an instance says about itself (Nova): its action log, its console output, a remote console
link, and Nova's diagnostics (for the live usage charts). One Nova request each.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import labels
from .calls import raw_json, translated
from .instances import INSTANCE_NOT_FOUND

DIAGNOSTICS_MICROVERSION = "2.48"  # the standard diagnostics format, the same for every driver


@dataclass
class ActionEvent:
    action: str
    start_time: str
    user_id: str
    request_id: str = ""
    message: str = ""
    user_name: str = ""  # filled by the page from the names it knows (`name_users`)

    @property
    def action_words(self) -> str:
        return labels.words(labels.INSTANCE_ACTION, self.action)


def name_users(events: list[ActionEvent], names: dict[str, str]) -> list[ActionEvent]:
    """The events with their users' names, from `names` (user id -> name: the logged-in user's own,
    and every user's when the page could list them); an unknown user keeps its id."""
    for event in events:
        event.user_name = names.get(event.user_id, "")
    return events


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def list_action_events(conn, server_id: str) -> list[ActionEvent]:
    return [
        ActionEvent(a.action or "", a.start_time or "", a.user_id or "", a.request_id or "", a.message or "")
        for a in conn.compute.server_actions(server_id)
    ]


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def get_console_output(conn, server_id: str, lines: int) -> str:
    out = conn.compute.get_server_console_output(server_id, length=lines)
    return (out or {}).get("output", "") or ""


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def get_console_link(conn, server_id: str, console_type: str) -> dict:
    """A remote console URL of the given type: {"url", "type"} (a one-time token inside)."""
    return dict(conn.compute.create_console(server_id, console_type=console_type) or {})


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def get_diagnostics(conn, server_id: str) -> dict:
    """Nova's diagnostics of a running instance (admin; a 409 while it is not running), raw JSON."""
    return raw_json(conn, "compute", f"/servers/{server_id}/diagnostics", microversion=DIAGNOSTICS_MICROVERSION)
