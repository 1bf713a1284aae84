"""A form field's bootstrap5 markup printed from Python: crispy-forms' `bootstrap5/field.html` for
the fields every form is made of (text, number, password, textarea, select, checkbox), in a
vertical form.

crispy-bootstrap5's field template evaluates some thirty `{% if %}`s and three includes per field:
about a third of a millisecond a field, 12 ms for the network form's 36 fields. This tag prints the
same elements and attributes (tests/unit/test_fast_fields.py compares the two for every form of
every panel) and hands every other case (hidden fields, radio buttons and checkbox lists, files,
horizontal or inline layouts, fields in table cells, inline help text) to crispy's own template.
`dashboard/templates/bootstrap5/field.html`, found before crispy-bootstrap5's, calls it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import crispy_bootstrap5
from django import forms, template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _label(field, css: str) -> SafeString:
    required = field.field.required
    return format_html(
        '<label{} class="{}{}">{}{}</label>',
        format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
        css,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )


def _help_and_errors(context, field) -> list[SafeString]:
    parts = []
    if context.get("form_show_errors") and field.errors:
        field_id = getattr(field.errors, "field_id", None) or field.auto_id
        spans = (
            format_html('<span id="error_{}_{}"><strong>{}</strong></span>', n, field.auto_id, error)
            for n, error in enumerate(field.errors, 1)
        )
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field_id, _join(spans)))
    if field.help_text:
        # crispy prints help text unescaped (|safe): forms' help texts are the code's own strings
        ident = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
        parts.append(format_html('<div {}class="form-text">{}</div>', ident, mark_safe(field.help_text)))  # noqa: S308
    return parts


@register.simple_tag(takes_context=True)
def bootstrap_field(context) -> SafeString:
    field = context.get("field")
    if field is None or not isinstance(field, forms.BoundField) or not _fast(context, field):
        return crispy_field_template().render(context)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    extra_css = "".join(f" {c}" for c in (context.get("wrapper_class"), field.css_classes()) if c)
    if isinstance(widget, forms.CheckboxInput):
        add_classes(widget, "form-check-input" + invalid)
        inner = [str(field), _label(field, "form-check-label"), *_help_and_errors(context, field)]
        return format_html(
            '<div class="mb-3"> <div id="div_{}" class="form-check{}"> {} </div> </div>',
            field.auto_id,
            extra_css,
            _join(inner),
        )
    add_classes(widget, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid)
    inner = [_label(field, "form-label")] if field.label else []
    inner += [str(field), *_help_and_errors(context, field)]
    return format_html('<div id="div_{}" class="mb-3{}"> {} </div>', field.auto_id, extra_css, _join(inner))
