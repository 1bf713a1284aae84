"""Forms printed from Python (dashboard.ui.renderers, templatetags/zenith_fields) against the
templates they stand for (Django's widgets, crispy-bootstrap5's field.html and whole form): every
form of every panel, empty and sent with errors, must come out the same."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser

import pytest
from crispy_forms import utils as crispy_utils
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, Div, Fieldset, Hidden, Layout, Submit
from crispy_forms.templatetags import crispy_forms_filters, crispy_forms_tags
from crispy_forms.utils import render_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.test import override_settings
from django.utils.safestring import mark_safe

import dashboard
from dashboard.cloud.quotas import QuotaItem
from dashboard.ui.renderers import FastWidgets
from dashboard.ui.templatetags.zenith_fields import _plain, form_html
from tests.unit.test_launch_form import CHOICES as LAUNCH_CHOICES


def _form_classes() -> list[type[forms.Form]]:
    found = []
    for info in pkgutil.walk_packages(dashboard.__path__, "dashboard."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.Form) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


# the forms whose constructor needs what its view reads from the cloud
CHOICES = {
    "projects": [{"id": "p1", "name": "demo"}],
    "choices": LAUNCH_CHOICES,
    "items": [QuotaItem("compute", "instances", "Instances", 10, 3), QuotaItem("network", "port", "Ports", -1)],
}


def _make(cls, data, renderer):
    if cls.__name__ == "SampleWithHelper" and data is not None:
        data = {"number": "-1", "email": "x", "pick": "zz", "text": "<b>"}
    needed = {
        name: CHOICES[name]
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is p.KEYWORD_ONLY and name in CHOICES and (p.default is p.empty or name == "items")
    }
    return cls(data, renderer=renderer, **needed)


class Tokens(HTMLParser):
    """Elements, attributes (in order) and text without the whitespace between tags."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("</", tag))

    def handle_data(self, data):
        if data.strip():
            self.tokens.append(("text", " ".join(data.split())))


class Sample(forms.Form):
    text = forms.CharField(label='Text <b>& "label"', initial='a "quoted" <b>& value', help_text="Help <em>kept</em>")
    number = forms.IntegerField(min_value=0, required=False)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email", "data-x": True}))
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p<w>")
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("&amp;"))
    flag = forms.BooleanField(required=False, initial=True)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": False}))
    pick = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("a", "A & a"), ("b", "B")]), ("c", mark_safe("<i>C</i>"))], initial="b"
    )
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], initial=["1", "2"], required=False)
    notes = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>", required=False)
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I <agree> & sign", help_text="Required box")


class SampleWithHelper(Sample):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


FORMS = _form_classes()


def test_every_panel_form_is_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"NetworkCreateForm", "QuotaForm", "UserCreateForm", "LoginForm"} <= names


@pytest.mark.parametrize("cls", [*FORMS, SampleWithHelper], ids=lambda c: f"{c.__module__.split('.')[-2]}.{c.__name__}")
@pytest.mark.parametrize("data", [None, {}], ids=["empty", "sent"])
def test_fields_printed_from_python_match_the_templates(cls, data):
    """A form with a crispy helper as crispy prints it; the others (the launch form's template
    places its fields itself) field by field."""
    fast_form, slow_form = _make(cls, data, FastWidgets()), _make(cls, data, DjangoTemplates())
    if not hasattr(fast_form, "helper"):
        for name, field in fast_form.fields.items():
            if field.widget.__class__.__module__.startswith("django."):
                assert str(fast_form[name]) == str(slow_form[name]), name
        return
    fast = render_crispy_form(fast_form)
    _forget_crispy_templates()
    try:
        with override_settings(TEMPLATES=[{**s, "DIRS": []} for s in _templates()]):
            slow = render_crispy_form(slow_form)
    finally:
        _forget_crispy_templates()
    assert "<input" in slow or "<select" in slow or "<textarea" in slow
    assert Tokens(fast).tokens == Tokens(slow).tokens


def _crispy_alone(form) -> str:
    """The form as crispy's own templates print it (field, whole form), without ours."""
    _forget_crispy_templates()
    try:
        with override_settings(TEMPLATES=[{**s, "DIRS": []} for s in _templates()]):
            return render_crispy_form(form)
    finally:
        _forget_crispy_templates()


PLAIN = [cls for cls in FORMS if _plain(getattr(_make(cls, None, None), "helper", None))]


def test_the_forms_of_form_pages_are_printed_from_python():
    names = {cls.__name__ for cls in PLAIN}
    # a layout of fields and plain fieldsets (the network form's subnets) is printed from Python too
    assert {"UserCreateForm", "UserEditForm", "PasswordForm", "GroupForm", "ContainerCreateForm"} <= names
    assert "NetworkCreateForm" in names
    # a form id set on the helper (login): crispy prints it
    assert "LoginForm" not in names


def test_a_layout_python_does_not_print_goes_to_crispy():
    form = SampleWithHelper()
    form.helper.layout = Layout("text", Fieldset("Set {{ x }}", "number"))  # a legend crispy reads as a template
    assert not _plain(form.helper)
    form.helper.layout = Layout("text", Fieldset("Set", "number", css_class="wide"))
    assert not _plain(form.helper)
    form.helper.layout = Layout("text", Div("number"))
    assert not _plain(form.helper)
    form.helper.layout = Layout("text", Fieldset("Set <1>", "number", "flag"))
    assert _plain(form.helper)


class LaidOut(SampleWithHelper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("text", Fieldset("First <set>", "number", "flag"), "notes", Fieldset("", "pick"))


class Buttons(SampleWithHelper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.add_input(Submit("go now", 'Go <"now">', css_class="w-100", data_x="1"))
        self.helper.add_input(Hidden("step", "2&3"))
        self.helper.add_input(Button("back", "Back", css_id="back-button"))


@pytest.mark.parametrize("cls", [*PLAIN, SampleWithHelper, Buttons, LaidOut], ids=lambda c: c.__name__)
@pytest.mark.parametrize("data", [None, {}], ids=["empty", "sent"])
def test_a_whole_form_printed_from_python_matches_crispy(cls, data):
    """`{% panel_form %}` against `{% crispy %}`: media, the errors on no field (escaped), fields,
    buttons."""
    fast_form, slow_form = _make(cls, data, FastWidgets()), _make(cls, data, DjangoTemplates())
    if data is not None:
        for form in (fast_form, slow_form):
            form.is_valid()
            form.add_error(None, "Refused: <quota> & more")
    fast, slow = form_html(fast_form), _crispy_alone(slow_form)
    if data is None:
        assert "alert-danger" not in fast
    else:
        assert "<li>Refused: &lt;quota&gt; &amp; more</li>" in fast
    assert "<input" in fast or "<select" in fast
    assert Tokens(fast).tokens == Tokens(slow).tokens


def test_a_form_whose_helper_sets_more_is_printed_by_crispy():
    form = SampleWithHelper()
    form.helper.form_id = "mine"
    form.helper.form_tag = True
    html = Template("{% load zenith_fields %}{% panel_form f %}").render(Context({"f": form}))
    assert html.count('<form  id="mine" method="post"') == 1


def _forget_crispy_templates():
    """crispy keeps the templates it looked up (lru_cache): without ours, they are looked up again."""
    for module in (crispy_utils, crispy_forms_tags, crispy_forms_filters):
        for value in vars(module).values():
            if hasattr(value, "cache_clear") and getattr(value, "__module__", "") == module.__name__:
                value.cache_clear()


def _templates():
    from django.conf import settings

    return settings.TEMPLATES


@pytest.mark.parametrize("data", [None, {"number": "-1", "email": "x", "pick": "zz"}], ids=["initial", "invalid"])
def test_each_widget_prints_the_bytes_of_djangos_template(data):
    fast, slow = Sample(data, renderer=FastWidgets()), Sample(data, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        assert str(fast[name]) == str(slow[name]), name


def test_a_widget_it_does_not_know_goes_to_djangos_template():
    class Radios(forms.Form):
        choice = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A"), ("b", "B")])

    html = str(Radios(renderer=FastWidgets())["choice"])
    assert html == str(Radios(renderer=DjangoTemplates())["choice"])
    assert 'type="radio"' in html
