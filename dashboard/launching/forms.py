"""The launch form and the key pair forms: what the instances panel shows and the JSON API checks."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dashboard.cloud.launch import USER_DATA_LIMIT, USER_DATA_RAW_LIMIT, LaunchSpec, encode_user_data
from dashboard.cloud.launch_rules import (
    SOURCE_IMAGE,
    SOURCE_IMAGE_TO_VOLUME,
    SOURCE_KINDS,
    SOURCE_SNAPSHOT,
    SOURCE_VOLUME,
    Source,
)
from dashboard.ui.validators import parse_metadata, refuse_over_long, validate_keypair_name, validate_public_key

MAX_COUNT = 50  # instances in one launch; the project's quota usually stops it earlier
MAX_NICS = 6  # network interfaces offered on the form
MAX_METADATA_ITEMS = 128  # Nova's default metadata_items quota


def _no_control_characters(value: str, what: str) -> None:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise forms.ValidationError(_("%(what)s cannot contain control characters or line breaks.") % {"what": what})


class OrderedSelects(forms.Widget):
    """Several <select name="nic"> in a row; their values come back in page order."""

    def value_from_datadict(self, data, files, name):
        return [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else data.get(name, [])


def _choices(items, label=lambda x: x.name or x.id, blank: str | None = None):
    choices = [("", blank)] if blank is not None else []
    if isinstance(items, Exception):
        return choices
    return choices + [(x.id, label(x)) for x in items]


class LaunchForm(forms.Form):
    name = forms.CharField(max_length=255, strip=True)
    count = forms.IntegerField(min_value=1, max_value=MAX_COUNT, initial=1)
    availability_zone = forms.ChoiceField(required=False)

    source_type = forms.ChoiceField(choices=SOURCE_KINDS, initial=SOURCE_IMAGE, widget=forms.RadioSelect)
    image = forms.ChoiceField(required=False)
    volume = forms.ChoiceField(required=False)
    snapshot = forms.ChoiceField(required=False)
    volume_size = forms.IntegerField(required=False, min_value=1, max_value=16384)
    delete_on_termination = forms.BooleanField(required=False, initial=True)

    flavor = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": _("Choose a flavor.")})
    nic = forms.MultipleChoiceField(required=False, widget=OrderedSelects)
    security_groups = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    key_name = forms.ChoiceField(required=False)

    user_data = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6}))
    user_data_file = forms.FileField(required=False)
    config_drive = forms.BooleanField(required=False)
    metadata = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    server_group = forms.ChoiceField(required=False)

    def __init__(self, *args, choices: dict[str, Any], **kwargs):
        super().__init__(*args, **kwargs)
        refuse_over_long(self)
        self.cloud = choices
        f = self.fields
        f["image"].choices = _choices(choices["images"], blank=_("Choose an image"))
        f["volume"].choices = _choices(choices["volumes"], label=lambda v: v.label, blank=_("Choose a volume"))
        f["snapshot"].choices = _choices(choices["snapshots"], label=lambda s: s.label, blank=_("Choose a snapshot"))
        f["flavor"].choices = _choices(choices["flavors"])
        nets = [(f"net:{n.id}", n.name or n.id) for n in choices["networks"]]
        ports = [] if isinstance(choices["ports"], Exception) else choices["ports"]
        f["nic"].choices = nets + [(f"port:{p.id}", p.name or p.id) for p in ports]
        groups = choices["security_groups"]
        f["security_groups"].choices = [(g.name, g.name) for g in groups]
        if not self.is_bound and any(g.name == "default" for g in groups):
            self.initial.setdefault("security_groups", ["default"])
        f["key_name"].choices = [("", _("No key pair"))] + [(k.name, k.name) for k in choices["keypairs"]]
        zones = [] if isinstance(choices["zones"], Exception) else choices["zones"]
        f["availability_zone"].choices = [("", _("Any zone"))] + [(z, z) for z in zones]
        f["server_group"].choices = _choices(choices["server_groups"], label=lambda g: g.label, blank=_("None"))
        for bound_field in f.values():
            widget = bound_field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, (forms.TextInput, forms.NumberInput, forms.Textarea, forms.FileInput)):
                widget.attrs.setdefault("class", "form-control")
        f["user_data"].help_text = _(
            "cloud-init text or a script, up to %(raw)s bytes (Nova accepts %(encoded)s bytes once base64-encoded)."
        ) % {
            "raw": number_format(USER_DATA_RAW_LIMIT, force_grouping=True),
            "encoded": number_format(USER_DATA_LIMIT, force_grouping=True),
        }

    # -- field checks --------------------------------------------------------------------------

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("Give the instance a name."))
        _no_control_characters(name, _("The name"))
        return name

    def clean_metadata(self):
        return parse_metadata(self.cleaned_data.get("metadata") or "", max_items=MAX_METADATA_ITEMS)

    def clean(self):
        data = super().clean()
        kind = data.get("source_type")
        needed = {
            SOURCE_IMAGE: "image",
            SOURCE_IMAGE_TO_VOLUME: "image",
            SOURCE_VOLUME: "volume",
            SOURCE_SNAPSHOT: "snapshot",
        }.get(kind)
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, _("Choose the %(needed)s to boot from.") % {"needed": needed})
        if kind == SOURCE_IMAGE_TO_VOLUME and not data.get("volume_size") and "volume_size" not in self.errors:
            self.add_error("volume_size", _("Give the size of the new volume."))
        count = data.get("count") or 1
        if kind == SOURCE_VOLUME and count > 1:
            self.add_error("count", _("An existing volume can boot only one instance: set the count to 1."))

        nics = data.get("nic") or []
        if not nics and "nic" not in self.errors:
            self.add_error("nic", _("Choose at least one network (or an existing port)."))
        if len(nics) != len(set(nics)):
            self.add_error("nic", _("Each network or port can be chosen once."))
        if count > 1 and any(n.startswith("port:") for n in nics):
            self.add_error("nic", _("A port can belong to one instance only: launch one instance, or choose networks."))
        if len(nics) > MAX_NICS:
            self.add_error("nic", _("At most %(MAX_NICS)s network interfaces.") % {"MAX_NICS": MAX_NICS})

        upload = data.get("user_data_file")
        if upload:
            if upload.size > USER_DATA_RAW_LIMIT:
                self.add_error("user_data_file", self._user_data_too_big(upload.size))
            else:
                data["user_data_bytes"] = upload.read()
        else:
            text = (data.get("user_data") or "").replace("\r\n", "\n")
            raw = text.encode("utf-8")
            if len(encode_user_data(raw)) > USER_DATA_LIMIT:
                self.add_error("user_data", self._user_data_too_big(len(raw)))
            data["user_data_bytes"] = raw
        return data

    @staticmethod
    def _user_data_too_big(size: int) -> str:
        return _(
            "User data is %(size)s bytes; Nova accepts at most %(raw)s bytes (%(encoded)s once base64-encoded)."
        ) % {
            "size": number_format(size, force_grouping=True),
            "raw": number_format(USER_DATA_RAW_LIMIT, force_grouping=True),
            "encoded": number_format(USER_DATA_LIMIT, force_grouping=True),
        }

    # -- what the view needs -------------------------------------------------------------------

    def source(self) -> Source | None:
        """The boot source from the (possibly partial) input: used by the live preview too."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        raw = self.data
        kind = data.get("source_type") or raw.get("source_type") or SOURCE_IMAGE
        field_name = {SOURCE_VOLUME: "volume", SOURCE_SNAPSHOT: "snapshot"}.get(kind, "image")
        ident = data.get(field_name) or raw.get(field_name) or ""
        size = data.get("volume_size")
        if size is None:
            try:
                size = int(raw.get("volume_size") or 0) or None
            except ValueError:
                size = None
        return Source(
            kind=kind,
            id=ident,
            volume_size=size if kind in (SOURCE_IMAGE_TO_VOLUME, SOURCE_SNAPSHOT) else None,
            delete_on_termination=bool(data.get("delete_on_termination"))
            if data
            else raw.get("delete_on_termination") in ("on", "true", "1"),
        )

    def spec(self) -> LaunchSpec:
        d = self.cleaned_data
        nics = [tuple(n.split(":", 1)) for n in d["nic"]]
        return LaunchSpec(
            name=d["name"],
            count=d["count"],
            source=self.source(),
            flavor_id=d["flavor"],
            nics=nics,
            security_groups=d.get("security_groups") or [],
            key_name=d.get("key_name") or "",
            availability_zone=d.get("availability_zone") or "",
            user_data=d.get("user_data_bytes") or b"",
            config_drive=bool(d.get("config_drive")),
            metadata=d.get("metadata") or {},
            server_group=d.get("server_group") or "",
        )


class KeypairCreateForm(forms.Form):
    new_keypair_name = forms.CharField(max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_over_long(self)

    def clean_new_keypair_name(self):
        return validate_keypair_name(self.cleaned_data["new_keypair_name"])


class KeypairImportForm(forms.Form):
    import_keypair_name = forms.CharField(max_length=255)
    public_key = forms.CharField(max_length=16384, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_over_long(self)

    def clean_import_keypair_name(self):
        return validate_keypair_name(self.cleaned_data["import_keypair_name"])

    def clean_public_key(self):
        return validate_public_key(self.cleaned_data["public_key"])
