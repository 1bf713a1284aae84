"""The containers panel's forms: names are checked as Swift checks them, before any call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import object_names
from dashboard.ui.forms import PanelForm

EXPIRIES = (
    (3600, _("1 hour")),
    (86400, _("1 day")),
    (7 * 86400, _("7 days")),
    (30 * 86400, _("30 days")),
)


class ContainerCreateForm(PanelForm):
    submit_label = _("Create container")
    form_id = "container-form"
    name = forms.CharField(label=_("Name"), max_length=1024, strip=False)
    storage_policy = forms.ChoiceField(label=_("Storage policy"), required=False)
    public = forms.BooleanField(
        label=_("Public: anyone with the URL can read its objects and list them"), required=False
    )

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The cloud's default"))]
        choices += [(name, f"{name} ({_('default')})" if default else name) for name, default in policies]
        self.fields["storage_policy"].choices = choices

    def clean_name(self):
        name = self.cleaned_data["name"]
        problem = object_names.container_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name


class MakePublicForm(PanelForm):
    """Asks before a container becomes readable by anyone: its address, shown to copy, and one button."""

    submit_label = _("Make public")
    form_id = "make-public-form"
    public_url = forms.CharField(
        label=_("Public URL"),
        required=False,
        disabled=True,  # shown, never sent back
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace small"}),  # whole, however long
    )

    def __init__(self, *args, public_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_url"].initial = public_url


class FolderForm(PanelForm):
    submit_label = _("Create folder")
    form_id = "folder-form"
    name = forms.CharField(label=_("Folder name"), max_length=1024, help_text=_("Created inside the current folder."))

    def __init__(self, *args, parent: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent

    def clean_name(self):
        name = self.cleaned_data["name"].strip("/")
        if not name:
            raise forms.ValidationError(_("Enter a folder name."))
        problem = object_names.object_name_problem(self.parent + name + "/")
        if problem:
            raise forms.ValidationError(problem)
        return name


class CopyForm(PanelForm):
    submit_label = _("Copy")
    form_id = "copy-form"
    container = forms.ChoiceField(label=_("To container"))
    name = forms.CharField(label=_("New name"), max_length=1024, strip=False)
    move = forms.BooleanField(label=_("Move: delete the original once copied"), required=False)

    def __init__(self, *args, containers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["container"].choices = [(c, c) for c in containers]

    def clean_name(self):
        name = self.cleaned_data["name"]
        problem = object_names.object_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name


class ShareForm(PanelForm):
    submit_label = _("Create temporary URL")
    form_id = "share-form"
    expires = forms.TypedChoiceField(label=_("Valid for"), choices=EXPIRIES, coerce=int, initial=86400)


class MetadataForm(PanelForm):
    submit_label = _("Save metadata")
    form_id = "metadata-form"
    metadata = forms.CharField(
        label=_("Metadata"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One “key: value” a line; remove a line to remove the item."),
    )

    def clean_metadata(self):
        items = {}
        for number, line in enumerate(self.cleaned_data["metadata"].splitlines(), 1):
            if not line.strip():
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or not object_names.META_KEY.match(key):
                raise forms.ValidationError(
                    _("Line %(n)d: write “key: value”, the key made of letters, digits, - and _.") % {"n": number}
                )
            items[key.lower()] = value.strip()
        return items


def metadata_text(metadata: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in sorted(metadata.items()))
