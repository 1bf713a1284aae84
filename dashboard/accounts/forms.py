from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
