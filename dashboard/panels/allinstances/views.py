"""Every project's instances for administrators, with the project's name and the same actions as
the project's own list (the table of what an instance's state allows is shared:
`dashboard.cloud.instances`). The actions post to the instances panel's URLs, which act on any
instance with an admin token; a row links to the instance's page for the rest.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection, identity, instances
from dashboard.ui.lists import ID, Column, Filter, ListSpec, list_context, page_or_first

LIST = ListSpec(
    url_name="allinstances:list",
    sorts=("created",),
    default_sort="created",
    filters=(
        Filter("project", _("Project"), any_label=_("All projects"), pattern=ID),
        Filter("name", _("Name contains")),
    ),
)
COLUMNS = [
    Column(_("Name")),
    Column(_("Project")),
    Column(_("Status")),
    Column(_("Flavor")),
    Column(_("IP addresses")),
    Column(_("Host")),
    Column(_("Created")),
    Column(_("Actions"), css="text-end"),
]


def _with_project_choices(projects: list) -> ListSpec:
    """The list's spec whose project filter is a choice of names (once Keystone has answered)."""
    if not projects:
        return LIST
    choices = tuple((p.id, p.name) for p in sorted(projects, key=lambda p: p.name.lower()))
    project = Filter("project", _("Project"), any_label=_("All projects"), choices=choices, pattern=ID)
    return ListSpec(LIST.url_name, LIST.sorts, LIST.default_sort, filters=(project, *LIST.filters[1:]))


@admin_required
@require_GET
def all_instances(request):
    params = LIST.params(request)
    conn = connection(request)

    def fetch():
        return concurrently(
            {
                "page": lambda: instances.all_projects_page(conn, params),
                "projects": lambda: identity.list_projects(conn),
            },
            optional=("projects",),
        )

    found = page_or_first(request, LIST, params, fetch)
    if isinstance(found, HttpResponse):
        return found
    projects_error = found["projects"] if isinstance(found["projects"], CloudError) else None
    projects = [] if projects_error else found["projects"]
    names = {p.id: p.name for p in projects}
    page = found["page"]
    spec = _with_project_choices(projects)
    here = request.get_full_path()
    context = list_context(request, spec, params, page, COLUMNS)
    context.update(
        rows=[
            {
                "server": inst,
                "project_name": names.get(inst.project_id, inst.project_id),
                "actions": instances.offered(inst, is_admin=True),
            }
            for inst in page.items
        ],
        here=here,
        projects_error=projects_error,
    )
    return render(request, "allinstances/list.html", context)
