"""The forms of the instance actions that ask for input (which actions a state allows is in
dashboard.cloud.instances, shared with every page that shows instances)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.ui.forms import PanelForm


class RenameForm(PanelForm):
    submit_label = _("Rename")
    name = forms.CharField(max_length=255, strip=True)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("The name cannot be empty."))
        return name


class ResizeForm(PanelForm):
    submit_label = _("Resize")
    flavor = forms.ChoiceField(help_text=_("The instance is rebuilt on the new flavor; confirm or revert afterwards."))

    def __init__(self, *args, flavors=(), current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flavor"].choices = [(f.id, f.label) for f in flavors if f.name != current]


class RebuildForm(PanelForm):
    submit_label = _("Rebuild")
    image = forms.ChoiceField(help_text=_("The instance's disk is replaced by this image; its data is lost."))

    def __init__(self, *args, images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].choices = [(i.id, i.label) for i in images]


class SnapshotForm(PanelForm):
    submit_label = _("Create snapshot")
    name = forms.CharField(max_length=255, strip=True, label=_("Snapshot name"))


class AttachVolumeForm(PanelForm):
    submit_label = _("Attach")
    volume = forms.ChoiceField(help_text=_("Only volumes that are available (not attached elsewhere) are listed."))

    def __init__(self, *args, volumes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].choices = [(v.id, v.label) for v in volumes]


class AttachInterfaceForm(PanelForm):
    submit_label = _("Attach")
    network = forms.ChoiceField(required=False, help_text=_("A new port is created on this network…"))
    port = forms.ChoiceField(required=False, help_text=_("…or use an existing free port."))

    def __init__(self, *args, networks=(), ports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", "—")] + [(n.id, n.label) for n in networks]
        self.fields["port"].choices = [("", "—")] + [(p.id, p.label) for p in ports]

    def clean(self):
        data = super().clean()
        if bool(data.get("network")) == bool(data.get("port")):
            raise forms.ValidationError(_("Choose either a network or a port."))
        return data


class FloatingIPForm(PanelForm):
    submit_label = _("Associate")
    target = forms.ChoiceField(label=_("Instance address"), help_text=_("The fixed IP that the floating IP points to."))
    floating_ip = forms.ChoiceField(required=False, label=_("Floating IP"))
    pool = forms.ChoiceField(
        required=False, label=_("…or allocate a new one from"), help_text=_("An external network.")
    )

    def __init__(self, *args, targets=(), free_ips=(), pools=(), **kwargs):
        super().__init__(*args, **kwargs)
        # a target is "<port id>/<fixed ip>"
        self.fields["target"].choices = [(f"{port_id}/{ip}", f"{ip} ({net})") for port_id, ip, net in targets]
        self.fields["floating_ip"].choices = [("", _("— allocate a new one —"))] + [
            (f.id, f.floating_ip_address) for f in free_ips
        ]
        self.fields["pool"].choices = [(n.id, n.label) for n in pools]

    def clean(self):
        data = super().clean()
        if not data.get("floating_ip") and not data.get("pool"):
            raise forms.ValidationError(_("Choose a free floating IP or a pool to allocate one from."))
        target = data.get("target") or ""
        if "/" in target:
            data["port_id"], data["fixed_ip"] = target.split("/", 1)
        return data


class SecurityGroupsForm(PanelForm):
    submit_label = _("Save security groups")
    groups = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label=_("Security groups"))

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.id, g.name) for g in groups]
