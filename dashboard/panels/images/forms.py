"""The images panel's forms: create (from a file or a URL), edit, share."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import images
from dashboard.ui.forms import PanelForm

PROPERTY = re.compile(r"^[A-Za-z0-9_:.-]{1,255}$")
RESERVED = images.BASE_FIELDS | {"architecture", "os_distro", "os_version"}


def parse_properties(text: str) -> dict[str, str]:
    """`key=value` lines into a dict (pure: unit-tested); bad lines raise ValidationError."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not PROPERTY.match(name):
            raise ValidationError(
                _("Line %(n)s: write key=value (letters, digits, _ : . - in the key)."), params={"n": number}
            )
        if name in images.BASE_FIELDS:
            raise ValidationError(
                _("Line %(n)s: “%(key)s” is set by Glance, not a property."), params={"n": number, "key": name}
            )
        found[name] = value[:65535]
    return found


def properties_text(props: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in props.items())


VISIBILITY_CHOICES = [
    ("private", _("Private (this project)")),
    ("shared", _("Shared (with chosen projects)")),
    ("community", _("Community (any project may use it)")),
    ("public", _("Public (every project)")),
]


# Glance's default policy (publicize_image: role:admin) leaves public images to administrators
PUBLIC_HELP = _("Only an administrator can make an image public; community visibility lets any project use it.")


def offer_visibilities(field: forms.ChoiceField, is_admin: bool, current: str = "") -> None:
    """The visibilities the user's role can choose (from the token's roles: Glance has no cheap
    answer of its own): without the admin role, public only when the image already is, and a
    sentence saying who can."""
    if is_admin or current == "public":
        return
    field.choices = [(value, label) for value, label in VISIBILITY_CHOICES if value != "public"]
    field.help_text = PUBLIC_HELP


class ImageForm(PanelForm):
    """Create an image record (its data then comes by upload or by URL)."""

    submit_label = _("Create image")
    form_id = "image-form"

    name = forms.CharField(label=_("Name"), max_length=255)
    disk_format = forms.ChoiceField(label=_("Disk format"), choices=[(f, f) for f in images.DISK_FORMATS])
    container_format = forms.ChoiceField(
        label=_("Container format"), choices=[(f, f) for f in images.CONTAINER_FORMATS], initial="bare"
    )
    min_disk = forms.IntegerField(label=_("Minimum disk (GiB)"), min_value=0, max_value=100000, initial=0)
    min_ram = forms.IntegerField(label=_("Minimum RAM (MiB)"), min_value=0, max_value=10000000, initial=0)
    architecture = forms.CharField(
        label=_("Architecture"), max_length=64, required=False, help_text="x86_64, aarch64, …"
    )
    os_distro = forms.CharField(
        label=_("OS distribution"), max_length=64, required=False, help_text="ubuntu, debian, …"
    )
    os_version = forms.CharField(label=_("OS version"), max_length=64, required=False)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=VISIBILITY_CHOICES, initial="private")
    protected = forms.BooleanField(label=_("Protected (cannot be deleted)"), required=False)
    properties = forms.CharField(
        label=_("Properties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One key=value a line, e.g. hw_disk_bus=scsi"),
    )

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_visibilities(self.fields["visibility"], is_admin)

    def clean_properties(self):
        return parse_properties(self.cleaned_data.get("properties") or "")


class UploadImageForm(ImageForm):
    """Create from a file: the form (without the file) is posted first; the page's script then
    streams the file to the upload address the answer gives."""

    size = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class UrlImageForm(ImageForm):
    url = forms.URLField(
        label=_("Image URL"),
        max_length=2048,
        assume_scheme="https",
        help_text=_("Glance downloads it itself (http or https)."),
    )

    field_order = ["name", "url"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Give an http:// or https:// address."))
        return url


class EditImageForm(PanelForm):
    submit_label = _("Save")

    name = forms.CharField(label=_("Name"), max_length=255)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=VISIBILITY_CHOICES)
    protected = forms.BooleanField(label=_("Protected (cannot be deleted)"), required=False)
    min_disk = forms.IntegerField(label=_("Minimum disk (GiB)"), min_value=0, max_value=100000)
    min_ram = forms.IntegerField(label=_("Minimum RAM (MiB)"), min_value=0, max_value=10000000)
    properties = forms.CharField(
        label=_("Properties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One key=value a line; a removed line removes the property."),
    )

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_visibilities(self.fields["visibility"], is_admin, current=(self.initial or {}).get("visibility", ""))

    def clean_properties(self):
        return parse_properties(self.cleaned_data.get("properties") or "")


class ShareForm(PanelForm):
    submit_label = _("Share")
    form_id = "share-form"

    project = forms.CharField(
        label=_("Project"), max_length=255, help_text=_("A project id, or the name of one of your projects.")
    )

    def __init__(self, *args, projects: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects

    def clean_project(self):
        value = self.cleaned_data["project"].strip()
        for p in self.projects:
            if value in (p.get("name"), p.get("id")):
                return p["id"]
        if re.fullmatch(r"[0-9a-fA-F-]{32,36}", value):
            return value.replace("-", "")
        raise ValidationError(_("No project of yours has this name: give the project's id."))


class VolumeFromImageForm(PanelForm):
    submit_label = _("Create volume")

    name = forms.CharField(label=_("Volume name"), max_length=255)
    size = forms.IntegerField(label=_("Size (GiB)"), min_value=1, max_value=100000)

    def __init__(self, *args, smallest: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.smallest = smallest
        self.fields["size"].help_text = _("At least %(n)s GiB: the image's minimum disk and its size.") % {
            "n": smallest
        }

    def clean_size(self):
        size = self.cleaned_data["size"]
        if size < self.smallest:
            raise ValidationError(_("The image needs at least %(n)s GiB."), params={"n": self.smallest})
        return size
