"""Form pages: one helper for every page whose form asks the cloud to do something.

`form_page` shows the form (GET), validates it and runs the cloud call (POST), and either goes on
(a success message, then a redirect) or shows the cloud's refusal in words on the same form, with
everything the user typed kept. A view stays a few lines: build the form, say what to do with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dashboard import oplog
from dashboard.cloud import CloudError, failures

from .validators import refuse_over_long, refuse_over_long_in


class PanelForm(forms.Form):
    """A crispy form whose <form> tag the page draws; `submit_label` names its button."""

    submit_label = _("Save")
    form_id = "action-form"
    # fields shown only for some values of another: {field: (the choosing field, (values, ...))};
    # ui/form.html prints them hidden unless chosen, zenith.js follows the choice (data-shown-by)
    shown_when: dict[str, tuple[str, tuple[str, ...]]] = {}

    def __init__(self, *args, submit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit_label or self.submit_label))

    # over-long text refused with a message, not cut by the browser: the fields a subclass adds
    # after __init__ too, so at cleaning and as each field is printed
    def full_clean(self):
        refuse_over_long(self)
        super().full_clean()

    def __getitem__(self, name):
        if name in self.fields:
            refuse_over_long_in(self.fields[name])
        return super().__getitem__(name)

    def shown_by(self, name: str) -> dict | None:
        """For a field of `shown_when`: the field it follows, the values that show it, and whether
        the value chosen now (typed or initial) hides it; None for a field always shown."""
        when = self.shown_when.get(name)
        if when is None:
            return None
        by, values = when
        chosen = self[by].value()
        return {"by": by, "shown_for": " ".join(values), "hidden": str(chosen or "") not in values}


class FillingSelect(forms.Select):
    """A select whose choices fill other fields of the form, visibly (a security group rule's
    presets: SSH puts TCP and 22 in the protocol and port fields). `fills` is {choice: {field name:
    value}}; each option carries its values (data-fill, JSON) and zenith.js copies them into the
    fields on a choice, and puts the select back on its empty choice when one of them is edited."""

    def __init__(self, *args, fills: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fills = fills or {}
        self.attrs["data-fills"] = " ".join(sorted({name for values in self.fills.values() for name in values}))

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.fills:  # the empty choice fills nothing: the fields keep what they show
            option["attrs"]["data-fill"] = json.dumps(self.fills[str(value)])
        return option


def posted(request):
    """The POST data (even empty, so it is validated), or None for a GET."""
    return request.POST if request.method == "POST" else None


def form_page(
    request,
    form: forms.Form,
    perform: Callable[[dict], Any],
    *,
    success_url: str | Callable[[Any], str],
    context: dict | None = None,
    template: str = "ui/form_page.html",
    field_for: Callable[[CloudError], str | None] | None = None,
):
    """GET: the form. POST: validate, `perform(cleaned_data)`, then redirect or show the refusal.

    `perform` returns the success message (or a (message, result) pair: the result goes to a
    callable `success_url`, e.g. to open a created object's page). A CloudError it raises lands
    on the form: on the field `field_for(err)` names, else above the fields; the status is 400 so
    scripts and tests see the refusal, and the typed values stay in the form.
    """
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                outcome = perform(form.cleaned_data)
            except CloudError as err:
                failures.note(err)  # the operation log's (a refusal of Zenith's own passes no cloud call)
                field = field_for(err) if field_for else None
                where = field if field in form.fields else None
                form.add_error(where, err.message)
                if err.said:  # the service's own text, below the sentence saying what to do (smaller)
                    form.add_error(where, forms.ValidationError(err.said, code="cloud_said"))
            else:
                message, result = outcome if isinstance(outcome, tuple) else (outcome, None)
                if isinstance(result, str):
                    oplog.note(request, created_id=result)  # a created object's id, for the operation log
                if message:
                    messages.success(request, message)
                url = success_url(result) if callable(success_url) else success_url
                return HttpResponseRedirect(url)
    return render(request, template, {"form": form, **(context or {})}, status=status)


def conflict_on(field: str) -> Callable[[CloudError], str | None]:
    """`field_for` that puts a conflict (a name already taken) on the given field."""
    return lambda err: field if err.kind == "conflict" else None


def pending_choices(current: tuple[str, str] | None = None, empty: str = "—") -> list[tuple[str, str]]:
    """The choices a select shows until its part brings the real ones (see choices_part): the empty
    choice, and the current value (`(id, label)`) so that a form sent before then keeps it."""
    return [("", empty)] + ([current] if current and current[0] else [])


def choices_part(form: forms.Form, names: tuple[str, ...]) -> SafeString:
    """A form page's selects whose choices cost cloud calls the page does not wait for (the page shows
    them with `pending_choices` and loads this part, htmx, with `choices_url` in its context): each
    select printed with its full choices and the form's initial value selected, to replace the page's
    out of band by id. The markup is the one crispy-forms (bootstrap5) gives a select."""
    selects = []
    for name in names:
        field = form[name]
        attrs = {"class": "select form-select", "hx-swap-oob": "true"}
        if field.help_text:
            attrs["aria-describedby"] = f"{field.auto_id}_helptext"
        selects.append(field.as_widget(attrs=attrs))
    return mark_safe("\n".join(selects))  # noqa: S308 - Django's widgets escape what they print
