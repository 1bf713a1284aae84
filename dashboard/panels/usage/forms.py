"""The date range of a usage report: a preset or custom start/end dates (UTC, end inclusive)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.cloud.usage import MAX_REPORT_DAYS as MAX_DAYS

PRESETS = [
    ("today", _("Today")),
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("custom", _("Custom")),
]


def preset_dates(preset: str, today: date) -> tuple[date, date]:
    if preset == "today":
        return today, today
    if preset == "last_month":
        last_day = today.replace(day=1) - timedelta(days=1)
        return last_day.replace(day=1), last_day
    return today.replace(day=1), today


class DateRangeForm(forms.Form):
    preset = forms.ChoiceField(choices=PRESETS, required=False, initial="this_month")
    start = forms.DateField(required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.now().astimezone(UTC).date()
        preset = data.get("preset") or ("custom" if data.get("start") or data.get("end") else "this_month")
        if preset != "custom":
            data["start"], data["end"] = preset_dates(preset, today)
        else:
            if not data.get("start"):
                self.add_error("start", _("Choose a start date."))
            if not data.get("end"):
                data["end"] = today
            if data.get("start") and data["start"] > data["end"]:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif data.get("start") and (data["end"] - data["start"]).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most %(MAX_DAYS)s days.") % {"MAX_DAYS": MAX_DAYS})
            if data.get("start") and data["start"] > today:
                self.add_error("start", _("The start date is in the future: there is no usage yet."))
        data["preset"] = preset
        return data

    def period(self) -> tuple[datetime, datetime]:
        """[start, end) as UTC datetimes: start of the first day to the end of the last day, or now."""
        start = datetime.combine(self.cleaned_data["start"], time.min, tzinfo=UTC)
        end = datetime.combine(self.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=UTC)
        return start, min(end, timezone.now())

    def ends_now(self) -> bool:
        """Whether the period runs until now (its last day is today or later): its end is now."""
        return self.cleaned_data["end"] >= timezone.now().astimezone(UTC).date()


def default_range_form(params) -> DateRangeForm:
    """The form bound to the query string; no parameters means this month."""
    data = params if any(k in params for k in ("preset", "start", "end")) else {"preset": "this_month"}
    return DateRangeForm(data)
