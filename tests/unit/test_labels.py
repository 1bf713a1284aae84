"""Every value a service's API reference lists for a field has words in Zenith's map for it
(dashboard/cloud/labels.py), in English and French: a page never shows "SHUTOFF" or "in-use".

The lists below are copied from the API references (and, where a reference's table lags behind the
service, from the service's own list of values, named beside it), so a map that misses one fails
here rather than on a page."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from dashboard.cloud import labels

# Compute API reference, "Servers - List servers / Show server details", `status`
# (https://docs.openstack.org/api-ref/compute/#list-servers; the API guide's "Server status")
SERVER_STATUS = (
    "ACTIVE BUILD DELETED ERROR HARD_REBOOT MIGRATING PASSWORD PAUSED REBOOT REBUILD RESCUE RESIZE "
    "REVERT_RESIZE SHELVED SHELVED_OFFLOADED SHUTOFF SOFT_DELETED SUSPENDED UNKNOWN VERIFY_RESIZE"
).split()
# Compute API reference, `OS-EXT-STS:task_state` (values: nova/compute/task_states.py)
SERVER_TASK_STATE = (
    "scheduling block_device_mapping networking spawning image_snapshot image_snapshot_pending "
    "image_pending_upload image_uploading image_backup updating_password resize_prep resize_migrating "
    "resize_migrated resize_finish resize_reverting resize_confirming rebooting reboot_pending "
    "reboot_started rebooting_hard reboot_pending_hard reboot_started_hard pausing unpausing suspending "
    "resuming powering-off powering-on rescuing unrescuing rebuilding rebuild_block_device_mapping "
    "rebuild_spawning migrating deleting soft-deleting restoring shelving shelving_image_pending_upload "
    "shelving_image_uploading shelving_offloading unshelving"
).split()
# Compute API reference, `OS-EXT-STS:vm_state` (nova/compute/vm_states.py) and a usage report's
# `server_usages[].state` ("terminated" for a deleted server: os-simple-tenant-usage)
SERVER_VM_STATE = (
    "active building paused suspended stopped rescued resized soft-delete deleted error shelved "
    "shelved_offloaded terminated"
).split()
# Compute API reference, "Servers actions - List actions for server", `action`
# (https://docs.openstack.org/api-ref/compute/#list-actions-for-server; nova/compute/instance_actions.py)
SERVER_ACTIONS = (
    "create delete evacuate restore stop start reboot rebuild revertResize confirmResize resize migrate "
    "pause unpause suspend resume rescue unrescue changePassword shelve shelveOffload unshelve "
    "live-migration live_migration_cancel live_migration_force_complete trigger_crash_dump extend_volume "
    "attach_interface detach_interface attach_volume detach_volume swap_volume lock unlock createBackup "
    "createImage resetState refresh_volume_attachment"
).split()
# Compute API reference, "Compute services", `status` and `state`
SERVICE_STATUS = ["enabled", "disabled"]
SERVICE_STATE = ["up", "down"]
# Compute API reference, "Hypervisors", `hypervisor_type`: what each in-tree driver reports
# (nova/virt/*/driver.py get_available_resource; libvirt's connection type names)
HYPERVISOR_TYPE = ["QEMU", "LXC", "Xen", "UML", "Parallels", "ironic", "VMware vCenter Server"]
HYPERVISOR_TYPE += ["hyperv", "phyp", "zvm", "fake"]

# Block Storage API v3 reference, "Volumes", the volume status table
# (https://docs.openstack.org/api-ref/block-storage/v3/#volumes-volumes)
VOLUME_STATUS = (
    "creating available reserved attaching detaching in-use maintenance deleting awaiting-transfer "
    "error error_deleting backing-up restoring-backup error_backing-up error_restoring error_extending "
    "downloading uploading retyping extending"
).split()
# Block Storage API v3 reference, "Volume snapshots", the snapshot status table
# (https://docs.openstack.org/api-ref/block-storage/v3/#volume-snapshots-snapshots)
SNAPSHOT_STATUS = "creating available backing-up deleting error deleted unmanaging restoring error_deleting".split()
# Block Storage API v3 reference, "Backups", `status` (cinder/objects/fields.py BackupStatus)
BACKUP_STATUS = "creating available deleting error restoring error_restoring error_deleting deleted".split()

# Image API v2 reference, "Images", `status`, `visibility`, `disk_format`, `container_format`, and
# "Image members", `status` (https://docs.openstack.org/api-ref/image/v2/)
IMAGE_STATUS = "queued saving uploading importing active deactivated killed deleted pending_delete".split()
IMAGE_VISIBILITY = "public community shared private".split()
DISK_FORMAT = "ami ari aki vhd vhdx vmdk raw qcow2 vdi ploop iso".split()
CONTAINER_FORMAT = "ami ari aki bare ovf ova docker compressed".split()
IMAGE_MEMBER_STATUS = "pending accepted rejected".split()

# Networking API v2 reference (https://docs.openstack.org/api-ref/network/v2/): networks', ports',
# routers' and floating IPs' `status` (neutron_lib/constants.py: NET_STATUS_*, PORT_STATUS_*,
# ROUTER_STATUS_*, FLOATINGIP_STATUS_*)
NETWORK_STATUS = "ACTIVE BUILD DOWN ERROR".split()
PORT_STATUS = "ACTIVE BUILD DOWN ERROR N/A".split()
ROUTER_STATUS = "ACTIVE ALLOCATING ERROR".split()
FLOATING_IP_STATUS = "ACTIVE DOWN ERROR".split()

REFERENCE = {
    "INSTANCE_STATUS": SERVER_STATUS,
    "INSTANCE_TASK": SERVER_TASK_STATE,
    "INSTANCE_VM_STATE": SERVER_VM_STATE,
    "INSTANCE_ACTION": SERVER_ACTIONS,
    "SERVICE_STATUS": SERVICE_STATUS,
    "SERVICE_STATE": SERVICE_STATE,
    "HYPERVISOR_TYPE": HYPERVISOR_TYPE,
    "VOLUME_STATUS": VOLUME_STATUS,
    "SNAPSHOT_STATUS": SNAPSHOT_STATUS,
    "BACKUP_STATUS": BACKUP_STATUS,
    "IMAGE_STATUS": IMAGE_STATUS,
    "IMAGE_VISIBILITY": IMAGE_VISIBILITY,
    "DISK_FORMAT": DISK_FORMAT,
    "CONTAINER_FORMAT": CONTAINER_FORMAT,
    "IMAGE_MEMBER_STATUS": IMAGE_MEMBER_STATUS,
    "NETWORK_STATUS": NETWORK_STATUS,
    "PORT_STATUS": PORT_STATUS,
    "ROUTER_STATUS": ROUTER_STATUS,
    "FLOATING_IP_STATUS": FLOATING_IP_STATUS,
}
RAW = re.compile(r"^[A-Z_]{3,}$")  # what the browser test refuses in a list's cell


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_every_value_of_the_reference_has_words(name):
    mapping = getattr(labels, name)
    assert [code for code in REFERENCE[name] if code not in mapping] == []


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_words_are_words_not_codes(name, language):
    with translation.override(language):
        for code, words in getattr(labels, name).items():
            text = str(words)
            assert text and not RAW.match(text), (name, code, text)
            assert "_" not in text, (name, code, text)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_the_french_words_are_translated(name):
    """Each map's words differ in French unless they are a format's own name ("QCOW2", "VHD (Hyper-V)")."""
    same_in_both = {"QCOW2", "ISO 9660", "VHD (Hyper-V)", "VHDX (Hyper-V)", "VMDK (VMware)", "VDI (VirtualBox)"}
    same_in_both |= {"Ploop (Virtuozzo)", "Active", "Maintenance"}
    same_in_both |= {"QEMU (libvirt)", "LXC (libvirt)", "Xen (libvirt)", "Virtuozzo (libvirt)", "VMware vCenter"}
    same_in_both |= {"Hyper-V", "PowerVM", "z/VM"}
    untranslated = []
    for code, words in getattr(labels, name).items():
        with translation.override("en"):
            english = str(words)
        with translation.override("fr"):
            french = str(words)
        if english == french and english not in same_in_both:
            untranslated.append((code, english))
    assert untranslated == []


def test_words_of_known_codes_follow_the_language():
    with translation.override("en"):
        assert labels.words(labels.INSTANCE_STATUS, "SHUTOFF") == "Shut off"
        assert labels.words(labels.VOLUME_STATUS, "in-use") == "In use"
        assert labels.words(labels.INSTANCE_ACTION, "createImage") == "Create snapshot"
    with translation.override("fr"):
        assert labels.words(labels.INSTANCE_STATUS, "SHUTOFF") == "Éteinte"
        assert labels.words(labels.VOLUME_STATUS, "in-use") == "Utilisé"
        assert labels.words(labels.IMAGE_VISIBILITY, "private") == "Privée"
        assert labels.words(labels.IMAGE_STATUS, "queued") == "En file d’attente"


def test_an_unknown_code_becomes_words_never_a_raw_code():
    assert labels.words(labels.INSTANCE_STATUS, "SOME_NEW_STATE") == "Some new state"
    assert labels.words(labels.INSTANCE_TASK, "some_new-task") == "Some new task"
    assert labels.words(labels.INSTANCE_ACTION, "createSomething") == "Create something"
    assert labels.words(labels.INSTANCE_STATUS, "") == ""
    assert labels.words(labels.INSTANCE_STATUS, None) == ""


def test_filter_choices_offer_words_and_submit_codes():
    choices = labels.choices(labels.INSTANCE_STATUS, ["ACTIVE", "SHUTOFF"])
    assert [code for code, _ in choices] == ["ACTIVE", "SHUTOFF"]
    with translation.override("fr"):
        assert [str(words) for _, words in choices] == ["Active", "Éteinte"]
    with translation.override("en"):
        assert [str(words) for _, words in choices] == ["Active", "Shut off"]
