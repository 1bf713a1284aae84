"""`<input type="date">` and `type="datetime-local"` take ISO values only: a date field of any form
renders its value as 2027-03-07 (not 07/03/2027) whatever the language, or the browser shows it empty."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.utils import translation

from dashboard.accounts.forms import ApiKeyForm
from dashboard.panels.usage.forms import DateRangeForm
from tests.unit.test_panel_forms import _form_classes

ISO = {"date": ("2027-03-07", date(2027, 3, 7)), "datetime-local": ("2027-03-07T09:05", datetime(2027, 3, 7, 9, 5))}


def _value(html: str) -> str:
    match = re.search(r'value="([^"]*)"', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_api_key_expiry_is_iso_in_every_language(language):
    with translation.override(language):
        html = str(ApiKeyForm(initial={"name": "backup", "expires": date(2027, 3, 7)})["expires"])
    assert 'type="date"' in html
    assert _value(html) == "2027-03-07"


def test_usage_range_dates_are_iso_in_french():
    with translation.override("fr"):
        form = DateRangeForm(initial={"start": date(2027, 3, 7), "end": date(2027, 3, 31)})
        assert _value(str(form["start"])) == "2027-03-07"
        assert _value(str(form["end"])) == "2027-03-31"


def test_every_date_input_of_the_project_renders_iso_in_french():
    seen = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            kind = getattr(field.widget, "input_type", None)
            if kind not in ISO:
                continue
            expected, value = ISO[kind]
            with translation.override("fr"):
                html = field.widget.render(name, value)
            assert _value(html) == expected, f"{cls.__name__}.{name}: {html}"
            seen.append(f"{cls.__name__}.{name}")
    assert "ApiKeyForm.expires" in seen and "DateRangeForm.start" in seen
