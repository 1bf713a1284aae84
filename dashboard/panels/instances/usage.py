"""The Usage card of an instance's page: CPU %, memory, disk and network over a chosen range, from
the cloud's metric service (Gnocchi, dashboard.cloud.telemetry), for every member of the project.

The card's body comes with the page for the last hour: its six Gnocchi requests (one per series,
`page_calls`) are made in the page's one round of calls, beside the instance's read from Nova (its
vCPUs, its networks), and shaped after (`card_context`). Another range is the same body again
(`instance_usage`, by htmx): the instance and its six series, at once. New points arrive live: the
"metrics" poller (dashboard.live.pollers) reads the last minutes of the same series.
"""

from __future__ import annotations

import json

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dashboard.cloud import CloudError, concurrently, connection, instances, telemetry

# the charts the card draws, and the series each shows
CHARTS = (
    ("cpu", _("CPU"), ("cpu",)),
    ("memory", _("Memory used"), ("memory",)),
    ("disk", _("Disk read and write"), ("disk.read", "disk.write")),
    ("network", _("Network in and out"), ("net.in", "net.out")),
)
# a chart's legend: the word for each of its series
SERIES_WORDS = {
    "cpu": pgettext_lazy("usage chart legend", "CPU"),
    "memory": pgettext_lazy("usage chart legend", "used"),
    "disk.read": pgettext_lazy("usage chart legend", "read"),
    "disk.write": pgettext_lazy("usage chart legend", "written"),
    "net.in": pgettext_lazy("usage chart legend", "received"),
    "net.out": pgettext_lazy("usage chart legend", "sent"),
}


def chosen_range(request) -> str:
    name = request.GET.get("range", telemetry.DEFAULT_RANGE)
    return name if name in telemetry.RANGES else telemetry.DEFAULT_RANGE


def card_data(found: dict, range_name: str, has_network: bool) -> tuple[list[dict], dict]:
    """The charts as the template lists them, and their series as the page's JSON (data-usage)."""
    charts, data = [], {"range": range_name, "series": {}}
    granularities = set()
    for key, title, names in CHARTS:
        chart = {"key": key, "title": title, "error": "", "empty": True, "no_network": False}
        if key == "network" and not has_network:
            chart["no_network"] = True
        for name in names:
            measures = found[name]
            if isinstance(measures, CloudError):
                chart["error"] = measures.message
                continue
            granularities.add(measures.granularity)
            chart["empty"] = chart["empty"] and not measures.points
            data["series"][name] = {
                "chart": key,
                "label": str(SERIES_WORDS[name]),
                "unit": measures.series.unit,
                "points": measures.points,
            }
        charts.append(chart)
    data["granularity"] = max(granularities) if granularities else telemetry.RANGES[range_name].granularity
    # live points are 1 min buckets: they join the ranges drawn with those
    data["live"] = data["granularity"] <= 60
    return charts, data


def page_calls(conn, server_id: str, range_name: str = telemetry.DEFAULT_RANGE) -> dict:
    """The card's Gnocchi requests (one per series), for the page to make beside its own calls;
    none where the cloud has no metric service."""
    if not telemetry.offered(conn):
        return {}
    start, stop, _preferred = telemetry.period(range_name)
    return telemetry.series_calls(conn, server_id, list(telemetry.SERIES), start, stop)


def card_context(found: dict, inst: instances.Instance, range_name: str = telemetry.DEFAULT_RANGE) -> dict:
    """What the card's body shows, from the answers of `page_calls` (each a result or its CloudError)
    and the instance (its vCPUs, its networks)."""
    context = {"server_id": inst.id, "range": range_name, "ranges": telemetry.RANGES.values()}
    names = list(telemetry.SERIES)
    failed = [found[name] for name in names if isinstance(found[name], CloudError)]
    if len(failed) == len(names):
        # the service itself is down or refuses: said once, not under each chart
        context["unavailable"] = failed[0].message
        return context
    preferred = telemetry.RANGES[range_name].granularity
    telemetry.shape_all(found, names, preferred, inst.flavor.vcpus or 1)
    charts, data = card_data(found, range_name, bool(inst.networks))
    return {**context, "charts": charts, "data": data, "data_json": json.dumps(data)}


@require_GET
def instance_usage(request, server_id: str):
    """The Usage card's body for another range (htmx): the instance and its series at once."""
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(reverse("instances:detail", args=[server_id]))
    conn = connection(request)
    range_name = chosen_range(request)
    calls = page_calls(conn, server_id, range_name)
    if not calls:
        context = {"server_id": server_id, "range": range_name, "ranges": telemetry.RANGES.values()}
        context["unavailable"] = telemetry.unavailable_message()
        return render(request, "instances/_usage_body.html", context)
    try:
        found = concurrently(
            {"server": lambda: instances.get_instance(conn, server_id, names=False), **calls}, optional=tuple(calls)
        )
    except CloudError as err:
        if err.kind == "not_found":
            return HttpResponse(gettext("This instance no longer exists."), status=404)
        raise
    return render(request, "instances/_usage_body.html", card_context(found, found["server"], range_name))
