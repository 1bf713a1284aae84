"""The volumes panel's lists, declared once: volumes, snapshots and backups. Each page, its live rows
and its GET endpoint of the JSON API (/api/v1/volumes/, snapshots/, backups/) read them."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import backups, labels, snapshots, volume_actions, volumes
from dashboard.ui.lists import Column, Filter, Table

BOOTABLE = (("true", _("Bootable")), ("false", _("Not bootable")))


def _volume_row(request, vol: volumes.Volume) -> dict:
    return {"actions": volume_actions.offered(vol), "busy": vol.busy}


VOLUMES = Table(
    name="volumes",
    url_name="volumes:list",
    template="volumes/list.html",
    of=volumes.Volume,
    cells="volumes/cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("size", _("Size"), sort="size"),
        Column("status", _("Status"), sort="status"),
        Column("volume_type", _("Type")),
        Column("bootable", _("Bootable")),
        Column("encrypted", _("Encrypted")),
        Column("attachments", _("Attached to")),
        Column("availability_zone", _("Zone")),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(
        Filter("name", _("Name")),
        Filter(
            "status",
            _("Status"),
            choices=labels.choices(labels.VOLUME_STATUS, volumes.STATUSES),
            clean=str.lower,
        ),
        Filter("bootable", _("Bootable"), choices=BOOTABLE),
    ),
    default_sort="created",
    row_id="volume",
    live="volumes",
    row_url_name="volumes:row",
    select="ids",
    actions=("volumes:action", "volumes"),
    row=_volume_row,
    noun=(_("volume"), _("volumes")),
    empty=_("No volumes in this project yet."),
    icon="hdd-stack",
    api="volumes/",
)

SNAPSHOTS = Table(
    name="snapshots",
    url_name="volumes:snapshots:list",
    template="volumes/snapshots.html",
    of=snapshots.Snapshot,
    cells="volumes/snapshot_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("size", _("Size"), sort="size"),
        Column("status", _("Status"), sort="status"),
        Column("volume_id", _("Volume")),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(Filter("name", _("Name")),),
    default_sort="created",
    row_id="snapshot",
    live="snapshots",
    row_url_name="volumes:snapshots:row",
    actions=("volumes:snapshots:action", "volumes:snapshots"),
    row=lambda request, snap: {"actions": snapshots.offered(snap)},
    noun=(_("snapshot"), _("snapshots")),
    empty=_("No volume snapshots in this project yet."),
    icon="camera",
    api="snapshots/",
)

BACKUPS = Table(
    name="backups",
    url_name="volumes:backups:list",
    template="volumes/backups.html",
    of=backups.Backup,
    cells="volumes/backup_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("size", _("Size"), sort="size"),
        Column("status", _("Status"), sort="status"),
        Column("incremental", _("Kind")),
        Column("volume_id", _("Volume")),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(Filter("name", _("Name")),),
    default_sort="created",
    row_id="backup",
    live="backups",
    row_url_name="volumes:backups:row",
    actions=("volumes:backups:action", "volumes:backups"),
    row=lambda request, backup: {"actions": backups.offered(backup)},
    noun=(_("backup"), _("backups")),
    empty=_("No volume backups in this project yet."),
    icon="cloud-arrow-up",
    api="backups/",
)
