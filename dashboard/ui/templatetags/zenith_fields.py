"""`{% panel_form form %}`: a panel's form printed by the Jinja2 template ui/form.html (its errors,
fields, fieldsets and buttons with Bootstrap 5's markup, as crispy-bootstrap5 prints them).

crispy's `{% crispy form %}` renders four Django templates around the fields and some thirty
`{% if %}`s and three includes per field: 12 ms for the network form's 35 fields, against under
2 ms from the compiled template. A form whose helper does more than name its buttons and lay out
field names in plain fieldsets (its own <form> tag, css classes, other layout objects: the login
form) goes to crispy as usual.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import forms, template
from django.conf import settings
from django.forms.widgets import Input
from django.template.defaultfilters import slugify
from django.utils.safestring import SafeString, mark_safe

from dashboard.ui.jinja import macros

register = template.Library()


def _plain(helper) -> bool:
    """A helper that sets nothing but its buttons (and no form tag), and at most a layout of field
    names and plain Fieldsets."""
    return (
        type(helper) is FormHelper
        and vars(helper).keys() <= {"attrs", "inputs", "form_tag", "layout"}
        and not helper.attrs
        and helper.form_tag is False
        and (helper.layout is None or _plain_layout(helper.layout))
        and settings.CRISPY_TEMPLATE_PACK == "bootstrap5"
    )


def _plain_layout(layout) -> bool:
    if type(layout) is not Layout:
        return False
    return all(
        isinstance(item, str)
        or (
            type(item) is Fieldset
            and all(isinstance(name, str) for name in item.fields)
            and not (item.css_class or item.css_id or item.flat_attrs)
            and item.template == Fieldset.template
        )
        for item in layout.fields
    )


def add_classes(widget: forms.Widget, extra: str) -> None:
    """The classes crispy gives a widget: its own class name in lower case (after
    CRISPY_CLASS_CONVERTERS), then each of `extra` it does not have yet."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (css + " " + name if name not in css else css) if css else name
    have = css.split()
    widget.attrs["class"] = " ".join([css, *[c for c in extra.split() if c not in have]])


def _styled(field: forms.BoundField) -> forms.BoundField:
    """The field with Bootstrap's class on its widget (and is-invalid when it has errors)."""
    widget = field.field.widget
    if not field.is_hidden:
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        add_classes(widget, css + (" is-invalid" if field.errors else ""))
    return field


def _items(form: forms.Form) -> list:
    """The form's fields in its layout's order (every field without one); a Fieldset as its legend
    and fields."""
    layout = form.helper.layout
    if layout is None:
        return [_styled(field) for field in form]
    return [
        _styled(form[item])
        if isinstance(item, str)
        else {"legend": item.legend, "fields": [_styled(form[name]) for name in item.fields]}
        for item in layout.fields
    ]


WIDGETS = "django/forms/widgets/"
# the widgets ui/form.html prints itself: Django's own templates for them, unchanged
_PLAIN_INPUTS = {"text", "number", "email", "url", "password", "search", "tel", "date", "checkbox", "color"}


def widget_of(field: forms.BoundField) -> dict | None:
    """The widget's context as Django gives its template (BoundField.as_widget's attributes, then
    Widget.get_context), and which of ui/form.html's kinds prints it: None for any other widget
    (radio buttons, files, widgets with their own template), which Django's renderer prints."""
    widget = field.field.widget
    name = widget.template_name.removeprefix(WIDGETS).removesuffix(".html")
    if (
        isinstance(widget, forms.Select)
        and name == "select"
        and widget.option_template_name == WIDGETS + "select_option.html"
    ):
        kind = "select"
    elif isinstance(widget, forms.Textarea) and name == "textarea":
        kind = "textarea"
    elif isinstance(widget, Input) and name in _PLAIN_INPUTS and name == getattr(widget, "input_type", ""):
        kind = "input"
    else:
        return None
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    context["kind"] = kind
    return context


def _buttons(form: forms.Form) -> list[dict]:
    return [
        {
            "type": b.input_type,
            "name": slugify(b.name) if len(str(b.name).split()) > 1 else b.name,
            "value": b.value,
            "css": b.field_classes,
            "id": getattr(b, "id", "") or f"{b.input_type}-id-{slugify(b.name)}",
        }
        for b in form.helper.inputs
    ]


@register.simple_tag(takes_context=True)
def panel_form(context, form) -> SafeString:
    """The form's fields and buttons (ui/form.html); a form with a helper that does more, by crispy."""
    helper = getattr(form, "helper", None)
    if helper is not None and _plain(helper) and isinstance(form, forms.BaseForm):
        return SafeString(macros("ui/form.html").form(form, _items(form), _buttons(form), widget_of))
    with context.push(form=form):
        return mark_safe(CrispyFormNode("form", None).render(context))  # noqa: S308 - crispy's templates escape
