"""The hypervisors panel's lists, declared once: the hypervisors with Placement's figures (their
page and GET /api/v1/admin/hypervisors/ read it) and Nova's compute services (their page, where
nova-compute services are switched off and on). Nova gives both whole; their pages are cut in
Zenith (dashboard.cloud.hypervisors.page_of_hypervisors, list_services_page)."""

from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import hypervisors, labels
from dashboard.ui.lists import Column, Filter, Table

STATES = labels.choices(labels.SERVICE_STATE)
STATUSES = labels.choices(labels.SERVICE_STATUS)
FILTERS = (
    Filter("host", _("Host contains")),
    Filter("state", _("State"), choices=STATES),
    Filter("status", _("Status"), choices=STATUSES),
)


def _figure(name: str, label: str) -> Column:
    """A resource's use: right-aligned, the fullest hosts first."""
    return Column(name, label, sort=name, css="text-end")


HYPERVISORS = Table(
    name="hypervisors",
    url_name="hypervisors:index",
    template="hypervisors/overview.html",
    of=hypervisors.Hypervisor,
    cells="hypervisors/hypervisor_cells.html",
    columns=(
        Column("hostname", _("Host"), sort="host", first_direction="asc"),
        Column("hypervisor_type", _("Type")),
        Column("host_ip", _("IP address")),
        Column("state", _("State")),
        Column("status", _("Status")),
        _figure("vcpus", _("vCPUs used / capacity")),
        _figure("ram", _("RAM used / capacity")),
        _figure("disk", _("Disk used / capacity")),
        _figure("instances", _("Instances")),
    ),
    filters=FILTERS,
    default_sort="host",
    default_direction="asc",
    noun=(_("hypervisor"), _("hypervisors")),
    empty=_("No hypervisors in this cloud yet."),
    icon="cpu",
    api="admin/hypervisors/",
)


def _service_row(request, service: hypervisors.ComputeService) -> dict:
    # a disable form per row, with its reason: the row's own form, so it carries the CSRF token
    return {"csrf_token": get_token(request)}


SERVICES = Table(
    name="services",
    url_name="hypervisors:services",
    template="hypervisors/services.html",
    of=hypervisors.ComputeService,
    cells="hypervisors/service_cells.html",
    columns=(
        Column("binary", _("Service"), sort="binary", first_direction="asc"),
        Column("host", _("Host"), sort="host", first_direction="asc"),
        Column("zone", _("Zone")),
        Column("state", _("State")),
        Column("status", _("Status")),
        Column("disabled_reason", _("Reason")),
        Column("updated_at", _("Updated")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=FILTERS,
    default_sort="host",
    default_direction="asc",
    row=_service_row,
    noun=(_("compute service"), _("compute services")),
    empty=_("No compute services in this cloud yet."),
    icon="hdd-rack",
)
