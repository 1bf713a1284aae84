"""What can be done to an instance in its current state, and the forms of the actions that ask for input.

`allowed_actions` mirrors Nova's own state checks (nova/compute/api.py `check_instance_state` and
`check_instance_lock`), so the page only offers what Nova would accept; Nova still has the last word.
"""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    icon: str
    confirm: str = ""  # question asked before a destructive action
    form: bool = False  # True: the action has its own page with a form
    danger: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("start", "Start", "play-fill"),
        Action("stop", "Stop", "stop-fill", confirm="Stop this instance?"),
        Action("reboot", "Soft reboot", "arrow-clockwise", confirm="Reboot this instance?"),
        Action("reboot_hard", "Hard reboot", "lightning", confirm="Hard reboot (power cycle) this instance?"),
        Action("pause", "Pause", "pause-fill"),
        Action("unpause", "Unpause", "play"),
        Action("suspend", "Suspend", "moon", confirm="Suspend this instance?"),
        Action("resume", "Resume", "sunrise"),
        Action("shelve", "Shelve", "archive", confirm="Shelve this instance? It stops and its resources are freed."),
        Action("unshelve", "Unshelve", "box-arrow-up"),
        Action("lock", "Lock", "lock"),
        Action("unlock", "Unlock", "unlock"),
        Action("rename", "Rename", "pencil", form=True),
        Action("resize", "Resize", "arrows-angle-expand", form=True),
        Action("confirm_resize", "Confirm resize", "check2-circle"),
        Action("revert_resize", "Revert resize", "arrow-counterclockwise", confirm="Revert to the old flavor?"),
        Action("rebuild", "Rebuild", "hammer", form=True, danger=True),
        Action("snapshot", "Create snapshot", "camera", form=True),
        Action("attach_volume", "Attach volume", "hdd", form=True),
        Action("detach_volume", "Detach volume", "hdd-fill", confirm="Detach this volume?"),
        Action("attach_interface", "Attach interface", "ethernet", form=True),
        Action("detach_interface", "Detach interface", "x-circle", confirm="Detach this interface?"),
        Action("floating_ip", "Associate floating IP", "globe", form=True),
        Action(
            "disassociate_floating_ip", "Disassociate floating IP", "globe2", confirm="Disassociate this floating IP?"
        ),
        Action("security_groups", "Security groups", "shield-lock", form=True),
        Action("delete", "Delete", "trash", confirm="Delete this instance? This cannot be undone.", danger=True),
    ]
}

# actions whose extra target (a volume, port or floating IP) is picked on the detail page
TARGETED = {"detach_volume": "volume_id", "detach_interface": "port_id", "disassociate_floating_ip": "floating_ip_id"}

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


def offered(status: str, task_state: str | None = None, locked: bool = False, is_admin: bool = False) -> list[Action]:
    """The allowed actions in display order."""
    allowed = allowed_actions(status, task_state, locked, is_admin)
    return [a for name, a in ACTIONS.items() if name in allowed and name not in TARGETED]


# --- forms ----------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", self.submit_label))


class RenameForm(ActionForm):
    submit_label = "Rename"
    name = forms.CharField(max_length=255, strip=True)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError("The name cannot be empty.")
        return name


class ResizeForm(ActionForm):
    submit_label = "Resize"
    flavor = forms.ChoiceField(help_text="The instance is rebuilt on the new flavor; confirm or revert afterwards.")

    def __init__(self, *args, flavors=(), current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flavor"].choices = [
            (f.id, f"{f.name} — {f.vcpus} vCPU, {f.ram} MiB RAM, {f.disk} GiB disk")
            for f in flavors
            if f.name != current
        ]


class RebuildForm(ActionForm):
    submit_label = "Rebuild"
    image = forms.ChoiceField(help_text="The instance's disk is replaced by this image; its data is lost.")

    def __init__(self, *args, images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].choices = [(i.id, i.name or i.id) for i in images]


class SnapshotForm(ActionForm):
    submit_label = "Create snapshot"
    name = forms.CharField(max_length=255, strip=True, label="Snapshot name")


class AttachVolumeForm(ActionForm):
    submit_label = "Attach"
    volume = forms.ChoiceField(help_text="Only volumes that are available (not attached elsewhere) are listed.")

    def __init__(self, *args, volumes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].choices = [(v.id, f"{v.name or v.id} ({v.size} GiB)") for v in volumes]


class AttachInterfaceForm(ActionForm):
    submit_label = "Attach"
    network = forms.ChoiceField(required=False, help_text="A new port is created on this network…")
    port = forms.ChoiceField(required=False, help_text="…or use an existing free port.")

    def __init__(self, *args, networks=(), ports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", "—")] + [(n.id, n.name or n.id) for n in networks]
        self.fields["port"].choices = [("", "—")] + [
            (p.id, f"{p.name or p.id} ({', '.join(ip.get('ip_address', '') for ip in p.fixed_ips or [])})")
            for p in ports
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("network")) == bool(data.get("port")):
            raise forms.ValidationError("Choose either a network or a port.")
        return data


class FloatingIPForm(ActionForm):
    submit_label = "Associate"
    target = forms.ChoiceField(label="Instance address", help_text="The fixed IP that the floating IP points to.")
    floating_ip = forms.ChoiceField(required=False, label="Floating IP")
    pool = forms.ChoiceField(required=False, label="…or allocate a new one from", help_text="An external network.")

    def __init__(self, *args, targets=(), free_ips=(), pools=(), **kwargs):
        super().__init__(*args, **kwargs)
        # a target is "<port id>/<fixed ip>"
        self.fields["target"].choices = [(f"{port_id}/{ip}", f"{ip} ({net})") for port_id, ip, net in targets]
        self.fields["floating_ip"].choices = [("", "— allocate a new one —")] + [
            (f.id, f.floating_ip_address) for f in free_ips
        ]
        self.fields["pool"].choices = [(n.id, n.name or n.id) for n in pools]

    def clean(self):
        data = super().clean()
        if not data.get("floating_ip") and not data.get("pool"):
            raise forms.ValidationError("Choose a free floating IP or a pool to allocate one from.")
        target = data.get("target") or ""
        if "/" in target:
            data["port_id"], data["fixed_ip"] = target.split("/", 1)
        return data


class SecurityGroupsForm(ActionForm):
    submit_label = "Save security groups"
    groups = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Security groups")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.id, g.name) for g in groups]
