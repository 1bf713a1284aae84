"""Every project's instances for administrators, with the project's name and the same actions as
the project's own list (the table of what an instance's state allows is shared:
`dashboard.cloud.instances`). The actions post to the instances panel's URLs, which act on any
instance with an admin token; a row links to the instance's page for the rest.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection, identity, instances
from dashboard.ui.lists import list_context, page_or_first

from .lists import ALL_INSTANCES, PROJECT


def _with_project_choices(projects: list):
    """The list whose project filter is a choice of names (once Keystone has answered)."""
    if not projects:
        return ALL_INSTANCES
    choices = tuple((p.id, p.name) for p in sorted(projects, key=lambda p: p.name.lower()))
    return replace(ALL_INSTANCES, filters=(replace(PROJECT, choices=choices), *ALL_INSTANCES.filters[1:]))


@admin_required
@require_GET
def all_instances(request):
    """One Nova page of every project's instances and the projects' names (Keystone), at once."""
    params = ALL_INSTANCES.params(request)
    conn = connection(request)

    def fetch():
        return concurrently(
            {
                "page": lambda: instances.list_all_instances(conn, params),
                "projects": lambda: identity.list_projects(conn),
            },
            optional=("projects",),
        )

    found = page_or_first(request, ALL_INSTANCES, params, fetch)
    if isinstance(found, HttpResponse):
        return found
    projects_error = found["projects"] if isinstance(found["projects"], CloudError) else None
    projects = [] if projects_error else found["projects"]
    names = {p.id: p.name for p in projects}
    context = list_context(
        request,
        _with_project_choices(projects),
        params,
        found["page"],
        row_extra=lambda inst: {"project_name": names.get(inst.project_id, inst.project_id)},
    )
    context["projects_error"] = projects_error
    return render(request, ALL_INSTANCES.template, context)
