import unicodedata
from datetime import UTC, datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.ui.forms import PanelForm


class LoginForm(forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=255, initial=settings.OPENSTACK_DEFAULT_DOMAIN)
    username = forms.CharField(label=_("User name"), max_length=255, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label=_("Password"), max_length=4096, widget=forms.PasswordInput(render_value=False), strip=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.OPENSTACK_MULTIDOMAIN:
            # one domain: no need to ask
            self.fields["domain"].widget = forms.HiddenInput()
            self.fields["domain"].required = False
        self.helper = FormHelper()
        self.helper.form_id = "login-form"
        self.helper.add_input(Submit("login", _("Log in"), css_class="w-100"))

    def clean_domain(self):
        return self.cleaned_data.get("domain") or settings.OPENSTACK_DEFAULT_DOMAIN


class ApiKeyForm(PanelForm):
    """A new API key: a name to recognise it and the day it stops working."""

    submit_label = _("Create key")
    form_id = "api-key-form"

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the key is for, e.g. “backup script”."))
    expires = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("The key and its Keystone application credential stop working at 00:00 UTC that day."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
            raise forms.ValidationError(_("Give the key a name without control characters."))
        return name

    def clean_expires(self):
        day = self.cleaned_data["expires"]
        today = timezone.now().date()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + timedelta(days=settings.API_KEY_MAX_DAYS):
            raise forms.ValidationError(_("A key lasts at most %(days)d days.") % {"days": settings.API_KEY_MAX_DAYS})
        return day

    def expires_at(self) -> datetime:
        return datetime.combine(self.cleaned_data["expires"], time.min, tzinfo=UTC)
