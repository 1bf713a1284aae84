from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dashboard.cloud import connection
from dashboard.cloud.instances import STATUS_WORDS
from dashboard.cloud.overview import compute_gauges, first_look, project_overview
from dashboard.live.pollers import last_overview

OPTIONAL_WAIT = 3  # seconds


def _page(request, template: str, data: dict):
    # Nova's status names stay in the data (the poller's, in Redis); the page shows them in words
    counts = [(status, STATUS_WORDS.get(status, status), n) for status, n in (data.get("counts") or {}).items()]
    return render(request, template, {"overview": data, "status_counts": counts})


def _current(request) -> dict:
    # a slow Cinder or Neutron does not hold the page: their gauges follow over the websocket
    return project_overview(connection(request), request.keystone.project_id, optional_wait=OPTIONAL_WAIT)


def overview(request):
    """Quota gauges and instance counts by status; live.js keeps them current ("overview" kind).

    The page costs Nova's limits alone (one call); the figures of the other services and the
    counts follow at once in the live partial (htmx on load), unless the project's poller already
    holds them all.
    """
    data = last_overview(request.keystone.project_id) or first_look(compute_gauges(connection(request)))
    return _page(request, "overview/overview.html", data)


@never_cache
@require_GET
def overview_part(request):
    """The gauges and counts alone, for live updates: the figures the project's poller last sent
    (kept in Redis per project, so only ever the user's current project), else asked now."""
    data = last_overview(request.keystone.project_id) or _current(request)
    return _page(request, "overview/_overview.html", data)
