"""What every page of the network panel shares: the project, the quota check, the not-found page."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.cloud import CloudError, quotas
from dashboard.ui.rows import found_or_none


def project_id(request) -> str:
    return request.keystone.project_id


def not_found(request, kind: str, back_url: str, back_label: str):
    """The 404 page of a resource of `kind` (a key of NOT_FOUND) that is gone or not the project's."""
    title, text = NOT_FOUND[kind]
    context = {
        "title": title,
        "text": text % {"project": request.keystone.project_name},
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "network/not_found.html", context, status=404)


# whole sentences per kind: a noun put into a shared sentence does not survive French grammar
NOT_FOUND = {
    "network": (
        gettext_lazy("No such network"),
        gettext_lazy(
            "There is no such network in project %(project)s. It may have been deleted, or it belongs to another "
            "project."
        ),
    ),
    "port": (
        gettext_lazy("No such port"),
        gettext_lazy(
            "There is no such port in project %(project)s. It may have been deleted, or it belongs to another project."
        ),
    ),
    "router": (
        gettext_lazy("No such router"),
        gettext_lazy(
            "There is no such router in project %(project)s. It may have been deleted, or it belongs to another "
            "project."
        ),
    ),
    "floating_ip": (
        gettext_lazy("No such floating IP"),
        gettext_lazy(
            "There is no such floating IP in project %(project)s. It may have been deleted, or it belongs to "
            "another project."
        ),
    ),
    "security_group": (
        gettext_lazy("No such security group"),
        gettext_lazy(
            "There is no such security group in project %(project)s. It may have been deleted, or it belongs to "
            "another project."
        ),
    ),
}


def quota_items(conn, pid: str, resources: tuple[str, ...]) -> list[quotas.QuotaItem]:
    """The project's Neutron quotas for these resources (one call), for a form's side panel."""
    return [q for q in quotas.get_network_quotas(conn, pid) if q.resource in resources]


def refuse_over_quota(conn, pid: str, wanted: dict[str, int]) -> None:
    """Raise a quota CloudError before Neutron is asked when `wanted` ({resource: n}) does not fit."""
    for item in quota_items(conn, pid, tuple(wanted)):
        if item.limit != quotas.UNLIMITED and item.in_use + item.reserved + wanted[item.resource] > item.limit:
            raise CloudError(
                "quota",
                _(
                    "Quota exceeded: %(label)s: %(used)s of %(limit)s used, %(wanted)s more asked for. "
                    "Free some or ask your administrator for a larger quota."
                )
                % {"label": item.label, "used": item.in_use, "limit": item.limit, "wanted": wanted[item.resource]},
            )


def owned(obj, pid: str) -> bool:
    """A user sees their current project's resources only (an admin token reads every project's)."""
    return not getattr(obj, "project_id", "") or obj.project_id == pid


def owned_or_none(request, read):
    """What `read()` returns when it is the current project's; None when it is gone or another's."""
    obj = found_or_none(read)
    return obj if obj is not None and owned(obj, project_id(request)) else None
