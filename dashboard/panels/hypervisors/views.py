"""Hypervisors with Placement's figures, compute services (enable/disable), aggregates and zones."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, call, concurrently, connection
from dashboard.cloud import hypervisors as cloud_hv

SERVICE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
MAX_REASON = 255


@admin_required
def hypervisor_overview(request):
    conn = connection(request)
    data = concurrently(
        {
            "hypervisors": lambda: cloud_hv.hypervisor_list(conn),
            "services": lambda: cloud_hv.services(conn),
            "aggregates": lambda: cloud_hv.aggregates(conn),
            "zones": lambda: cloud_hv.availability_zones(conn),
            "providers": lambda: cloud_hv.resource_providers(conn),
            "summaries": lambda: cloud_hv.capacity_summaries(conn),
        },
        services=dict(hypervisors="compute", services="compute", aggregates="compute", zones="compute")
        | dict(providers="placement", summaries="placement"),
        optional=("aggregates", "zones", "providers", "summaries"),
    )
    problems = [e for e in data.values() if isinstance(e, CloudError)]
    placement: dict | CloudError
    if isinstance(data["providers"], CloudError) or isinstance(data["summaries"], CloudError):
        placement = data["providers"] if isinstance(data["providers"], CloudError) else data["summaries"]
    else:
        try:
            placement = cloud_hv.placement_resources(conn, data["providers"], data["summaries"])
        except CloudError as exc:
            placement = exc
            problems.append(exc)
    hypervisors = cloud_hv.hypervisors_from(data["hypervisors"], placement)
    totals = {
        rc: cloud_hv.Resource(
            used=sum(h.resources[rc].used for h in hypervisors),
            capacity=sum(h.resources[rc].capacity for h in hypervisors),
        )
        for rc in cloud_hv.RESOURCE_CLASSES
    }
    services = sorted(data["services"], key=lambda s: (s.get("host", ""), s.get("binary", "")))
    for s in services:
        s["updated"] = parse_datetime(s.get("updated_at") or "")  # Nova's UTC time, for the date filter
    return render(
        request,
        "hypervisors/overview.html",
        {
            "hypervisors": hypervisors,
            "totals": totals,
            "total_instances": sum(h.instances for h in hypervisors),
            "services": services,
            "aggregates": None if isinstance(data["aggregates"], CloudError) else data["aggregates"],
            "zones": None if isinstance(data["zones"], CloudError) else data["zones"],
            "problems": problems,
        },
    )


def _service_change(request, service_id: str, enabled: bool):
    if not SERVICE_ID.match(service_id):
        messages.error(request, "That is not a compute service id.")
        return HttpResponseRedirect("/admin/hypervisors/#services")
    reason = (request.POST.get("reason") or "").strip()
    if not enabled and len(reason) > MAX_REASON:
        messages.error(request, f"The reason is too long (at most {MAX_REASON} characters).")
        return HttpResponseRedirect("/admin/hypervisors/#services")
    conn = connection(request)
    try:
        service = call(
            lambda: cloud_hv.set_service_enabled(conn, service_id, enabled, reason),
            service="compute",
            what="The compute service",
        )
    except CloudError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect("/admin/hypervisors/#services")
    label = f"{service.get('binary', 'service')} on {service.get('host', '?')}"
    if enabled:
        messages.success(request, f"Enabled {label}.")
    else:
        messages.success(request, f"Disabled {label}" + (f": {reason}" if reason else "."))
    return HttpResponseRedirect("/admin/hypervisors/#services")


@admin_required
@require_POST
def disable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=False)


@admin_required
@require_POST
def enable_service(request, service_id: str):
    return _service_change(request, service_id, enabled=True)
