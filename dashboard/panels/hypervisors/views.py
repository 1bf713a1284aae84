"""Hypervisors with Placement's figures, compute services (enable/disable), aggregates and zones."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud import hypervisors as cloud_hv

SERVICE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
MAX_REASON = 255


@admin_required
def hypervisor_overview(request):
    """Hypervisors (Nova + Placement), compute services, aggregates and zones: 6 calls at once."""
    conn = connection(request)
    data = concurrently(
        {
            "hosts": lambda: cloud_hv.hosts(conn),
            "services": lambda: cloud_hv.services(conn),
            "aggregates": lambda: cloud_hv.aggregates(conn),
            "zones": lambda: cloud_hv.availability_zones(conn),
        },
        optional=("aggregates", _("zones")),
    )
    hosts = data["hosts"]
    problems = [e for e in data.values() if isinstance(e, CloudError)]
    if hosts.placement_error:
        problems.append(hosts.placement_error)
    services = sorted(data["services"], key=lambda s: (s.get("host", ""), s.get("binary", "")))
    for s in services:
        s["updated"] = parse_datetime(s.get("updated_at") or "")  # Nova's UTC time, for the date filter
    return render(
        request,
        "hypervisors/overview.html",
        {
            "hypervisors": hosts.hypervisors,
            "totals": hosts.totals,
            "total_instances": hosts.total_instances,
            "services": services,
            "aggregates": None if isinstance(data["aggregates"], CloudError) else data["aggregates"],
            "zones": None if isinstance(data["zones"], CloudError) else data["zones"],
            "problems": problems,
        },
    )


def _services_url() -> str:
    return reverse("hypervisors:index") + "#services"


def _service_change(request, service_id: str, enabled: bool):
    if not SERVICE_ID.match(service_id):
        messages.error(request, _("That is not a compute service id."))
        return HttpResponseRedirect(_services_url())
    reason = (request.POST.get("reason") or "").strip()
    if not enabled and len(reason) > MAX_REASON:
        messages.error(
            request, _("The reason is too long (at most %(MAX_REASON)s characters).") % {"MAX_REASON": MAX_REASON}
        )
        return HttpResponseRedirect(_services_url())
    try:
        service = cloud_hv.set_service_enabled(connection(request), service_id, enabled, reason)
    except CloudError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_services_url())
    label = _("%(service)s on %(host)s") % {
        "service": service.get("binary", "service"),
        "host": service.get("host", "?"),
    }
    if enabled:
        messages.success(request, _("Enabled %(label)s.") % {"label": label})
    else:
        messages.success(request, _("Disabled %(label)s") % {"label": label} + (f": {reason}" if reason else "."))
    return HttpResponseRedirect(_services_url())


@admin_required
@require_POST
def disable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=False)


@admin_required
@require_POST
def enable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=True)
