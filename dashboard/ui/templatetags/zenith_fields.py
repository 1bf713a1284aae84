"""A form's bootstrap5 markup printed from Python: crispy-forms' `bootstrap5/field.html` for the
fields every form is made of (text, number, password, textarea, select, checkbox), in a vertical
form; and `{% panel_form form %}`, crispy's `{% crispy form %}` for a form whose helper only sets
its buttons (every PanelForm without a layout).

crispy-bootstrap5's field template evaluates some thirty `{% if %}`s and three includes per field:
about a third of a millisecond a field, 12 ms for the network form's 36 fields. This tag prints the
same elements and attributes (tests/unit/test_fast_fields.py compares the two for every form of
every panel) and hands every other case (hidden fields, radio buttons and checkbox lists, files,
horizontal or inline layouts, fields in table cells, inline help text) to crispy's own template.
`dashboard/templates/bootstrap5/field.html`, found before crispy-bootstrap5's, calls it.

`{% crispy form %}` then still renders four templates around the fields (the whole form, its errors,
its buttons, one include per field): 2-3 ms of a 6 ms form page here. `panel_form` prints the same
(without the second CSRF input crispy adds inside a form that has its own) and hands any helper that
sets more than its buttons to crispy.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import crispy_bootstrap5
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import forms, template
from django.conf import settings
from django.template.defaultfilters import slugify
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from dashboard.ui.templatetags.zenith_kit import esc

register = template.Library()

_HANDED_ON = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput, forms.MultiWidget)


@cache
def crispy_field_template():
    """crispy-bootstrap5's own field template (ours shadows its name)."""
    source = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5" / "field.html"
    return template.engines["django"].engine.from_string(source.read_text())


def _fast(context, field) -> bool:
    widget = field.field.widget
    return not (
        field.is_hidden
        or isinstance(widget, _HANDED_ON)
        or getattr(widget, "use_fieldset", False)
        or context.get("tag")
        or "form-horizontal" in (context.get("form_class") or "")
        or context.get("label_class")
        or context.get("field_class")
        or context.get("help_text_inline")
        or not context.get("error_text_inline")
        or not context.get("form_show_labels")
    )


def add_classes(widget: forms.Widget, extra: str) -> None:
    """The classes crispy's `{% crispy_field %}` gives a widget: its own class name in lower case
    (after CRISPY_CLASS_CONVERTERS), then each of `extra` it does not have yet."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (css + " " + name if name not in css else css) if css else name
    have = css.split()
    widget.attrs["class"] = " ".join([css, *[c for c in extra.split() if c not in have]])


def _join(parts) -> SafeString:
    """The parts one space apart (as crispy's templates come out): safe ones as they are."""
    return SafeString(" ".join(map(esc, parts)))


# Markup is put together with f-strings and the kit's `esc` (Django's conditional_escape without its
# lazy-text wrapper) rather than format_html: a form of 35 fields made some 11,000 such calls.


def _label(field, css: str) -> SafeString:
    required = field.field.required
    ident = field.id_for_label
    target = ' for="' + esc(ident) + '"' if ident else ""
    mark, star = (" requiredField", _STAR) if required else ("", "")
    return SafeString(f'<label{target} class="{esc(css)}{mark}">{esc(field.label)}{star}</label>')


_STAR = '<span class="asteriskField">*</span>'


def _help_and_errors(context, field) -> list[SafeString]:
    parts = []
    if context.get("form_show_errors") and field.errors:
        field_id = getattr(field.errors, "field_id", None) or field.auto_id
        auto_id = esc(field.auto_id)
        spans = " ".join(
            f'<span id="error_{n}_{auto_id}"><strong>{esc(error)}</strong></span>'
            for n, error in enumerate(field.errors, 1)
        )
        parts.append(SafeString(f'<div id="{esc(field_id)}_error" class="invalid-feedback">{spans}</div>'))
    if field.help_text:
        # crispy prints help text unescaped (|safe): forms' help texts are the code's own strings
        ident = f'id="{esc(field.auto_id)}_helptext" ' if field.auto_id else ""
        parts.append(SafeString(f'<div {ident}class="form-text">{field.help_text}</div>'))
    return parts


@register.simple_tag(takes_context=True)
def bootstrap_field(context) -> SafeString:
    return field_html(context, context.get("field"))


def field_html(context, field) -> SafeString:
    """One field as crispy's field template prints it; `context` holds crispy's helper settings."""
    if field is None or not isinstance(field, forms.BoundField) or not _fast(context, field):
        if not isinstance(context, template.Context):
            context = template.Context({**context, "field": field})
        return crispy_field_template().render(context)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    extra_css = "".join(f" {c}" for c in (context.get("wrapper_class"), field.css_classes()) if c)
    if isinstance(widget, forms.CheckboxInput):
        add_classes(widget, "form-check-input" + invalid)
        inner = [str(field), _label(field, "form-check-label"), *_help_and_errors(context, field)]
        return SafeString(
            f'<div class="mb-3"> <div id="div_{esc(field.auto_id)}" class="form-check{esc(extra_css)}">'
            f" {_join(inner)} </div> </div>"
        )
    add_classes(widget, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid)
    inner = [_label(field, "form-label")] if field.label else []
    inner += [str(field), *_help_and_errors(context, field)]
    return SafeString(f'<div id="div_{esc(field.auto_id)}" class="mb-3{esc(extra_css)}"> {_join(inner)} </div>')


# --- the whole form -------------------------------------------------------------------------------

# what a plain helper (FormHelper(), form_tag False, buttons added) gives crispy's templates
_PLAIN = {
    "form_show_errors": True,
    "form_show_labels": True,
    "error_text_inline": True,
    "help_text_inline": False,
    "label_class": "",
    "field_class": "",
    "form_class": "",
}


def _plain(helper) -> bool:
    """A helper that sets nothing but its buttons (and no form tag), and at most a plain layout:
    crispy's defaults otherwise."""
    return (
        type(helper) is FormHelper
        and vars(helper).keys() <= {"attrs", "inputs", "form_tag", "layout"}
        and not helper.attrs
        and helper.form_tag is False
        and (helper.layout is None or _plain_layout(helper.layout))
        and settings.CRISPY_TEMPLATE_PACK == "bootstrap5"
    )


def _plain_layout(layout) -> bool:
    """A Layout of field names and Fieldsets of field names, with nothing else set (legends that
    crispy would read as templates excluded)."""
    if type(layout) is not Layout:
        return False
    for item in layout.fields:
        if isinstance(item, str):
            continue
        if not (
            type(item) is Fieldset
            and all(isinstance(name, str) for name in item.fields)
            and not (item.css_class or item.css_id or item.flat_attrs)
            and item.template == Fieldset.template
            and not any(mark in str(item.legend) for mark in ("{", "%"))
        ):
            return False
    return True


def _fieldset(form, fieldset) -> SafeString:
    """crispy-bootstrap5's layout/fieldset.html (its legend printed as it is, as crispy's |safe)."""
    legend = f"<legend>{fieldset.legend}</legend>" if fieldset.legend else ""
    fields = "".join(field_html(_PLAIN, form[name]) for name in fieldset.fields)
    return SafeString(f"<fieldset \n    \n    >\n    {legend}\n    {fields} \n</fieldset>")


def _laid_out(form) -> list[SafeString]:
    """The form's fields in its layout's order (every field without one)."""
    layout = form.helper.layout
    if layout is None:
        return [field_html(_PLAIN, field) for field in form]
    return [
        field_html(_PLAIN, form[item]) if isinstance(item, str) else _fieldset(form, item) for item in layout.fields
    ]


def _button(button) -> SafeString:
    """crispy-bootstrap5's layout/baseinput.html."""
    name = slugify(button.name) if len(str(button.name).split()) > 1 else button.name
    if button.input_type == "hidden":
        return format_html('<input type="hidden" name="{}" value="{}" {} />', name, button.value, button.flat_attrs)
    ident = getattr(button, "id", "") or f"{button.input_type}-id-{slugify(button.name)}"
    return format_html(
        '<input type="{}" name="{}" value="{}" class="{}" id="{}" {} />',
        button.input_type,
        name,
        button.value,
        button.field_classes,
        ident,
        button.flat_attrs,
    )


def form_html(form: forms.Form) -> SafeString:
    """A form with a plain helper as `{% crispy form %}` prints it: its media, the errors that are
    on no field, its fields, its buttons."""
    media = str(form.media)
    parts = [mark_safe(media)] if media else []  # noqa: S308 - Django prints the media's tags
    errors = form.non_field_errors()
    if errors:
        items = format_html_join("\n", "<li>{}</li>", ((e,) for e in errors))
        parts.append(
            format_html('<div class="alert alert-block alert-danger"> <ul class="m-0"> {} </ul> </div>', items)
        )
    parts += _laid_out(form)
    buttons = form.helper.inputs
    if buttons:
        parts.append(format_html('<div class="mb-3"> <div class=""> {} </div> </div>', _join(map(_button, buttons))))
    return _join(parts)


@register.simple_tag(takes_context=True)
def panel_form(context, form) -> SafeString:
    """`{% crispy form %}` for a form whose helper sets only its buttons; any other to crispy."""
    helper = getattr(form, "helper", None)
    if helper is not None and _plain(helper) and isinstance(form, forms.BaseForm):
        return form_html(form)
    with context.push(form=form):
        return mark_safe(CrispyFormNode("form", None).render(context))  # noqa: S308 - crispy's templates escape
