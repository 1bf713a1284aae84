"""Identity administration, projects: the list (with member counts), create, edit,
enable/disable, delete, and a project's page with its members and the roles given on it.

Admin role only. Each page is one response whose Keystone calls are made at once. Changes are
POSTs; a refusal of the cloud is shown on the page with the user's input kept.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud import identity as ks
from dashboard.ui.forms import posted
from dashboard.ui.rows import list_page

from .common import back, back_to_list, fetch, identity_form, missing
from .forms import AssignmentForm, ProjectForm
from .lists import PROJECTS


def _project_domains(request, projects) -> dict[str, str]:
    """The domains' names: those the session's token names (every one on a one-domain cloud); the
    domains are listed only when a project is in another."""
    domains = ks.domains_in_token(request.keystone.token_body)
    if any(p.domain_id not in domains for p in projects):
        domains.update(fetch(request, domains=ks.list_domain_names)["domains"])
    return domains


def member_counts(assignments) -> dict[str, int]:
    """How many users and groups have a role on each project (one with two roles counts once)."""
    members = defaultdict(set)
    for a in assignments:
        members[a.project_id].add((a.actor_kind, a.actor_id))
    return {project_id: len(actors) for project_id, actors in members.items()}


@admin_required
def project_list(request):
    """A page of the projects with their member counts: the projects and every project-scoped role
    assignment of the cloud, 2 Keystone calls at once (a third after them when a project is in a
    domain the session's token does not name). Without the assignments the page shows the projects
    and says the counts could not be read."""
    shown: dict = {}

    def projects_page(params):
        data = fetch(
            request,
            optional=("assignments",),
            page=lambda conn: ks.list_projects_page(conn, params),
            assignments=ks.list_all_project_assignments,
        )
        shown["missing"] = missing(data, _("The member counts"))
        shown["counts"] = None if shown["missing"] else member_counts(data["assignments"])
        shown["domains"] = _project_domains(request, data["page"].items)
        return data["page"]

    def extra(project) -> dict:
        counts = shown["counts"]
        return {
            "domain": shown["domains"].get(project.domain_id, project.domain_id),
            "count": None if counts is None else counts.get(project.id, 0),
        }

    return list_page(
        request, PROJECTS, projects_page, context=lambda page: {"missing": shown["missing"]}, row_extra=extra
    )


@admin_required
def project_create(request):
    conn = connection(request)

    def perform(d):
        project = ks.create_project(conn, d["name"], d["description"], enabled=d["enabled"])
        return _("Project %(name)s created.") % {"name": project.name}, project

    return identity_form(
        request,
        ProjectForm(posted(request)),
        perform,
        title=_("Create project"),
        section="projects",
        success_url=lambda project: reverse("identity:project_detail", args=[project.id]),
    )


@admin_required
def project_detail(request, project_id: str):
    """The project, its members (role assignments) and the form giving a role (every user, group
    and role to choose from): 5 Keystone calls at once. The members are read by id and named from
    the form's users, groups and roles (Keystone would name each assignment one lookup at a time);
    one those lists do not hold shows its id. Without the project the page is the cloud's error;
    without the members or the choices it shows the rest and says what could not be read."""
    data = fetch(
        request,
        optional=("assignments", "users", "groups", "roles"),
        project=lambda conn: ks.get_project(conn, project_id),
        assignments=lambda conn: ks.list_project_assignment_ids(conn, project_id),
        users=ks.list_users,
        groups=ks.list_groups,
        roles=ks.list_roles,
    )
    choices = {name: data[name] for name in ("users", "groups", "roles")}
    listed = {name: None if isinstance(found, CloudError) else found for name, found in choices.items()}
    assignments = data["assignments"]
    if not isinstance(assignments, CloudError):
        assignments = ks.named_assignments(assignments, **listed)
    context = {
        "project": data["project"],
        "assignments": assignments,
        "members_missing": missing({"assignments": data["assignments"]}, _("The members")),
        "choices_missing": missing(choices, _("The users, groups and roles to choose from")),
    }
    if context["choices_missing"] is None:
        context["form"] = AssignmentForm(**choices)
    return render(request, "identity/project_detail.html", context)


@admin_required
def project_edit(request, project_id: str):
    conn = connection(request)
    project = ks.get_project(conn, project_id)
    initial = {"name": project.name, "description": project.description}

    def perform(d):
        ks.update_project(conn, project_id, name=d["name"], description=d["description"])
        return _("Project %(name)s saved.") % {"name": d["name"]}

    return identity_form(
        request,
        ProjectForm(posted(request), initial=initial, editing=True),
        perform,
        title=_("Edit project %(name)s") % {"name": project.name},
        section="projects",
        success_url=reverse("identity:project_detail", args=[project_id]),
    )


@admin_required
@require_POST
def project_enabled(request, project_id: str):
    enable = request.POST.get("enabled") == "1"
    if not enable and project_id == request.keystone.project_id:
        messages.error(request, _("You are working in this project: switch to another project before disabling it."))
        return back_to_list(request, "project_list")
    project = ks.update_project(connection(request), project_id, is_enabled=enable)
    messages.success(
        request,
        (_("Project %(name)s enabled.") if enable else _("Project %(name)s disabled.")) % {"name": project.name},
    )
    return back_to_list(request, "project_list")


@admin_required
@require_POST
def project_delete(request, project_id: str):
    if project_id == request.keystone.project_id:
        messages.error(request, _("You are working in this project: switch to another project before deleting it."))
        return back_to_list(request, "project_list")
    name = request.POST.get("name") or project_id
    ks.delete_project(connection(request), project_id)
    messages.success(request, _("Project %(name)s deleted.") % {"name": name})
    return back_to_list(request, "project_list")


@admin_required
@require_POST
def assignment_add(request, project_id: str):
    conn = connection(request)
    data = concurrently(
        {
            "users": lambda: ks.list_users(conn),
            "groups": lambda: ks.list_groups(conn),
            "roles": lambda: ks.list_roles(conn),
        }
    )
    form = AssignmentForm(request.POST, **data)
    if not form.is_valid():
        messages.error(request, _("Choose a user or group and a role."))
        return back("project_detail", project_id)
    user_id, group_id = form.actor_ids()
    role_id = form.cleaned_data["role"]
    ks.assign_role(conn, project_id, role_id, user_id, group_id)
    role = next(r.name for r in data["roles"] if r.id == role_id)
    actor = next(x.name for x in (data["users"] if user_id else data["groups"]) if x.id in (user_id, group_id))
    messages.success(
        request, _("%(actor)s now has the role %(role)s in this project.") % {"actor": actor, "role": role}
    )
    return back("project_detail", project_id)


@admin_required
@require_POST
def assignment_remove(request, project_id: str):
    role_id = request.POST.get("role_id", "")
    user_id = request.POST.get("user_id", "")
    group_id = request.POST.get("group_id", "")
    if not role_id or not (user_id or group_id):
        messages.error(request, _("Nothing to remove: the form lacked the role or the user/group."))
        return back("project_detail", project_id)
    ks.unassign_role(connection(request), project_id, role_id, user_id, group_id)
    label = request.POST.get("label") or _("The role assignment")
    messages.success(request, _("%(label)s removed.") % {"label": label})
    return back("project_detail", project_id)
