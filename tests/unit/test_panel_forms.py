"""Panel forms as `{% panel_form %}` prints them (ui/form.html): every form of every panel, empty and
sent with errors, shows each field with its label, its widget, its errors and help, and its buttons;
what a person typed and what the code says is escaped; a helper that does more goes to crispy."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.forms.renderers import Jinja2, get_default_renderer
from django.template import Context, Template
from django.utils import translation

import dashboard
from dashboard.cloud.quotas import QuotaItem
from dashboard.ui.templatetags.zenith_fields import _plain
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


def _make(cls, data):
    needed = {
        name: CHOICES[name]
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is p.KEYWORD_ONLY and name in CHOICES and (p.default is p.empty or name == "items")
    }
    return cls(data, **needed)


def printed(form) -> str:
    """The form as the tag prints it (quotes written as Django writes them, to compare)."""
    with translation.override("en"):
        html = Template("{% load zenith_fields %}{% panel_form f %}").render(Context({"f": form}))
    return str(html).replace("&#34;", "&quot;")


class Elements(HTMLParser):
    """Start tags with their attributes, and the text, of a piece of HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(" ".join(data.split()))

    def named(self, name: str) -> list[tuple[str, dict]]:
        return [(tag, attrs) for tag, attrs in self.tags if attrs.get("name") == name]


FORMS = _form_classes()
PLAIN = [cls for cls in FORMS if _plain(getattr(_make(cls, None), "helper", None))]


def test_every_panel_form_is_found_and_the_form_pages_print_theirs():
    names = {cls.__name__ for cls in FORMS}
    assert {"NetworkCreateForm", "QuotaForm", "UserCreateForm", "LoginForm"} <= names
    plain = {cls.__name__ for cls in PLAIN}
    # a layout of fields and plain fieldsets (the network form's subnets) is printed by ui/form.html too
    assert {"UserCreateForm", "UserEditForm", "PasswordForm", "GroupForm", "ContainerCreateForm"} <= plain
    assert "NetworkCreateForm" in plain
    assert "LoginForm" not in plain  # its helper has a form tag and an id: crispy prints it


def test_widgets_come_from_djangos_jinja2_templates():
    assert isinstance(get_default_renderer(), Jinja2)


@pytest.mark.parametrize("cls", PLAIN, ids=lambda c: f"{c.__module__.split('.')[-2]}.{c.__name__}")
@pytest.mark.parametrize("data", [None, {}], ids=["empty", "sent"])
def test_a_panel_form_shows_every_field_with_its_label_and_errors(cls, data):
    form = _make(cls, data)
    if data is not None:
        form.is_valid()
    html = printed(form)
    found = Elements(html)
    for field in form:
        widgets = found.named(field.html_name)
        assert widgets, f"{field.html_name} has no widget"
        if field.is_hidden:
            continue
        assert str(field.label) in found.text, field.label
        css = " ".join(attrs.get("class", "") for _, attrs in widgets)
        assert re.search(r"\bform-(control|select|check-input)\b", css), (field.html_name, css)
        if field.errors:
            assert "is-invalid" in css or field.field.widget.__class__.__name__ != "TextInput"
            assert f'id="{field.auto_id}_error"' in html
            assert all(str(e) in found.text for e in field.errors)
    for button in form.helper.inputs:
        assert ("input", {"type": "submit", "name": button.name, "value": str(button.value)}) in [
            (tag, {k: attrs[k] for k in ("type", "name", "value") if k in attrs}) for tag, attrs in found.tags
        ]


class Sample(forms.Form):
    text = forms.CharField(label='Text <b>& "label"', initial='a "quoted" <b>& value', help_text="Help <em>kept</em>")
    number = forms.IntegerField(min_value=0, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p<w>")
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&")
    flag = forms.BooleanField(required=False, initial=True)
    pick = forms.ChoiceField(choices=[("", "—"), ("Group <1>", [("a", "A & a"), ("b", "B")])], initial="b")
    many = forms.MultipleChoiceField(
        choices=[("1", "one <1>"), ("2", "two")], initial=["2"], required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", 'Go <"now">'))


def test_labels_values_and_choices_are_escaped_help_text_is_the_codes():
    html = printed(Sample())
    assert "Text &lt;b&gt;&amp; &quot;label&quot;" in html and "<b>&" not in html
    assert 'value="a &quot;quoted&quot; &lt;b&gt;&amp; value"' in html
    assert 'value="p&lt;w&gt;"' in html  # a password shown again is escaped too
    assert '<optgroup label="Group &lt;1&gt;">' in html and ">A &amp; a</option>" in html
    assert "&lt;line 2&gt;</textarea>" in html
    assert "Help <em>kept</em>" in html  # help texts are the code's own words (as crispy prints them)
    assert 'value="Go &lt;&quot;now&quot;&gt;"' in html
    assert '<input type="hidden" name="hidden" value="h&amp;"' in html


def test_checkboxes_and_lists_of_them_are_form_checks():
    found = Elements(printed(Sample()))
    (_, flag), *_ = found.named("flag")
    assert flag["type"] == "checkbox" and "form-check-input" in flag["class"] and "checked" in flag
    boxes = found.named("many")
    assert [b["value"] for _, b in boxes] == ["1", "2"] and all("form-check-input" in b["class"] for _, b in boxes)
    assert "checked" in boxes[1][1] and "checked" not in boxes[0][1]
    assert "one <1>" in found.text


def test_errors_on_fields_and_on_none_are_shown_and_escaped():
    form = Sample({"text": "", "number": "-1", "secret": "x", "pick": "zz"})
    assert not form.is_valid()
    form.add_error(None, "Refused: <quota> & more")
    html = printed(form)
    assert "<li>Refused: &lt;quota&gt; &amp; more</li>" in html
    assert 'id="id_number_error"' in html and "greater than or equal to 0" in html
    number = Elements(html).named("number")[0][1]
    assert "is-invalid" in number["class"]
    assert 'id="id_pick_error"' in html


def test_a_layout_of_fieldsets_keeps_its_order_and_legends():
    form = Sample()
    form.helper.layout = Layout("text", Fieldset("First <set>", "number", "flag"), "notes")
    assert _plain(form.helper)
    html = printed(form)
    assert "<legend>First &lt;set&gt;</legend>" in html
    order = [name for _, attrs in Elements(html).tags if (name := attrs.get("name")) in ("text", "number", "notes")]
    assert order == ["text", "number", "notes"]
    assert 'name="pick"' not in html  # a layout shows what it names


def test_a_form_whose_helper_sets_more_is_printed_by_crispy():
    form = Sample()
    form.helper.layout = Layout("text", Div("number"))
    assert not _plain(form.helper)
    form = Sample()
    form.helper.form_id = "mine"
    form.helper.form_tag = True
    html = printed(form)
    assert html.count('<form  id="mine" method="post"') == 1 and 'name="text"' in html


class Widgets(forms.Form):
    text = forms.CharField(initial='a "b" <c>', widget=forms.TextInput(attrs={"autofocus": True, "data-x": False}))
    number = forms.IntegerField(min_value=0, initial=3)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p<w>")
    flag = forms.BooleanField(required=False, initial=True)
    off = forms.BooleanField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial="2026-12-07")
    pick = forms.ChoiceField(choices=[("", "—"), ("Group <1>", [("a", "A & a"), ("b", "B")])], initial="b")
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], initial=["2"], required=False)
    notes = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>")
    empty = forms.CharField(widget=forms.Textarea, required=False)
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("x", "X")], required=False)


@pytest.mark.parametrize("data", [None, {"number": "-1", "pick": "zz", "day": "no"}], ids=["initial", "sent"])
def test_the_form_template_prints_a_widget_as_djangos_own_template_does(data):
    from dashboard.ui.jinja import macros
    from dashboard.ui.templatetags.zenith_fields import widget_of

    form = Widgets(data)
    form.is_valid()
    kit = macros("ui/form.html")
    printed_here = 0
    for field in form:
        context = widget_of(field)
        if context is None:
            assert field.name == "radio"  # printed by Django's renderer
            continue
        printed_here += 1
        ours, djangos = Elements(str(kit.widget(context))), Elements(str(field))
        assert (ours.tags, ours.text) == (djangos.tags, djangos.text), field.name
    assert printed_here == len(form.fields) - 1


def test_every_panel_forms_text_fields_refuse_over_long_text_instead_of_cutting_it():
    from dashboard.ui.forms import PanelForm
    from dashboard.ui.validators import TOO_LONG

    for cls in _form_classes():
        if not issubclass(cls, PanelForm) and cls.__name__ != "LaunchForm":
            continue
        form = _make(cls, None)
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField) and field.max_length:
                assert "maxlength" not in str(form[name]), (cls, name)
                assert field.error_messages["max_length"] == TOO_LONG, (cls, name)


def test_the_ssh_preset_carries_what_it_fills_in_the_protocol_and_port_fields():
    from dashboard.panels.network.forms import RuleForm

    html = printed(RuleForm())
    select = Elements(html).named("preset")[0][1]
    assert select["data-fills"] == "port_range_max port_range_min protocol"
    options = re.findall(r'<option value="(\w*)"([^>]*)>', html.split('name="preset"')[1].split("</select>")[0])
    fills = {value: attrs for value, attrs in options}
    assert 'data-fill="{&quot;protocol&quot;: &quot;tcp&quot;, &quot;port_range_min&quot;: 22,' in fills["ssh"]
    assert "data-fill" not in fills[""]  # the custom rule keeps what the fields show
    assert "&quot;protocol&quot;: &quot;&quot;" in fills["dns"]  # two rules: nothing to show in one field


def test_a_field_shown_by_a_choice_is_printed_hidden_until_chosen():
    from dashboard.panels.volumes.forms import CreateVolumeForm

    html = printed(CreateVolumeForm({"source": "snapshot", "name": "v", "size": "1"}))
    snapshot = re.search(
        r'<div id="div_id_snapshot" class="([^"]*)" data-shown-by="source" data-shown-for="snapshot">', html
    )
    image = re.search(r'<div id="div_id_image" class="([^"]*)" data-shown-by="source" data-shown-for="image">', html)
    assert snapshot and "d-none" not in snapshot[1]
    assert image and "d-none" in image[1]


def test_a_member_is_offered_only_the_image_visibilities_glance_lets_them_choose():
    from dashboard.panels.images.forms import EditImageForm, UploadImageForm

    member = UploadImageForm(is_admin=False).fields["visibility"]
    assert [v for v, _label in member.choices] == ["private", "shared", "community"]
    assert "Only an administrator can make an image public" in str(member.help_text)
    assert "public" in [v for v, _label in UploadImageForm(is_admin=True).fields["visibility"].choices]
    assert not UploadImageForm(
        {
            "name": "x",
            "disk_format": "raw",
            "container_format": "bare",
            "min_disk": 0,
            "min_ram": 0,
            "visibility": "public",
        }
    ).is_valid()
    # an image an administrator made public stays so when its member edits it
    edited = EditImageForm(initial={"visibility": "public"}, is_admin=False).fields["visibility"]
    assert "public" in [v for v, _label in edited.choices]


def test_a_member_is_not_offered_a_floating_ip_address_and_is_told_who_can():
    from dashboard.panels.network.forms import AllocateForm

    member = AllocateForm(externals=[("n1", "public")], is_admin=False)
    assert "address" not in member.fields
    assert "only an administrator can choose the address" in str(member.fields["network_id"].help_text)
    assert "address" in AllocateForm(externals=[("n1", "public")], is_admin=True).fields


def test_a_known_refusal_shows_its_sentence_then_the_services_words_in_smaller_type(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from dashboard.cloud import CloudError
    from dashboard.ui.forms import PanelForm, form_page

    class Named(PanelForm):
        name = forms.CharField(max_length=10)

    def refuse(cd):
        err = CloudError("quota", "Choose a smaller size.", "Requested 28G, quota is 20G", service="volume")
        err.explained = True
        raise err

    request = rf.post("/", {"name": "v"})
    request.session = {}
    request._messages = FallbackStorage(request)
    html = form_page(request, Named(request.POST), refuse, success_url="/").content.decode()
    assert "<li>Choose a smaller size.</li>" in html
    assert (
        '<li class="small" data-testid="cloud-said">Block Storage (Cinder) said: Requested 28G, quota is 20G</li>'
        in html
    )
