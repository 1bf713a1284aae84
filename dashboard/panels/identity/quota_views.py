"""Identity administration, a project's quotas: one form for every service's limits (Nova's,
Cinder's and Neutron's), read and written to each service at once.

Admin role only. A service that cannot be read leaves its section saying so, the others usable; a
refusal of a service is shown beside the limit it refused, the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud import identity as ks
from dashboard.cloud import quotas as q
from dashboard.ui.forms import posted

from .common import back
from .forms import QuotaForm


def _read_quotas(request, project_id: str):
    """The project and the services' quotas, 1 call each, at once; a service that fails is reported,
    not fatal."""
    conn = connection(request)
    services = tuple(q.QUOTA_READERS)
    calls = {"project": lambda: ks.get_project(conn, project_id)}
    for service in services:
        calls[service] = lambda reader=q.QUOTA_READERS[service]: reader(conn, project_id)
    data = concurrently(calls, optional=services)
    items, missing = [], {}
    for service in services:
        if isinstance(data[service], CloudError):
            missing[service] = data[service].message
        else:
            items.extend(data[service])
    return data["project"], items, missing


def _quota_sections(form, missing: dict) -> list[dict]:
    """Every service's section of the form: its rows, or why it could not be read."""
    return [
        {
            "service": service,
            "title": q.SERVICE_TITLES[service],
            "rows": form.rows(service),
            "missing": missing.get(service, ""),
        }
        for service in q.QUOTA_READERS
    ]


def _save(request, project, form) -> tuple[bool, list[str]]:
    """Write the form's changed limits, every service at once, each failure on its own (beside the
    limit the service refused); (whether every service took its limits, the services that did)."""
    changes = form.changes()
    conn = connection(request)
    results = concurrently(
        {
            service: (lambda w=q.QUOTA_WRITERS[service], lim=limits: w(conn, project.id, lim))
            for service, limits in changes.items()
        },
        services={service: service for service in changes},
        optional=tuple(changes),
    )
    saved: list[str] = []
    refused = False
    for service, limits in changes.items():
        err = results[service]
        if isinstance(err, CloudError):
            refused = True
            # the service's own words (Nova: "Quota limit 0 for instances must be ..."), unless it is down
            reason = err.message if err.kind == "unavailable" or not err.detail else err.detail
            resource = q.field_of_refusal(reason, list(limits))
            field = f"{service}-{resource}" if resource else None
            form.add_error(
                field, _("%(service)s refused: %(reason)s") % {"service": q.SERVICE_TITLES[service], "reason": reason}
            )
        else:
            saved.append(str(q.SERVICE_TITLES[service]))
    if not refused:
        if changes:
            messages.success(
                request, _("Quotas of %(name)s saved (%(saved)s).") % {"name": project.name, "saved": ", ".join(saved)}
            )
        else:
            messages.info(request, _("No limit changed."))
    return not refused, saved


@admin_required
def project_quotas(request, project_id: str):
    """The project and every service's quotas: 4 calls at once (Keystone, Nova, Cinder, Neutron),
    read again by a POST (the limits it changes are compared with the current ones)."""
    project, items, missing = _read_quotas(request, project_id)
    form = QuotaForm(posted(request), items=items)
    status = 200
    saved: list[str] = []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done, saved = _save(request, project, form)
            if done:
                return back("project_quotas", project_id)
    context = {"project": project, "form": form, "sections": _quota_sections(form, missing), "saved": saved}
    return render(request, "identity/quotas.html", context, status=status)
