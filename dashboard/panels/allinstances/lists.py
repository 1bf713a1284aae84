"""Every project's instances (admins), declared once: read by its page."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import instance_actions, instances
from dashboard.ui.lists import ID, Column, Filter, Table

PROJECT = Filter("project", _("Project"), any_label=_("All projects"), pattern=ID)

ALL_INSTANCES = Table(
    name="all-instances",
    url_name="allinstances:list",
    template="allinstances/list.html",
    of=instances.Instance,
    cells="allinstances/cells.html",
    columns=(
        Column("name", _("Name")),
        Column("project_id", _("Project")),
        Column("status", _("Status")),
        Column("flavor", _("Flavor")),
        Column("networks", _("IP addresses")),
        Column("host", _("Host")),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(PROJECT, Filter("name", _("Name contains"))),
    default_sort="created",
    actions=("instances:action", "instances"),
    row=lambda request, inst: {"actions": instance_actions.offered(inst, is_admin=True), "busy": inst.task_words},
    noun=(_("instance"), _("instances")),
    empty=_("No instances in this cloud yet."),
    icon="hdd-stack",
)
