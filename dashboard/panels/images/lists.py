"""The images list, declared once: its page, its live rows and GET /api/v1/images/ read it."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import images, labels
from dashboard.ui.lists import Column, Filter, Table

VISIBILITIES = (
    ("mine", _("Mine")),
    ("shared", _("Shared with me")),
    ("public", _("Public")),
    ("community", _("Community")),
    ("private", _("Private")),
)


def _row(request, image: images.ImageDetail) -> dict:
    user = request.keystone
    return {
        "mine": image.owner_id == user.project_id,
        "actions": images.offered(image, user.project_id, user.is_admin),
    }


IMAGES = Table(
    name="images",
    url_name="images:list",
    template="images/list.html",
    of=images.ImageDetail,
    cells="images/cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("status", _("Status"), sort="status"),
        Column("visibility", _("Visibility")),
        Column("disk_format", _("Format")),
        Column("size", _("Size"), sort="size"),
        Column("min_disk", _("Min disk / RAM")),
        Column("owner_id", _("Owner")),
        Column("created_at", _("Age"), sort="created", inverted=True),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(
        Filter("name", _("Name is")),
        Filter("status", _("Status"), choices=labels.choices(labels.IMAGE_STATUS, images.STATUSES)),
        Filter("visibility", _("Visibility"), choices=VISIBILITIES),
        Filter("format", _("Format"), choices=labels.choices(labels.DISK_FORMAT, images.DISK_FORMATS)),
    ),
    default_sort="created",
    row_id="image",
    live="images",
    row_url_name="images:row",
    actions=("images:action", "images"),
    row=_row,
    noun=(_("image"), _("images")),
    empty=_("No images available to this project yet."),
    icon="hdd-stack",
    api="images/",
)
