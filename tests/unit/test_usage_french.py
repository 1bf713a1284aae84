"""The usage pages in French: the period's start is a date ("Début"), not the action ("Démarrer"),
and the chart's axis title comes translated from the template with the page's language for numbers."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template.loader import render_to_string
from django.utils import translation

from dashboard.cloud.instance_actions import ACTIONS
from dashboard.panels.usage.forms import DateRangeForm
from dashboard.panels.usage.lists import PERIOD


def test_the_start_date_is_debut_and_the_start_action_stays_demarrer():
    with translation.override("fr"):
        html = render_to_string("usage/_range_form.html", {"form": DateRangeForm({})})
        start_filter = str(next(f for f in PERIOD if f.name == "start").label)
        start_action = str(ACTIONS["start"].label)
    assert '<label class="form-label small mb-0" for="id_start">Début</label>' in html
    assert "Démarrer" not in html
    assert start_filter == "Début"
    assert start_action == "Démarrer"


def test_the_chart_axis_is_translated_and_carries_the_language():
    context = {"chart": {"labels": [], "datasets": []}, "start": datetime(2027, 3, 1, tzinfo=UTC)}
    context["end"] = datetime(2027, 3, 7, tzinfo=UTC)
    with translation.override("fr"):
        html = render_to_string("usage/_chart.html", context)
    assert 'data-axis="Heures de vCPU"' in html
    assert 'data-locale="fr"' in html
    with translation.override("en"):
        assert 'data-axis="vCPU hours"' in render_to_string("usage/_chart.html", context)
