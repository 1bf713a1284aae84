"""The volumes panel's forms: create a volume, and the volume, snapshot, backup and transfer actions
that ask for input (which actions a state allows is in dashboard.cloud.volumes)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.ui.forms import PanelForm
from dashboard.ui.validators import parse_metadata

MAX_SIZE = 16384  # GiB: a sanity bound; Cinder's own quota decides the real limit
DISK_FORMATS = ("raw", "qcow2", "vmdk", "vdi", "vhd", "vhdx")
SOURCES = (
    ("blank", gettext_lazy("Empty volume")),
    ("image", gettext_lazy("Image")),
    ("snapshot", gettext_lazy("Volume snapshot")),
    ("volume", gettext_lazy("Another volume (clone)")),
    ("backup", gettext_lazy("Backup")),
)
ID = re.compile(r"^[0-9a-fA-F-]{1,64}$")


# Cinder's own default type (it has it since Train): "Default type" (no type named) stands for it,
# and for whatever default_volume_type the cloud names instead
CINDER_DEFAULT_TYPE = "__DEFAULT__"


def offered_types(types) -> list:
    """The volume types a form lists by name: all but Cinder's placeholder, which the form's
    "Default type" choice means (listing both offered the same thing twice)."""
    return [t for t in types if t.name != CINDER_DEFAULT_TYPE]


def _choices(items, blank: str, label=lambda o: o.label):
    return [("", blank)] + [(o.id, label(o)) for o in items]


class CreateVolumeForm(PanelForm):
    submit_label = gettext_lazy("Create volume")
    form_id = "volume-create-form"
    # each source's picker only while that source is chosen
    shown_when = {source: ("source", (source,)) for source in ("image", "snapshot", "volume", "backup")}
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255, strip=True)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=SOURCES, initial="blank")
    image = forms.ChoiceField(label=gettext_lazy("Image"), required=False)
    snapshot = forms.ChoiceField(label=gettext_lazy("Snapshot"), required=False)
    volume = forms.ChoiceField(label=gettext_lazy("Volume to clone"), required=False)
    backup = forms.ChoiceField(label=gettext_lazy("Backup"), required=False)
    size = forms.IntegerField(label=gettext_lazy("Size (GiB)"), initial=1, min_value=1, max_value=MAX_SIZE)
    volume_type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    availability_zone = forms.ChoiceField(label=gettext_lazy("Availability zone"), required=False)
    metadata = forms.CharField(
        label=gettext_lazy("Metadata"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One key=value a line."),
    )

    def __init__(self, *args, images=(), snapshots=(), volumes=(), backups=(), types=(), zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["image"].choices = _choices(images, _("Choose an image"))
        f["snapshot"].choices = _choices(snapshots, _("Choose a snapshot"))
        f["volume"].choices = _choices(volumes, _("Choose a volume"))
        f["backup"].choices = _choices(
            backups, _("Choose a backup"), label=lambda b: f"{b.name or b.id} ({b.size} GiB)"
        )
        f["volume_type"].choices = [("", _("Default type"))] + [(t.name, t.name) for t in offered_types(types)]
        f["availability_zone"].choices = [("", _("Any zone"))] + [(z, z) for z in zones]
        # the size each source needs at least, for the check below
        self.minimum = {
            "image": {i.id: max(1, i.min_disk, -(-(i.size or 0) // 2**30)) for i in images},
            "snapshot": {s.id: s.size for s in snapshots},
            "volume": {v.id: v.size for v in volumes},
            "backup": {b.id: b.size for b in backups},
        }

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("The name cannot be empty."))
        return name

    def clean_metadata(self):
        return parse_metadata(self.cleaned_data.get("metadata") or "")

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source and source != "blank":
            chosen = data.get(source)
            if not chosen:
                self.add_error(source, _("Choose what to create the volume from."))
            elif data.get("size") and data["size"] < self.minimum[source].get(chosen, 0):
                self.add_error(
                    "size",
                    _("The source needs at least %(size)s GiB.") % {"size": self.minimum[source][chosen]},
                )
        return data


class EditForm(PanelForm):
    submit_label = gettext_lazy("Save")
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255, strip=True, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(PanelForm):
    submit_label = gettext_lazy("Extend")
    new_size = forms.IntegerField(label=gettext_lazy("New size (GiB)"), min_value=1, max_value=MAX_SIZE)

    def __init__(self, *args, current: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["new_size"].help_text = _("Now %(size)s GiB; a volume can only grow.") % {"size": current}

    def clean_new_size(self):
        size = self.cleaned_data["new_size"]
        if size <= self.current:
            raise forms.ValidationError(
                _("The new size must be larger than the current %(size)s GiB.") % {"size": self.current}
            )
        return size


class AttachForm(PanelForm):
    submit_label = gettext_lazy("Attach")
    server = forms.ChoiceField(label=gettext_lazy("Instance"))

    def __init__(self, *args, servers: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ordered = sorted((servers or {}).items(), key=lambda item: (item[1].lower(), item[0]))
        self.fields["server"].choices = [(sid, name or sid) for sid, name in ordered]
        self.fields["server"].help_text = _("Nova chooses the device; the volume's page shows it once attached.")


class BootableForm(PanelForm):
    submit_label = gettext_lazy("Save")
    bootable = forms.BooleanField(label=gettext_lazy("Bootable"), required=False)


class RetypeForm(PanelForm):
    submit_label = gettext_lazy("Change type")
    volume_type = forms.ChoiceField(label=gettext_lazy("New type"))
    migrate = forms.BooleanField(
        label=gettext_lazy("Migrate the data if the new type needs another backend"),
        required=False,
        help_text=gettext_lazy("Without it, Cinder refuses a change that needs a migration."),
    )

    def __init__(self, *args, types=(), current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume_type"].choices = [(t.name, t.name) for t in types if t.name != current]


class SnapshotForm(PanelForm):
    submit_label = gettext_lazy("Create snapshot")
    name = forms.CharField(label=gettext_lazy("Snapshot name"), max_length=255, strip=True)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)
    force = forms.BooleanField(
        label=gettext_lazy("Snapshot even though the volume is in use"),
        required=False,
        help_text=gettext_lazy("The data may be inconsistent unless the instance flushed it."),
    )


class BackupForm(PanelForm):
    submit_label = gettext_lazy("Create backup")
    name = forms.CharField(label=gettext_lazy("Backup name"), max_length=255, strip=True)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)
    incremental = forms.BooleanField(
        label=gettext_lazy("Incremental"),
        required=False,
        help_text=gettext_lazy("Only what changed since the last backup; needs a full backup first."),
    )
    snapshot = forms.ChoiceField(label=gettext_lazy("From snapshot"), required=False)
    force = forms.BooleanField(label=gettext_lazy("Back up even though the volume is in use"), required=False)

    def __init__(self, *args, snapshots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["snapshot"].choices = _choices(snapshots, _("The volume itself"))


class UploadForm(PanelForm):
    submit_label = gettext_lazy("Upload")
    image_name = forms.CharField(label=gettext_lazy("Image name"), max_length=255, strip=True)
    disk_format = forms.ChoiceField(
        label=gettext_lazy("Disk format"), choices=[(f, f) for f in DISK_FORMATS], initial="raw"
    )
    force = forms.BooleanField(label=gettext_lazy("Upload even though the volume is in use"), required=False)


class TransferForm(PanelForm):
    submit_label = gettext_lazy("Create transfer")
    name = forms.CharField(label=gettext_lazy("Transfer name"), max_length=255, strip=True)


class MetadataForm(PanelForm):
    submit_label = gettext_lazy("Save metadata")
    metadata = forms.CharField(
        label=gettext_lazy("Metadata"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One key=value a line; keys left out are removed."),
    )

    def clean_metadata(self):
        return parse_metadata(self.cleaned_data.get("metadata") or "")


class AcceptTransferForm(PanelForm):
    submit_label = gettext_lazy("Accept transfer")
    form_id = "accept-transfer-form"
    transfer_id = forms.CharField(label=gettext_lazy("Transfer ID"), max_length=64, strip=True)
    auth_key = forms.CharField(label=gettext_lazy("Authorisation key"), max_length=64, strip=True)

    def clean_transfer_id(self):
        value = self.cleaned_data["transfer_id"]
        if not ID.match(value):
            raise forms.ValidationError(_("A transfer ID is the UUID its giver received."))
        return value


class RestoreForm(PanelForm):
    submit_label = gettext_lazy("Restore")
    volume = forms.ChoiceField(label=gettext_lazy("Restore into"), required=False)
    name = forms.CharField(label=gettext_lazy("New volume's name"), max_length=255, required=False, strip=True)

    def __init__(self, *args, volumes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].choices = _choices(volumes, _("A new volume"))
        self.fields["volume"].help_text = _("An existing volume is overwritten; it must be available.")
