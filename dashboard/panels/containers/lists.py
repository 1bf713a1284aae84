"""The containers panel's lists, declared once: the project's containers and a folder's objects.
Each page, its live rows and its GET endpoint of the JSON API read them."""

import re

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import containers, objects
from dashboard.ui.lists import Column, Filter, Table

# a marker is a name Swift listed: any character but controls, at most an object name's length
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,1024}$")

CONTAINERS = Table(
    name="containers",
    url_name="containers:list",
    template="containers/list.html",
    of=containers.Container,
    cells="containers/container_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("count", _("Objects"), css="text-end"),
        Column("bytes", _("Size"), css="text-end"),
        Column("last_modified", _("Last modified")),
        Column("open", _("Actions"), css="text-end"),
    ),
    filters=(Filter("prefix", _("Name starts with"), max_length=256, strip=False),),
    default_sort="name",
    default_direction="asc",
    marker=NAME,
    live="containers",
    row_url_name="containers:row",
    live_insert=False,
    noun=(_("container"), _("containers")),
    empty=_("No containers in this project yet."),
    icon="archive",
    api="containers/",
)

OBJECTS = Table(
    name="objects",
    url_name="containers:objects",
    template="containers/objects.html",
    of=objects.Entry,
    cells="containers/object_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("bytes", _("Size"), css="text-end"),
        Column("content_type", _("Type")),
        Column("last_modified", _("Last modified")),
        Column("open", _("Actions"), css="text-end"),
    ),
    filters=(Filter("prefix", _("Name starts with"), max_length=1024, strip=False),),
    default_sort="name",
    default_direction="asc",
    page_sizes=(20, 50, 100, 500),
    default_limit=50,
    marker=NAME,
    select="names",
    noun=(_("object"), _("objects")),
    empty=_("This container holds no objects yet."),
    icon="folder2-open",
    api="containers/{container}/objects/",
)
