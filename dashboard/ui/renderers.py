"""Django's form renderer, with the widgets every form is made of printed from Python.

Each input, select, option and textarea otherwise renders two or three of Django's widget templates
(an include for its attributes, one per option): about 0.35 ms a field here, most of a form page's
own time once the fields' bootstrap markup is printed from Python too (templatetags/zenith_fields).
This renderer prints the same bytes as those templates for input widgets, selects with plain
options and textareas (tests/unit/test_fast_fields.py compares the two) and hands every other
template to Django's (settings.FORM_RENDERER).
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeData, mark_safe

# Django's conditional_escape without its lazy-text wrapper (a form of 35 fields escapes ~10,000 values)
from dashboard.ui.templatetags.zenith_kit import esc

WIDGETS = "django/forms/widgets/"
# the input widgets whose template is only {% include "django/forms/widgets/input.html" %}
INPUTS = frozenset(
    WIDGETS + name + ".html"
    for name in ("text", "number", "email", "url", "password", "hidden", "checkbox", "search", "tel", "color")
)
SELECT, OPTION, TEXTAREA = WIDGETS + "select.html", WIDGETS + "select_option.html", WIDGETS + "textarea.html"


def _s(value) -> str:
    """{{ value|stringformat:'s' }} under autoescape: safe text stays as it is."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True prints the bare name, False nothing."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str | None:
    out = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{esc(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{esc(option["label"])}</option>\n'
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = esc(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class FastWidgets(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        html = None
        if widget is not None:
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name == SELECT:
                html = _select(widget)
            elif template_name == TEXTAREA:
                html = _textarea(widget)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308 - every value above is escaped as Django's templates do
