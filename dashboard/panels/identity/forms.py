"""Forms of the identity admin pages. Choices (projects, roles, users) come from the view's calls."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.cloud.quotas import UNLIMITED, QuotaItem, below_usage
from dashboard.ui.forms import PanelForm


def _choices(items, empty: str | None = "—") -> list[tuple[str, str]]:
    choices = [("", empty)] if empty is not None else []
    return choices + [(item.id, item.name) for item in items]


class ProjectForm(PanelForm):
    form_id = "project-form"
    submit_label = _("Create project")
    name = forms.CharField(max_length=64)
    description = forms.CharField(required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 3}))
    enabled = forms.BooleanField(required=False, initial=True, help_text=_("A disabled project cannot be logged into."))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, submit_label=_("Save") if editing else "", **kwargs)
        if editing:
            del self.fields["enabled"]  # enable/disable has its own button


class PasswordFields(PanelForm):
    password = forms.CharField(max_length=4096, strip=False, widget=forms.PasswordInput(render_value=False))
    confirm = forms.CharField(
        label=_("Confirm password"), max_length=4096, strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("confirm") is not None and data["password"] != data["confirm"]:
            self.add_error("confirm", _("The two passwords differ."))
        return data


class UserCreateForm(PasswordFields):
    form_id = "user-form"
    submit_label = _("Create user")
    name = forms.CharField(label=_("User name"), max_length=255)
    email = forms.EmailField(required=False)
    description = forms.CharField(required=False, max_length=255)
    project = forms.ChoiceField(label=_("Primary project"), required=False)
    role = forms.ChoiceField(required=False, help_text=_("The role the user gets in the primary project."))

    field_order = ["name", "email", "description", "password", "confirm", "project", "role"]

    def __init__(self, *args, projects=(), roles=(), **kwargs):
        """projects, roles: the choices (none when they could not be read); member is chosen."""
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = _choices(projects)
        self.fields["role"].choices = _choices(roles)
        member = next((r.id for r in roles if r.name == "member"), "")
        self.fields["role"].initial = member

    def clean(self):
        data = super().clean()
        if data.get("project") and not data.get("role"):
            self.add_error("role", _("Choose the role the user gets in the primary project."))
        return data


class UserEditForm(PanelForm):
    form_id = "user-form"
    email = forms.EmailField(required=False)
    description = forms.CharField(required=False, max_length=255)
    default_project = forms.ChoiceField(label=_("Default project"), required=False)

    def __init__(self, *args, projects=None, **kwargs):
        """projects: the choices; None when they could not be read: the current one is kept, by its
        id, so that the form sent as shown changes nothing of it."""
        super().__init__(*args, **kwargs)
        if projects is None:
            current = self.initial.get("default_project") or ""
            self.fields["default_project"].choices = [("", "—")] + ([(current, current)] if current else [])
        else:
            self.fields["default_project"].choices = _choices(projects)


class PasswordForm(PasswordFields):
    form_id = "password-form"
    submit_label = _("Change password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("New password")


class GroupForm(PanelForm):
    form_id = "group-form"
    submit_label = _("Create group")
    name = forms.CharField(max_length=64)
    description = forms.CharField(required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, submit_label=_("Save") if editing else "", **kwargs)


class AssignmentForm(forms.Form):
    """A role for a user or a group on a project; actor values are "user:<id>" or "group:<id>"."""

    actor = forms.ChoiceField(
        label=_("User or group"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    role = forms.ChoiceField(widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, users=(), groups=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("", "—"),
            (_("Users"), [(f"user:{u.id}", u.name) for u in users]),
            (_("Groups"), [(f"group:{g.id}", g.name) for g in groups]),
        ]
        self.fields["role"].choices = _choices(roles)

    def actor_ids(self) -> tuple[str, str]:
        """(user_id, group_id): one of them empty."""
        kind, _sep, ident = self.cleaned_data["actor"].partition(":")
        return (ident, "") if kind == "user" else ("", ident)


class GroupMemberForm(forms.Form):
    user = forms.ChoiceField(widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = _choices(users)


class QuotaForm(forms.Form):
    """One number per quota item (field name "service-resource"); blank keeps the current limit."""

    def __init__(self, *args, items: list[QuotaItem] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.key: item for item in items}
        for item in items:
            self.fields[item.key] = forms.IntegerField(
                label=item.label,
                required=False,
                min_value=UNLIMITED,
                initial=item.limit,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": UNLIMITED}),
                error_messages={"min_value": _("Use -1 for unlimited, or a number of 0 or more.")},
            )

    def clean(self):
        data = super().clean()
        for key, item in self.items.items():
            value = data.get(key)
            if value is not None and value != item.limit and below_usage(item, value):
                self.add_error(
                    key,
                    _(
                        "%(label)s: %(minimum)s already in use (or reserved) in this project, so the limit "
                        "cannot be %(value)s. Free resources first, or set %(minimum)s or more (-1 = unlimited)."
                    )
                    % {"label": item.label, "minimum": item.minimum, "value": value},
                )
        return data

    def changes(self) -> dict[str, dict[str, int]]:
        """{service: {resource: new limit}} for the limits that differ from the current ones."""
        changed: dict[str, dict[str, int]] = {}
        for key, item in self.items.items():
            value = self.cleaned_data.get(key)
            if value is not None and value != item.limit:
                changed.setdefault(item.service, {})[item.resource] = value
        return changed

    def rows(self, service: str):
        """(item, bound field) pairs of one service, for the table."""
        return [(item, self[key]) for key, item in self.items.items() if item.service == service]
