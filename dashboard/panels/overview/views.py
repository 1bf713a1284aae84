from django.shortcuts import render

from dashboard.cloud import connection
from dashboard.live.pollers import project_overview


def overview(request):
    """Quota gauges and instance counts by status; live.js keeps them current ("overview" kind)."""
    data = project_overview(connection(request), request.keystone.project_id)
    return render(request, "overview/overview.html", {"overview": data})
