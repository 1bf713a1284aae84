"""The instances list, declared once: its page, its live rows and GET /api/v1/instances/ read it."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import instance_actions, instances, labels
from dashboard.ui.lists import Column, Filter, Table


def _row(request, inst: instances.Instance) -> dict:
    return {"actions": instance_actions.offered(inst, request.keystone.is_admin), "busy": inst.task_words}


INSTANCES = Table(
    name="instances",
    url_name="instances:list",
    template="instances/list.html",
    of=instances.Instance,
    cells="instances/cells.html",
    columns=(
        Column("name", _("Name"), sort="name"),
        Column("status", _("Status"), sort="status"),
        Column("source", _("Image")),
        Column("flavor", _("Flavor")),
        Column("networks", _("IP addresses")),
        Column("key_name", _("Key pair"), sort="key"),
        Column("availability_zone", _("Zone"), sort="zone"),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(
        Filter("name", _("Name contains")),
        Filter(
            "status", _("Status"), choices=labels.choices(labels.INSTANCE_STATUS, instances.STATUSES), clean=str.upper
        ),
    ),
    default_sort="created",
    row_id="instance",
    live="instances",
    row_url_name="instances:row",
    select="ids",
    actions=("instances:action", "instances"),
    row=_row,
    noun=(_("instance"), _("instances")),
    empty=_("No instances in this project yet."),
    icon="pc-display",
    api="instances/",
)
