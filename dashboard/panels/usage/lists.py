"""The usage reports, declared once: every project's usage (admins) and a project's own, by instance.
A report is read whole and sorted here; the date range travels in its links like a filter. The
pages and their CSV read these; the JSON API's usage endpoints take a date range, not a list query."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dashboard.ui.lists import Column, Filter, Table

PERIOD = (Filter("preset", _("Period")), Filter("start", pgettext_lazy("date", "Start")), Filter("end", _("End")))


def _figure(name: str, label: str) -> Column:
    """A figure: right-aligned, sorted largest first."""
    return Column(name, label, sort=name, css="text-wrap text-end")


USAGE_FIGURES = (
    _figure("instance_hours", _("Instance hours")),
    _figure("vcpu_hours", _("vCPU hours")),
    _figure("ram_gb_hours", _("RAM GiB-hours")),
    _figure("disk_gb_hours", _("Disk GiB-hours")),
)
COUNT_FIGURES = (
    _figure("instances", _("Instances")),
    _figure("volumes", _("Volumes")),
    _figure("gigabytes", _("Volume GiB")),
    _figure("floating_ips", _("Floating IPs")),
)

ADMIN_REPORT = Table(
    name="usage",
    url_name="usage:admin_overview",
    template="usage/admin_overview.html",
    cells="usage/admin_cells.html",
    columns=(
        Column("project_name", _("Project"), sort="project_name", css="text-wrap", first_direction="asc"),
        *USAGE_FIGURES,
        *COUNT_FIGURES,
    ),
    filters=PERIOD,
    default_sort="vcpu_hours",
    paged=False,
)

PROJECT_REPORT = Table(
    name="usage",
    url_name="usage:project_usage",
    template="usage/project_usage.html",
    cells="usage/project_cells.html",
    columns=(
        Column("name", _("Instance"), sort="name", css="text-wrap", first_direction="asc"),
        _figure("flavor", _("Flavor")),
        _figure("vcpus", _("vCPUs")),
        _figure("memory_mb", _("RAM (MiB)")),
        _figure("local_gb", _("Disk (GiB)")),
        _figure("state", _("State")),
        _figure("hours", _("Hours")),
        *USAGE_FIGURES[1:],
    ),
    filters=PERIOD,
    default_sort="vcpu_hours",
    paged=False,
)
