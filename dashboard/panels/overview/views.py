from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dashboard.cloud import connection, labels
from dashboard.cloud.overview import get_project_overview
from dashboard.live.pollers import last_overview
from dashboard.ui.humanize import size

OPTIONAL_WAIT = 3  # seconds


# a gauge's unit as the data says it (Nova's RAM in MiB, Cinder's storage in GiB; "MB" and "GB" in
# figures a poller kept from before) -> the size unit its figures are printed in
SIZE_UNITS = {"MB": "MiB", "GB": "GiB", "MiB": "MiB", "GiB": "GiB"}


def _amount(value, unit: str) -> str:
    """A gauge's figure as the page prints it: a size in binary units ("4 GiB"), or the count."""
    return size(value, unit=SIZE_UNITS[unit]) if unit in SIZE_UNITS else str(value)


def _page(request, template: str, data: dict):
    # Nova's status names stay in the data (the poller's, in Redis); the page shows them in words
    counts = [
        (status, labels.words(labels.INSTANCE_STATUS, status), n) for status, n in (data.get("counts") or {}).items()
    ]
    gauges = [
        {**g, "used_text": _amount(g["used"], g.get("unit", "")), "limit_text": _amount(g["limit"], g.get("unit", ""))}
        for g in data.get("gauges") or ()
    ]
    return render(request, template, {"overview": {**data, "gauges": gauges}, "status_counts": counts})


def _overview(request) -> dict:
    """The figures the project's poller last sent (kept in Redis per project, so only ever the
    user's current project), else asked now: 5 calls at once (dashboard.cloud.overview). A slow
    Cinder or Neutron does not hold the page longer than OPTIONAL_WAIT: their gauges follow over
    the websocket."""
    project_id = request.keystone.project_id
    return last_overview(project_id) or get_project_overview(
        connection(request), project_id, optional_wait=OPTIONAL_WAIT
    )


def overview(request):
    """Quota gauges and instance counts by status, whole in one response (no part to wait for
    after it); live.js keeps them current ("overview" kind)."""
    return _page(request, "overview/overview.html", _overview(request))


@never_cache
@require_GET
def overview_part(request):
    """The gauges and counts alone, for live updates."""
    return _page(request, "overview/_overview.html", _overview(request))
