from django.shortcuts import render

from dashboard.cloud import connection
from dashboard.cloud.overview import project_overview

OPTIONAL_WAIT = 3  # seconds


def overview(request):
    """Quota gauges and instance counts by status; live.js keeps them current ("overview" kind)."""
    # a slow Cinder or Neutron does not hold the page: their gauges follow over the websocket
    data = project_overview(connection(request), request.keystone.project_id, optional_wait=OPTIONAL_WAIT)
    return render(request, "overview/overview.html", {"overview": data})
