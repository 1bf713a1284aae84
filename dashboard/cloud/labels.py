"""The cloud's codes in words: one map per service field (an instance's status and task, a volume's,
snapshot's and backup's status, an image's status, visibility and formats, Neutron's statuses, the
names of an instance's actions, ...), each holding every value the service's API reference lists.

The cloud answers codes ("SHUTOFF", "in-use", "qcow2", "createImage"); a person reads words. The
pages, their filters, the live rows and the JSON API's `*_words` fields all read these maps, so a
code has the same words everywhere. tests/unit/test_labels.py holds each map against the list of
its API reference: a value the reference adds shows up there, not as a raw code on a page.

`words(LABELS, code)` is the one way to read a map: a code the map does not know (a newer service,
a driver's own state) is turned into words from the code itself ("resize_prep" -> "Resize prep"),
never printed raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Labels = Mapping[str, object]

# --- Compute (Nova) ------------------------------------------------------------------------------

# a server's status (`status`)
INSTANCE_STATUS: Labels = {
    "ACTIVE": _("Active"),
    "BUILD": _("Building"),
    "DELETED": _("Deleted"),
    "ERROR": _("Error"),
    "HARD_REBOOT": _("Rebooting (hard)"),
    "MIGRATING": _("Migrating"),
    "PASSWORD": _("Changing password"),
    "PAUSED": _("Paused"),
    "REBOOT": _("Rebooting"),
    "REBUILD": _("Rebuilding"),
    "RESCUE": _("Rescued"),
    "RESIZE": _("Resizing"),
    "REVERT_RESIZE": _("Reverting resize"),
    "SHELVED": _("Shelved"),
    "SHELVED_OFFLOADED": _("Shelved (offloaded)"),
    "SHUTOFF": _("Shut off"),
    "SOFT_DELETED": _("Deleted (soft)"),
    "SUSPENDED": _("Suspended"),
    "UNKNOWN": _("Unknown"),
    "VERIFY_RESIZE": _("Confirm or revert resize"),
}

# a server's running task (`OS-EXT-STS:task_state`)
INSTANCE_TASK: Labels = {
    "scheduling": _("Scheduling"),
    "block_device_mapping": _("Preparing volumes"),
    "networking": _("Networking"),
    "spawning": _("Spawning"),
    "image_snapshot": _("Snapshotting"),
    "image_snapshot_pending": _("Snapshotting"),
    "image_pending_upload": _("Snapshotting"),
    "image_uploading": _("Snapshotting"),
    "image_backup": _("Backing up"),
    "updating_password": _("Changing password"),
    "resize_prep": _("Preparing resize"),
    "resize_migrating": _("Resizing"),
    "resize_migrated": _("Resizing"),
    "resize_finish": _("Finishing resize"),
    "resize_reverting": _("Reverting resize"),
    "resize_confirming": _("Confirming resize"),
    "rebooting": _("Rebooting"),
    "reboot_pending": _("Rebooting"),
    "reboot_started": _("Rebooting"),
    "rebooting_hard": _("Rebooting (hard)"),
    "reboot_pending_hard": _("Rebooting (hard)"),
    "reboot_started_hard": _("Rebooting (hard)"),
    "pausing": _("Pausing"),
    "unpausing": _("Unpausing"),
    "suspending": _("Suspending"),
    "resuming": _("Resuming"),
    "powering-off": _("Powering off"),
    "powering-on": _("Powering on"),
    "rescuing": _("Rescuing"),
    "unrescuing": _("Unrescuing"),
    "rebuilding": _("Rebuilding"),
    "rebuild_block_device_mapping": _("Rebuilding"),
    "rebuild_spawning": _("Rebuilding"),
    "migrating": _("Migrating"),
    "deleting": _("Deleting"),
    "soft-deleting": _("Deleting"),
    "restoring": _("Restoring"),
    "shelving": _("Shelving"),
    "shelving_image_pending_upload": _("Shelving"),
    "shelving_image_uploading": _("Shelving"),
    "shelving_offloading": _("Shelving"),
    "unshelving": _("Unshelving"),
}

# a server's state as usage reports say it (`OS-EXT-STS:vm_state`, `server_usages[].state`)
INSTANCE_VM_STATE: Labels = {
    "active": _("Active"),
    "building": _("Building"),
    "paused": _("Paused"),
    "suspended": _("Suspended"),
    "stopped": _("Shut off"),
    "rescued": _("Rescued"),
    "resized": _("Confirm or revert resize"),
    "soft-delete": _("Deleted (soft)"),
    "deleted": _("Deleted"),
    "error": _("Error"),
    "shelved": _("Shelved"),
    "shelved_offloaded": _("Shelved (offloaded)"),
    "terminated": _("Deleted"),  # what os-simple-tenant-usage says of a deleted server
}

# the actions of a server's action log (`instanceAction.action`)
INSTANCE_ACTION: Labels = {
    "create": _("Create"),
    "delete": _("Delete"),
    "evacuate": _("Evacuate"),
    "restore": _("Restore"),
    "stop": _("Stop"),
    "start": _("Start"),
    "reboot": _("Reboot"),
    "rebuild": _("Rebuild"),
    "revertResize": _("Revert resize"),
    "confirmResize": _("Confirm resize"),
    "resize": _("Resize"),
    "migrate": _("Migrate"),
    "pause": _("Pause"),
    "unpause": _("Unpause"),
    "suspend": _("Suspend"),
    "resume": _("Resume"),
    "rescue": _("Rescue"),
    "unrescue": _("Unrescue"),
    "changePassword": _("Change password"),
    "shelve": _("Shelve"),
    "shelveOffload": _("Offload shelved instance"),
    "unshelve": _("Unshelve"),
    "live-migration": _("Live migration"),
    "live_migration_cancel": _("Cancel live migration"),
    "live_migration_force_complete": _("Force live migration to complete"),
    "trigger_crash_dump": _("Trigger crash dump"),
    "extend_volume": _("Extend volume"),
    "attach_interface": _("Attach interface"),
    "detach_interface": _("Detach interface"),
    "attach_volume": _("Attach volume"),
    "detach_volume": _("Detach volume"),
    "swap_volume": _("Swap volume"),
    "lock": _("Lock"),
    "unlock": _("Unlock"),
    "createBackup": _("Back up"),
    "createImage": _("Create snapshot"),
    "resetState": _("Reset state"),
    "refresh_volume_attachment": _("Refresh volume attachment"),
}

# a compute service's status and state (`os-services`)
SERVICE_STATUS: Labels = {"enabled": _("Enabled"), "disabled": _("Disabled")}
SERVICE_STATE: Labels = {"up": _("Up"), "down": _("Down")}

# a hypervisor's type (`hypervisor_type`, as each Nova driver reports it; the libvirt driver says
# "QEMU" for KVM and plain QEMU alike)
HYPERVISOR_TYPE: Labels = {
    "QEMU": pgettext_lazy("hypervisor type", "QEMU (libvirt)"),
    "LXC": pgettext_lazy("hypervisor type", "LXC (libvirt)"),
    "Xen": pgettext_lazy("hypervisor type", "Xen (libvirt)"),
    "UML": _("User-mode Linux (libvirt)"),
    "Parallels": pgettext_lazy("hypervisor type", "Virtuozzo (libvirt)"),
    "ironic": _("Bare metal (Ironic)"),
    "VMware vCenter Server": pgettext_lazy("hypervisor type", "VMware vCenter"),
    "hyperv": pgettext_lazy("hypervisor type", "Hyper-V"),
    "phyp": pgettext_lazy("hypervisor type", "PowerVM"),
    "zvm": pgettext_lazy("hypervisor type", "z/VM"),
    "fake": _("Fake (for testing)"),
}

# --- Block Storage (Cinder) ----------------------------------------------------------------------

VOLUME_STATUS: Labels = {
    "creating": _("Creating"),
    "available": _("Available"),
    "reserved": _("Reserved"),
    "attaching": _("Attaching"),
    "detaching": _("Detaching"),
    "in-use": _("In use"),
    "maintenance": _("Maintenance"),
    "deleting": _("Deleting"),
    "awaiting-transfer": _("Awaiting transfer"),
    "error": _("Error"),
    "error_deleting": _("Error deleting"),
    "backing-up": _("Backing up"),
    "restoring-backup": _("Restoring backup"),
    "error_backing-up": _("Error backing up"),
    "error_restoring": _("Error restoring"),
    "error_extending": _("Error extending"),
    "downloading": _("Downloading"),
    "uploading": _("Uploading"),
    "retyping": _("Retyping"),
    "extending": _("Extending"),
    # not in the reference's table, but Cinder sets them (revert to snapshot; manage)
    "reverting": _("Reverting"),
    "managing": _("Managing"),
    "error_managing": _("Error managing"),
}

SNAPSHOT_STATUS: Labels = {
    "creating": _("Creating"),
    "available": _("Available"),
    "backing-up": _("Backing up"),
    "deleting": _("Deleting"),
    "error": _("Error"),
    "deleted": _("Deleted"),
    "unmanaging": _("Unmanaging"),
    "restoring": _("Restoring"),
    "error_deleting": _("Error deleting"),
    "updating": _("Updating"),
}

BACKUP_STATUS: Labels = {
    "creating": _("Creating"),
    "available": _("Available"),
    "deleting": _("Deleting"),
    "error": _("Error"),
    "restoring": _("Restoring"),
    "error_restoring": _("Error restoring"),
    "error_deleting": _("Error deleting"),
    "deleted": _("Deleted"),
}

# --- Image (Glance) ------------------------------------------------------------------------------

IMAGE_STATUS: Labels = {
    "queued": _("Queued"),
    "saving": _("Saving"),
    "uploading": _("Uploading"),
    "importing": _("Importing"),
    "active": _("Active"),
    "deactivated": _("Deactivated"),
    "killed": _("Failed"),
    "deleted": _("Deleted"),
    "pending_delete": _("Pending deletion"),
}

IMAGE_VISIBILITY: Labels = {
    "public": pgettext_lazy("image", "Public"),
    "private": pgettext_lazy("image", "Private"),
    "shared": pgettext_lazy("image", "Shared"),
    "community": pgettext_lazy("image", "Community"),
}

# the format names are the formats' own; a bare acronym gets what it is beside it
DISK_FORMAT: Labels = {
    "ami": _("AMI (Amazon machine image)"),
    "ari": _("ARI (Amazon ramdisk image)"),
    "aki": _("AKI (Amazon kernel image)"),
    "vhd": _("VHD (Hyper-V)"),
    "vhdx": _("VHDX (Hyper-V)"),
    "vmdk": _("VMDK (VMware)"),
    "raw": _("Raw"),
    "qcow2": _("QCOW2"),
    "vdi": _("VDI (VirtualBox)"),
    "ploop": _("Ploop (Virtuozzo)"),
    "iso": _("ISO 9660"),
}

CONTAINER_FORMAT: Labels = {
    "ami": _("AMI (Amazon machine image)"),
    "ari": _("ARI (Amazon ramdisk image)"),
    "aki": _("AKI (Amazon kernel image)"),
    "bare": _("Bare"),
    "ovf": _("OVF package"),
    "ova": _("OVA archive"),
    "docker": _("Docker archive"),
    "compressed": _("Compressed archive"),
}

# a project's answer to an image shared with it (`member_status`)
IMAGE_MEMBER_STATUS: Labels = {
    "pending": _("Pending"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
}

# --- Networking (Neutron) ------------------------------------------------------------------------

NETWORK_STATUS: Labels = {
    "ACTIVE": _("Active"),
    "BUILD": _("Building"),
    "DOWN": _("Down"),
    "ERROR": _("Error"),
}

PORT_STATUS: Labels = {
    "ACTIVE": _("Active"),
    "BUILD": _("Building"),
    "DOWN": _("Down"),
    "ERROR": _("Error"),
    "N/A": _("Not applicable"),
}

ROUTER_STATUS: Labels = {
    "ACTIVE": _("Active"),
    "ALLOCATING": _("Allocating"),
    "ERROR": _("Error"),
    # routers whose agent is gone show it, as networks do
    "BUILD": _("Building"),
    "DOWN": _("Down"),
}

FLOATING_IP_STATUS: Labels = {
    "ACTIVE": _("Active"),
    "DOWN": _("Down"),
    "ERROR": _("Error"),
}

_SEPARATORS = re.compile(r"[-_\s]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def words(labels: Labels, code: str | None) -> str:
    """The words for `code` in the active language; a code the map does not know is made into
    words from itself ("resize_prep" -> "Resize prep", "createImage" -> "Create image"), so a page
    never shows a raw code; "" for no code."""
    if not code:
        return ""
    code = str(code)
    known = labels.get(code)
    if known is not None:
        return str(known)
    return _SEPARATORS.sub(" ", _CAMEL.sub(" ", code)).strip().lower().capitalize()


def choices(labels: Labels, codes=None) -> tuple[tuple[str, str], ...]:
    """(code, words) of `codes` (every code of the map by default), for a list's filter: the
    words are offered, the code is what is submitted. Lazy: the words follow the language."""
    return tuple((code, labels.get(code) or words(labels, code)) for code in (codes if codes is not None else labels))
