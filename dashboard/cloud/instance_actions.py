"""What can be done to an instance: the table of what each state allows, and the Nova calls.

`allowed_actions` mirrors Nova's own state checks (nova/compute/api.py `check_instance_state` and
`check_instance_lock`), so pages only offer what Nova would accept; Nova still has the last word.
Every page showing instances (the project's list and detail, all projects' list) and the API use
this one table. Each action is one Nova request.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from openstack.compute.v2.server import Server

from .actions import Action, catalogue
from .calls import raw, raw_json, translated
from .errors import CloudError
from .instances import INSTANCE_NOT_FOUND, Instance

INSTANCE_OR_VOLUME_NOT_FOUND = _("The instance or the volume was not found; it may have been deleted.")
ATTACHMENT_NOT_FOUND = _("The volume attachment was not found; the volume may have been detached already.")
INTERFACE_NOT_FOUND = _("The interface was not found; it may have been detached already.")

# Every page showing instances (the project's list and detail, all projects' list) uses it.

ACTIONS = catalogue(
    Action(
        "start",
        _("Start"),
        "play-fill",
        done=_("The instance “%(subject)s” is starting."),
        bulk_confirm=_("Start the selected instances?"),
        bulk_done=ngettext_lazy("%(count)d instance is starting.", "%(count)d instances are starting.", "count"),
    ),
    Action(
        "stop",
        _("Stop"),
        "stop-fill",
        confirm=_("Stop this instance?"),
        done=_("The instance “%(subject)s” is stopping."),
        bulk_confirm=_("Stop the selected instances?"),
        bulk_done=ngettext_lazy("%(count)d instance is stopping.", "%(count)d instances are stopping.", "count"),
    ),
    Action(
        "reboot",
        _("Soft reboot"),
        "arrow-clockwise",
        confirm=_("Reboot this instance?"),
        done=_("The instance “%(subject)s” is rebooting."),
    ),
    Action(
        "reboot_hard",
        _("Hard reboot"),
        "lightning",
        confirm=_("Hard reboot (power cycle) this instance?"),
        done=_("The instance “%(subject)s” is being power-cycled."),
    ),
    Action("pause", _("Pause"), "pause-fill", done=_("The instance “%(subject)s” is being paused.")),
    Action("unpause", _("Unpause"), "play", done=_("The instance “%(subject)s” is leaving its pause.")),
    Action(
        "suspend",
        _("Suspend"),
        "moon",
        confirm=_("Suspend this instance?"),
        done=_("The instance “%(subject)s” is being suspended."),
    ),
    Action("resume", _("Resume"), "sunrise", done=_("The instance “%(subject)s” is resuming.")),
    Action(
        "shelve",
        _("Shelve"),
        "archive",
        confirm=_("Shelve this instance? It stops and its resources are freed."),
        done=_("The instance “%(subject)s” is being shelved."),
    ),
    Action("unshelve", _("Unshelve"), "box-arrow-up", done=_("The instance “%(subject)s” is being unshelved.")),
    Action("lock", _("Lock"), "lock", done=_("The instance “%(subject)s” is locked.")),
    Action("unlock", _("Unlock"), "unlock", done=_("The instance “%(subject)s” is unlocked.")),
    Action("rename", _("Rename"), "pencil", form=True),
    Action("resize", _("Resize"), "arrows-angle-expand", form=True),
    Action(
        "confirm_resize",
        _("Confirm resize"),
        "check2-circle",
        done=_("The new flavor of the instance “%(subject)s” is confirmed."),
    ),
    Action(
        "revert_resize",
        _("Revert resize"),
        "arrow-counterclockwise",
        confirm=_("Revert to the old flavor?"),
        done=_("The instance “%(subject)s” is going back to its old flavor."),
    ),
    Action(
        "rebuild",
        _("Rebuild"),
        "hammer",
        form=True,
        danger=True,
        confirm=_("Rebuild this instance? Its disk is replaced by the chosen image."),  # asked by its form
    ),
    Action("snapshot", _("Create snapshot"), "camera", form=True),
    Action("attach_volume", _("Attach volume"), "hdd", form=True),
    Action(
        "detach_volume",
        _("Detach volume"),
        "hdd-fill",
        confirm=_("Detach this volume?"),
        target="volume_id",
        done=_("The volume is being detached from the instance “%(subject)s”."),
    ),
    Action("attach_interface", _("Attach interface"), "ethernet", form=True),
    Action(
        "detach_interface",
        _("Detach interface"),
        "x-circle",
        confirm=_("Detach this interface?"),
        target="port_id",
        done=_("The interface is being detached from the instance “%(subject)s”."),
    ),
    Action("floating_ip", _("Associate floating IP"), "globe", form=True),
    Action(
        "disassociate_floating_ip",
        _("Disassociate floating IP"),
        "globe2",
        confirm=_("Disassociate this floating IP?"),
        target="floating_ip_id",
        done=_("The floating IP is being taken off the instance “%(subject)s”."),
    ),
    Action("security_groups", _("Security groups"), "shield-lock", form=True),
    Action(
        "delete",
        _("Delete"),
        "trash",
        confirm=_("Delete this instance? This cannot be undone."),
        danger=True,
        done=_("The instance “%(subject)s” is being deleted."),
        bulk_confirm=_("Delete the selected instances? This cannot be undone."),
        bulk_done=ngettext_lazy(
            "%(count)d instance is being deleted.", "%(count)d instances are being deleted.", "count"
        ),
    ),
)

# actions whose extra target (a volume, port or floating IP) is picked on the detail page
TARGETED = {a.name: a.target for a in ACTIONS.values() if a.target}

_CONNECTED = {"floating_ip", "disassociate_floating_ip", "security_groups"}
_VOLUMES = {"attach_volume", "detach_volume"}
_INTERFACES = {"attach_interface", "detach_interface"}

# status (Nova's API status) -> actions Nova allows when no task is running
BY_STATUS: dict[str, set[str]] = {
    "ACTIVE": {"stop", "reboot", "reboot_hard", "pause", "suspend", "shelve", "rename", "resize", "rebuild"}
    | {"snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "SHUTOFF": {"start", "reboot_hard", "shelve", "rename", "resize", "rebuild", "snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "PAUSED": {"unpause", "reboot_hard", "shelve", "rename", "snapshot", "delete"}
    | _VOLUMES
    | _INTERFACES
    | _CONNECTED,
    "SUSPENDED": {"resume", "reboot_hard", "shelve", "rename", "snapshot", "delete"} | _CONNECTED,
    "SHELVED": {"unshelve", "rename", "delete", "disassociate_floating_ip"},
    "SHELVED_OFFLOADED": {"unshelve", "rename", "delete", "disassociate_floating_ip"},
    "VERIFY_RESIZE": {"confirm_resize", "revert_resize", "rename", "delete"},
    "ERROR": {"stop", "reboot_hard", "rebuild", "rename", "delete"},
    "RESCUE": {"stop", "rename", "delete"},
}
GONE = {"DELETED", "SOFT_DELETED"}
# what Nova does not lock-check (renaming, snapshots, security groups) or Neutron does (floating IPs)
LOCK_FREE = {"rename", "snapshot", "floating_ip", "disassociate_floating_ip", "security_groups"}
BULK = ("start", "stop", "delete")


def allowed_actions(
    status: str, task_state: str | None = None, locked: bool = False, is_admin: bool = False
) -> set[str]:
    """The actions Nova accepts for an instance in this state (status as the API reports it)."""
    status = (status or "").upper()
    if status in GONE or task_state == "deleting":
        return set()
    # while a task runs Nova only lets you delete (or lock) until it finishes
    base = {"delete"} if task_state else set(BY_STATUS.get(status, {"delete"}))
    if locked and not is_admin:
        # Nova's lock check refuses every other change to a locked instance (admins excepted)
        return (base & LOCK_FREE) | {"unlock"}
    return base | ({"unlock"} if locked else {"lock"})


def offered(inst: Instance, is_admin: bool = False) -> list[Action]:
    """The allowed actions on an instance, in display order (those needing a target excepted)."""
    allowed = allowed_actions(inst.status, inst.task_state, inst.locked, is_admin)
    return [a for name, a in ACTIONS.items() if name in allowed and not a.target]


# --- actions ------------------------------------------------------------------------------------

_SIMPLE = {
    "start": lambda c, s: c.compute.start_server(s),
    "stop": lambda c, s: c.compute.stop_server(s),
    "reboot": lambda c, s: c.compute.reboot_server(s, "SOFT"),
    "reboot_hard": lambda c, s: c.compute.reboot_server(s, "HARD"),
    "pause": lambda c, s: c.compute.pause_server(s),
    "unpause": lambda c, s: c.compute.unpause_server(s),
    "suspend": lambda c, s: c.compute.suspend_server(s),
    "resume": lambda c, s: c.compute.resume_server(s),
    "shelve": lambda c, s: c.compute.shelve_server(s),
    "unshelve": lambda c, s: c.compute.unshelve_server(s),
    "lock": lambda c, s: c.compute.lock_server(s),
    "unlock": lambda c, s: c.compute.unlock_server(s),
    "confirm_resize": lambda c, s: c.compute.confirm_server_resize(s),
    "revert_resize": lambda c, s: c.compute.revert_server_resize(s),
    "delete": lambda c, s: c.compute.delete_server(s, ignore_missing=False),
}
SIMPLE_ACTIONS = frozenset(_SIMPLE)


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def run_simple_action(conn, server_id: str, action: str) -> None:
    """start, stop, reboot, ... on one instance; CloudError says why Nova refused."""
    if action not in _SIMPLE:
        raise CloudError("bad_request", _("Unknown action: %(action)s.") % {"action": action})
    _SIMPLE[action](conn, Server.new(id=server_id))


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def rename_instance(conn, server_id: str, name: str) -> None:
    conn.compute.update_server(server_id, name=name)


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def resize_instance(conn, server_id: str, flavor_id: str) -> None:
    conn.compute.resize_server(server_id, flavor_id)


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def rebuild_instance(conn, server_id: str, image_id: str) -> None:
    conn.compute.rebuild_server(server_id, image_id)


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def snapshot_instance(conn, server_id: str, name: str) -> str:
    image = conn.compute.create_server_image(server_id, name)
    return getattr(image, "id", "") or ""


@translated("compute", not_found=INSTANCE_OR_VOLUME_NOT_FOUND)
def attach_volume(conn, server_id: str, volume_id: str) -> str:
    """Attach a volume to the instance (Nova asks Cinder); returns the device Nova chose."""
    answer = raw_json(
        conn,
        "compute",
        f"/servers/{server_id}/os-volume_attachments",
        method="post",
        json={"volumeAttachment": {"volumeId": volume_id}},
    )
    return (answer.get("volumeAttachment") or {}).get("device") or ""


@translated("compute", not_found=ATTACHMENT_NOT_FOUND)
def detach_volume(conn, server_id: str, volume_id: str) -> None:
    raw(conn, "compute", f"/servers/{server_id}/os-volume_attachments/{volume_id}", method="delete")


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def attach_interface(conn, server_id: str, network_id: str = "", port_id: str = "") -> None:
    attrs = {"port_id": port_id} if port_id else {"net_id": network_id}
    conn.compute.create_server_interface(server_id, **attrs)


@translated("compute", not_found=INTERFACE_NOT_FOUND)
def detach_interface(conn, server_id: str, port_id: str) -> None:
    conn.compute.delete_server_interface(port_id, server=server_id, ignore_missing=False)


@translated("compute", not_found=INSTANCE_NOT_FOUND)
def set_security_groups(conn, server_id: str, add: list[str], remove: list[str]) -> None:
    """Add and remove security groups (by id, which Nova accepts where it says name)."""
    server = Server.new(id=server_id)
    for group in add:
        server.add_security_group(conn.compute, group)
    for group in remove:
        server.remove_security_group(conn.compute, group)
