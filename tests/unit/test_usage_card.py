"""The instance page's Usage card: which card a cloud and a user get (Gnocchi's charts for everyone,
Nova's diagnostics for administrators where the cloud has no metric service, else what it lacks),
and the charts and JSON its body is drawn from."""

from __future__ import annotations

import json
import re
from html import unescape
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from dashboard.cloud import CloudError, telemetry
from dashboard.panels.instances.usage import card_data

SERVER = SimpleNamespace(id="4d0c8c7e-1111-4222-8333-944445555666")


def card(metric_service: bool, is_admin: bool, language: str = "en") -> str:
    request = RequestFactory().get("/")
    with translation.override(language):
        return render_to_string(
            "instances/_usage.html",
            {
                "server": SERVER,
                "metric_service": metric_service,
                "zenith_user": SimpleNamespace(is_admin=is_admin),
                "usage": {"server_id": SERVER.id, "range": "hour", "ranges": telemetry.RANGES.values()},
            },
            request=request,
        )


def test_with_a_metric_service_every_member_gets_the_charts_card():
    for is_admin in (False, True):
        html = card(True, is_admin)
        assert 'data-live="metrics"' in html and f'data-id="{SERVER.id}"' in html
        assert f"/project/instances/{SERVER.id}/usage/" in html
        assert 'data-live="diagnostics"' not in html and "usage-unavailable" not in html


def test_without_one_admins_keep_novas_diagnostics_and_members_are_told_what_is_missing():
    admin = card(False, True)
    assert 'data-live="diagnostics"' in admin and 'data-live="metrics"' not in admin
    member = card(False, False)
    assert 'data-live="diagnostics"' not in member and 'data-live="metrics"' not in member
    assert "This cloud offers no metric service (Gnocchi)" in member
    french = card(False, False, "fr")
    assert "Ce cloud n’offre pas de service de métriques (Gnocchi)" in french


def measures(name: str, points: list, granularity: int = 60):
    return telemetry.Measures(telemetry.SERIES[name], granularity, points)


def test_card_data_groups_series_by_chart_and_says_what_is_missing():
    found = {name: measures(name, []) for name in telemetry.SERIES}
    found["cpu"] = measures("cpu", [["2026-12-07T18:01:00Z", 10.0]])
    found["disk.write"] = CloudError("unavailable", "Gnocchi is down.")
    charts, data = card_data(found, "hour", has_network=False)
    by_key = {c["key"]: c for c in charts}
    assert [c["key"] for c in charts] == ["cpu", "memory", "disk", "network"]
    assert by_key["cpu"]["empty"] is False and by_key["memory"]["empty"] is True
    assert by_key["disk"]["error"] == "Gnocchi is down."
    assert by_key["network"]["no_network"] is True
    assert data["series"]["cpu"] == {
        "chart": "cpu",
        "label": "CPU",
        "unit": "%",
        "points": [["2026-12-07T18:01:00Z", 10.0]],
    }
    assert "disk.write" not in data["series"] and data["series"]["disk.read"]["chart"] == "disk"
    assert (data["granularity"], data["live"]) == (60, True)
    json.dumps(data)  # what json_script writes


def test_week_and_month_are_not_fed_live():
    found = {name: measures(name, [], 3600) for name in telemetry.SERIES}
    _, data = card_data(found, "week", has_network=True)
    assert (data["granularity"], data["live"]) == (3600, False)


def test_the_body_lists_the_ranges_and_marks_the_chosen_one_in_french():
    found = {name: measures(name, []) for name in telemetry.SERIES}
    with translation.override("fr"):
        charts, data = card_data(found, "day", has_network=False)
        html = render_to_string(
            "instances/_usage_body.html",
            {
                "server_id": SERVER.id,
                "range": "day",
                "ranges": telemetry.RANGES.values(),
                "charts": charts,
                "data": data,
                "data_json": json.dumps(data),
            },
        )
    assert 'aria-pressed="true" data-range="day"' in html
    for words in ("Dernière heure", "Dernier jour", "Dernière semaine", "Cette instance n’a aucune interface réseau."):
        assert words in html
    assert 'data-chart="network"' not in html and 'data-chart="cpu"' in html
    # the series ride in an attribute, escaped, and read back whole
    attribute = re.search(r'data-usage="([^"]*)"', html).group(1)
    assert json.loads(unescape(attribute)) == data
