"""Hypervisors with Placement's figures, aggregates and zones; compute services (enable/disable)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud import hypervisors as cloud_hv
from dashboard.ui.actions import next_url
from dashboard.ui.lists import list_context, page_or_first
from dashboard.ui.rows import list_page

from .lists import HYPERVISORS, SERVICES

SERVICE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
MAX_REASON = 255


@admin_required
def hypervisor_overview(request):
    """A page of the hypervisors (Nova + Placement: 3 calls, then one per host Placement's summary
    leaves out), with the cloud's totals, aggregates and zones: all at once."""
    conn = connection(request)
    params = HYPERVISORS.params(request)
    data = concurrently(
        {
            "hosts": lambda: cloud_hv.get_hosts(conn),
            "aggregates": lambda: cloud_hv.list_aggregates(conn),
            "zones": lambda: cloud_hv.list_availability_zones(conn),
        },
        optional=("aggregates", "zones"),
    )
    hosts = data["hosts"]
    page = page_or_first(request, HYPERVISORS, params, lambda: cloud_hv.page_of_hypervisors(hosts.hypervisors, params))
    if isinstance(page, HttpResponse):
        return page
    problems = [e for e in data.values() if isinstance(e, CloudError)]
    if hosts.placement_error:
        problems.append(hosts.placement_error)
    context = list_context(request, HYPERVISORS, params, page)
    context["list"].footer = {
        "totals": hosts.totals,
        "instances": hosts.total_instances,
        "shown": len(hosts.hypervisors) > 1,
    }
    context.update(
        aggregates=None if isinstance(data["aggregates"], CloudError) else data["aggregates"],
        zones=None if isinstance(data["zones"], CloudError) else data["zones"],
        problems=problems,
    )
    return render(request, HYPERVISORS.template, context)


@admin_required
def service_list(request):
    """A page of Nova's services: 1 call."""
    conn = connection(request)
    return list_page(request, SERVICES, lambda params: cloud_hv.list_services_page(conn, params))


def _service_change(request, service_id: str, enabled: bool):
    back = HttpResponseRedirect(next_url(request, reverse("hypervisors:services")))
    if not SERVICE_ID.match(service_id):
        messages.error(request, _("That is not a compute service id."))
        return back
    reason = (request.POST.get("reason") or "").strip()
    if not enabled and len(reason) > MAX_REASON:
        messages.error(
            request, _("The reason is too long (at most %(MAX_REASON)s characters).") % {"MAX_REASON": MAX_REASON}
        )
        return back
    try:
        service = cloud_hv.set_service_enabled(connection(request), service_id, enabled, reason)
    except CloudError as exc:
        messages.error(request, exc.message)
        return back
    words = {"service": service.binary or service_id, "host": service.host or "?", "reason": reason}
    if enabled:
        messages.success(request, _("Enabled %(service)s on %(host)s.") % words)
    elif reason:
        messages.success(request, _("Disabled %(service)s on %(host)s: %(reason)s") % words)
    else:
        messages.success(request, _("Disabled %(service)s on %(host)s.") % words)
    return back


@admin_required
@require_POST
def disable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=False)


@admin_required
@require_POST
def enable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=True)
