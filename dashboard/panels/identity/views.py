"""Identity administration: projects (with members and quotas), users, groups, roles.

Admin role only. Each page makes a fixed set of Keystone/Nova/Cinder/Neutron calls, concurrently.
Changes are POSTs; a refusal of the cloud is shown on the page with the user's input kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.accounts.state import SESSION_KEY
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud import identity as ks
from dashboard.cloud import quotas as q
from dashboard.ui.forms import choices_part, conflict_on, form_page, posted
from dashboard.ui.name_parts import part_of

from .forms import (
    AssignmentForm,
    GroupForm,
    GroupMemberForm,
    PasswordForm,
    ProjectForm,
    QuotaForm,
    UserCreateForm,
    UserEditForm,
)


def _fetch(request, **calls):
    """A page's Keystone calls at once: name=fn(conn)."""
    conn = connection(request)
    return concurrently({name: (lambda fn=fn: fn(conn)) for name, fn in calls.items()})


def _fetch_part(request, what: str, **calls):
    """A part's Keystone calls at once: (data, None), or (None, a notice saying `what` could not be
    read and why) when one fails; the page's placeholders then stay, with the notice below them."""
    conn = connection(request)
    data = concurrently({name: (lambda fn=fn: fn(conn)) for name, fn in calls.items()}, optional=tuple(calls))
    failed = next((v for v in data.values() if isinstance(v, CloudError)), None)
    if failed is None:
        return data, None
    return None, render(request, "ui/_part_failed.html", {"what": what, "error": failed})


def _back(name: str, *args) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"identity:{name}", args=args))


SECTIONS = {"projects": _("Projects"), "users": _("Users"), "groups": _("Groups")}


def _form(
    request, form, perform, *, title: str, section: str, success_url, name_taken: bool = True, choices_url: str = ""
):
    """An identity form page: the kit's form_page with the section's breadcrumbs.

    section is "projects", "users" or "groups"; a name Keystone says is taken lands on the name field.
    """
    list_url = reverse(f"identity:{section[:-1]}_list")
    return form_page(
        request,
        form,
        perform,
        success_url=success_url,
        field_for=conflict_on("name") if name_taken else None,
        context={
            "title": title,
            "crumbs": [(_("Identity"), ""), (SECTIONS[section], list_url)],
            "cancel_url": list_url,
            "choices_url": choices_url,
        },
    )


# --- projects -------------------------------------------------------------------------------------


def _project_domains(request, projects) -> dict[str, str]:
    """The domains' names: those the session's token names (every one on a one-domain cloud); the
    domains are listed only when a project is in another."""
    domains = ks.domains_in_token(request.session.get(SESSION_KEY, {}).get("token_body"))
    if any(p.domain_id not in domains for p in projects):
        domains.update(_fetch(request, domains=ks.domain_names)["domains"])
    return domains


@admin_required
def project_list(request):
    """The projects: one Keystone call; their member counts follow in project_members."""
    projects = _fetch(request, projects=ks.list_projects)["projects"]
    domains = _project_domains(request, projects)
    rows = [(p, domains.get(p.domain_id, p.domain_id)) for p in projects]
    return render(request, "identity/project_list.html", {"rows": rows})


@admin_required
@part_of("identity:project_list")
def project_members(request):
    """The projects list's member counts (htmx, after the page): every project-scoped role assignment
    of the cloud and the projects, 2 Keystone calls at once; each count swapped into its row."""
    data, failed = _fetch_part(
        request, _("The member counts"), projects=ks.list_projects, assignments=ks.all_project_assignments
    )
    if failed:
        return failed
    members = defaultdict(set)
    for a in data["assignments"]:
        members[a.project_id].add((a.actor_kind, a.actor_id))
    counts = [(p.id, len(members[p.id])) for p in data["projects"]]
    return render(request, "identity/_project_members.html", {"counts": counts})


@admin_required
def project_create(request):
    conn = connection(request)

    def perform(d):
        project = ks.create_project(conn, d["name"], d["description"], enabled=d["enabled"])
        return _("Project %(name)s created.") % {"name": project.name}, project

    return _form(
        request,
        ProjectForm(posted(request)),
        perform,
        title=_("Create project"),
        section="projects",
        success_url=lambda project: reverse("identity:project_detail", args=[project.id]),
    )


@admin_required
def project_detail(request, project_id: str):
    """The project: 1 Keystone call; its members (project_assignments) and the form giving a role
    (every user, group and role to choose from: project_assign_form) follow the page."""
    project = ks.get_project(connection(request), project_id)
    return render(request, "identity/project_detail.html", {"project": project})


@admin_required
def project_assignments(request, project_id: str):
    """The project page's members (htmx, after the page): the project and its role assignments with
    names, 2 Keystone calls at once (Keystone names each assignment: this grows with the members)."""
    if not request.headers.get("HX-Request"):
        return _back("project_detail", project_id)
    data, failed = _fetch_part(
        request,
        _("The members"),
        project=lambda conn: ks.get_project(conn, project_id),
        assignments=lambda conn: ks.project_assignments(conn, project_id),
    )
    if failed:
        return failed
    return render(request, "identity/_project_assignments.html", data)


@admin_required
def project_assign_form(request, project_id: str):
    """The project page's form giving a role (htmx, after the page): the users, groups and roles to
    choose from, 3 Keystone calls at once."""
    if not request.headers.get("HX-Request"):
        return _back("project_detail", project_id)
    data = _fetch(request, users=ks.list_users, groups=ks.list_groups, roles=ks.list_roles)
    form = AssignmentForm(users=data["users"], groups=data["groups"], roles=data["roles"])
    return render(request, "identity/_assignment_form.html", {"form": form, "project_id": project_id})


@admin_required
def project_edit(request, project_id: str):
    conn = connection(request)
    project = ks.get_project(conn, project_id)
    initial = {"name": project.name, "description": project.description}

    def perform(d):
        ks.update_project(conn, project_id, name=d["name"], description=d["description"])
        return _("Project %(name)s saved.") % {"name": d["name"]}

    return _form(
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
        return _back("project_list")
    project = ks.update_project(connection(request), project_id, is_enabled=enable)
    messages.success(
        request,
        (_("Project %(name)s enabled.") if enable else _("Project %(name)s disabled.")) % {"name": project.name},
    )
    return _back("project_list")


@admin_required
@require_POST
def project_delete(request, project_id: str):
    if project_id == request.keystone.project_id:
        messages.error(request, _("You are working in this project: switch to another project before deleting it."))
        return _back("project_list")
    name = request.POST.get("name") or project_id
    ks.delete_project(connection(request), project_id)
    messages.success(request, _("Project %(name)s deleted.") % {"name": name})
    return _back("project_list")


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
        return _back("project_detail", project_id)
    user_id, group_id = form.actor_ids()
    role_id = form.cleaned_data["role"]
    ks.assign_role(conn, project_id, role_id, user_id, group_id)
    role = next(r.name for r in data["roles"] if r.id == role_id)
    actor = next(x.name for x in (data["users"] if user_id else data["groups"]) if x.id in (user_id, group_id))
    messages.success(
        request, _("%(actor)s now has the role %(role)s in this project.") % {"actor": actor, "role": role}
    )
    return _back("project_detail", project_id)


@admin_required
@require_POST
def assignment_remove(request, project_id: str):
    role_id = request.POST.get("role_id", "")
    user_id = request.POST.get("user_id", "")
    group_id = request.POST.get("group_id", "")
    if not role_id or not (user_id or group_id):
        messages.error(request, _("Nothing to remove: the form lacked the role or the user/group."))
        return _back("project_detail", project_id)
    ks.unassign_role(connection(request), project_id, role_id, user_id, group_id)
    label = request.POST.get("label") or _("The role assignment")
    messages.success(request, _("%(label)s removed.") % {"label": label})
    return _back("project_detail", project_id)


# --- quotas ---------------------------------------------------------------------------------------


# the services whose quotas the page shows itself; the others follow it, a part each
# (project_quota_section): Nova's is the slowest read and the first one people look for
QUOTAS_ON_PAGE = ("compute",)


def _read_quotas(request, project_id: str, services: tuple[str, ...] = tuple(q.QUOTA_READERS)):
    """The project and the services' quotas at once; a service that fails is reported, not fatal."""
    conn = connection(request)
    calls = {"project": lambda: ks.get_project(conn, project_id)}
    for service in services:
        calls[service] = lambda reader=q.QUOTA_READERS[service]: reader(conn, project_id)
    data = concurrently(calls, optional=services)
    items, missing = [], {}
    for service in services:
        if isinstance(data[service], CloudError):
            missing[service] = data[service].message
        else:
            items.extend(data[service])
    return data["project"], items, missing


def _quota_sections(form, missing: dict, project_id: str, shown: tuple[str, ...]) -> list[dict]:
    """Every service's section of the form; a service not read yet is a loader of its part."""
    return [
        {
            "service": service,
            "title": q.SERVICE_TITLES[service],
            "rows": form.rows(service) if service in shown else [],
            "missing": missing.get(service, ""),
            "part_url": ""
            if service in shown
            else reverse("identity:project_quota_section", args=[project_id, service]),
        }
        for service in q.QUOTA_READERS
    ]


@admin_required
def project_quotas(request, project_id: str):
    # a GET reads the services of QUOTAS_ON_PAGE; a POST reads them all (the limits it changes are
    # compared with the current ones; a section not loaded yet posts nothing, which changes nothing)
    shown = tuple(q.QUOTA_READERS) if request.method == "POST" else QUOTAS_ON_PAGE
    project, items, missing = _read_quotas(request, project_id, shown)
    form = QuotaForm(posted(request), items=items)
    status = 200
    saved: list[str] = []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = form.changes()
            conn = connection(request)
            # the services are independent: write them at once, each failure on its own
            results = concurrently(
                {
                    service: (lambda w=q.QUOTA_WRITERS[service], lim=limits: w(conn, project_id, lim))
                    for service, limits in changes.items()
                },
                services={service: service for service in changes},
                optional=tuple(changes),
            )
            refused = False
            for service, limits in changes.items():
                err = results[service]
                if isinstance(err, CloudError):
                    refused = True
                    # the service's own words (Nova: "Quota limit 0 for instances must be ..."), unless it is down
                    reason = err.message if err.kind == "unavailable" or not err.detail else err.detail
                    resource = q.field_of_refusal(reason, list(limits))
                    field = f"{service}-{resource}" if resource else None
                    form.add_error(
                        field,
                        _("%(service)s refused: %(reason)s") % {"service": q.SERVICE_TITLES[service], "reason": reason},
                    )
                else:
                    saved.append(str(q.SERVICE_TITLES[service]))
            if not refused:
                if changes:
                    messages.success(
                        request,
                        _("Quotas of %(name)s saved (%(saved)s).") % {"name": project.name, "saved": ", ".join(saved)},
                    )
                else:
                    messages.info(request, _("No limit changed."))
                return _back("project_quotas", project_id)
    context = {
        "project": project,
        "form": form,
        "sections": _quota_sections(form, missing, project_id, shown),
        "saved": saved,
    }
    return render(request, "identity/quotas.html", context, status=status)


@admin_required
def project_quota_section(request, project_id: str, service: str):
    """One service's section of the quota form (htmx, after the page): its quotas, 1 call."""
    if not request.headers.get("HX-Request"):
        return _back("project_quotas", project_id)
    if service not in q.QUOTA_READERS:
        raise Http404()
    found = concurrently(
        {service: lambda: q.QUOTA_READERS[service](connection(request), project_id)}, optional=(service,)
    )
    items = [] if isinstance(found[service], CloudError) else found[service]
    missing = {service: found[service].message} if isinstance(found[service], CloudError) else {}
    form = QuotaForm(None, items=items)
    section = _quota_sections(form, missing, project_id, (service,))[list(q.QUOTA_READERS).index(service)]
    return render(request, "identity/_quota_section.html", {"section": section})


# --- users ----------------------------------------------------------------------------------------


@admin_required
def user_list(request):
    """The users: one Keystone call; their default projects' names and their roles follow in
    user_roles."""
    users = _fetch(request, users=ks.list_users)["users"]
    return render(request, "identity/user_list.html", {"users": users})


@admin_required
@part_of("identity:user_list")
def user_roles(request):
    """The users list's default projects and roles (htmx, after the page): the users, the role
    assignments by id and the projects' and roles' names, 4 Keystone calls at once (cheaper than
    Keystone naming each assignment: dashboard.cloud.identity.all_project_assignments)."""
    data, failed = _fetch_part(
        request,
        _("The users' projects and roles"),
        users=ks.list_users,
        assignments=ks.all_project_assignments,
        projects=ks.list_projects,
        roles=ks.list_roles,
    )
    if failed:
        return failed
    project_names = {p.id: p.name for p in data["projects"]}
    role_names = {r.id: r.name for r in data["roles"]}
    roles_of = defaultdict(list)
    for a in data["assignments"]:
        if a.user_id:
            project = project_names.get(a.project_id, a.project_id)
            roles_of[a.user_id].append(f"{project}: {role_names.get(a.role_id, a.role_id)}")
    rows = [
        (u.id, project_names.get(u.default_project_id, u.default_project_id or ""), sorted(roles_of[u.id]))
        for u in data["users"]
    ]
    return render(request, "identity/_user_roles.html", {"rows": rows})


@admin_required
def user_create(request):
    """The form; its projects and roles to choose from follow the page (user_choices), and a POST
    reads them to check the choice."""
    conn = connection(request)
    posting = request.method == "POST"
    data = _fetch(request, projects=ks.list_projects, roles=ks.list_roles) if posting else {}

    def perform(d):
        user = ks.create_user(
            conn, d["name"], d["password"], d["email"], d["description"], default_project_id=d["project"]
        )
        if d["project"]:
            try:
                ks.assign_role(conn, d["project"], d["role"], user_id=user.id)
            except CloudError as err:
                messages.warning(
                    request,
                    _("User %(name)s created, but the role was not given: %(message)s")
                    % {"name": user.name, "message": err.message},
                )
                return "", user
        return _("User %(name)s created.") % {"name": user.name}, user

    return _form(
        request,
        UserCreateForm(posted(request), **data),
        perform,
        title=_("Create user"),
        section="users",
        success_url=reverse("identity:user_list"),
        choices_url="" if posting else reverse("identity:user_choices") + "?" + urlencode({"form": "create"}),
    )


@admin_required
def user_edit(request, user_id: str):
    """The form; the projects to choose the default one from follow the page (user_choices), and a
    POST reads them to check the choice."""
    conn = connection(request)
    posting = request.method == "POST"
    calls = {"user": lambda c: ks.get_user(c, user_id)}
    if posting:
        calls["projects"] = ks.list_projects
    data = _fetch(request, **calls)
    user = data["user"]
    initial = {"email": user.email, "description": user.description, "default_project": user.default_project_id}
    choices_url = ""
    if not posting:
        query = {"form": "edit", "selected": user.default_project_id or ""}
        choices_url = reverse("identity:user_choices") + "?" + urlencode(query)

    def perform(d):
        # Keystone refuses an empty default_project_id: null means none
        ks.update_user(
            conn,
            user_id,
            email=d["email"],
            description=d["description"],
            default_project_id=d["default_project"] or None,
        )
        return _("User %(name)s saved.") % {"name": user.name}

    return _form(
        request,
        UserEditForm(posted(request), initial=initial, projects=data.get("projects")),
        perform,
        title=_("Edit user %(name)s") % {"name": user.name},
        section="users",
        success_url=reverse("identity:user_list"),
        name_taken=False,
        choices_url=choices_url,
    )


@admin_required
@part_of("identity:user_list")
def user_choices(request):
    """The user forms' choices (htmx, after the form page): the projects (and, creating, the roles),
    at once; each select swapped into the form by id. `form`: "create" or "edit"; `selected`: the
    edited user's default project."""
    kind = request.GET.get("form")
    if kind == "create":
        data, failed = _fetch_part(request, _("The projects and roles"), projects=ks.list_projects, roles=ks.list_roles)
        form, names = (UserCreateForm(None, **data), ("project", "role")) if data else (None, ())
    elif kind == "edit":
        data, failed = _fetch_part(request, _("The projects"), projects=ks.list_projects)
        initial = {"default_project": request.GET.get("selected", "")}
        form, names = (UserEditForm(None, initial=initial, **data), ("default_project",)) if data else (None, ())
    else:
        raise Http404()
    return failed or HttpResponse(choices_part(form, names))


@admin_required
def user_password(request, user_id: str):
    conn = connection(request)
    user = ks.get_user(conn, user_id)

    def perform(d):
        ks.update_user(conn, user_id, password=d["password"])
        return _("Password of %(name)s changed.") % {"name": user.name}

    return form_page(
        request,
        PasswordForm(posted(request)),
        perform,
        success_url=reverse("identity:user_list"),
        # Keystone's password rules refuse with 400: say it beside the password
        field_for=lambda err: "password" if err.kind == "bad_request" else None,
        context={
            "title": _("Change the password of %(name)s") % {"name": user.name},
            "crumbs": [(_("Identity"), ""), (SECTIONS["users"], reverse("identity:user_list"))],
            "cancel_url": reverse("identity:user_list"),
        },
    )


@admin_required
@require_POST
def user_enabled(request, user_id: str):
    enable = request.POST.get("enabled") == "1"
    if not enable and user_id == request.keystone.user_id:
        messages.error(request, _("You cannot disable your own user: you would lock yourself out."))
        return _back("user_list")
    user = ks.update_user(connection(request), user_id, is_enabled=enable)
    messages.success(
        request, (_("User %(name)s enabled.") if enable else _("User %(name)s disabled.")) % {"name": user.name}
    )
    return _back("user_list")


@admin_required
@require_POST
def user_delete(request, user_id: str):
    if user_id == request.keystone.user_id:
        messages.error(request, _("You cannot delete your own user: you would lock yourself out."))
        return _back("user_list")
    name = request.POST.get("name") or user_id
    ks.delete_user(connection(request), user_id)
    messages.success(request, _("User %(name)s deleted.") % {"name": name})
    return _back("user_list")


# --- groups ---------------------------------------------------------------------------------------


@admin_required
def group_list(request):
    groups = ks.list_groups(connection(request))
    return render(request, "identity/group_list.html", {"groups": groups})


@admin_required
def group_create(request):
    conn = connection(request)

    def perform(d):
        group = ks.create_group(conn, d["name"], d["description"])
        return _("Group %(name)s created.") % {"name": group.name}, group

    return _form(
        request,
        GroupForm(posted(request)),
        perform,
        title=_("Create group"),
        section="groups",
        success_url=lambda group: reverse("identity:group_detail", args=[group.id]),
    )


@admin_required
def group_detail(request, group_id: str):
    data = _fetch(
        request,
        group=lambda c: ks.get_group(c, group_id),
        members=lambda c: ks.group_members(c, group_id),
        users=ks.list_users,
    )
    member_ids = {u.id for u in data["members"]}
    form = GroupMemberForm(users=[u for u in data["users"] if u.id not in member_ids])
    return render(request, "identity/group_detail.html", {**data, "form": form})


@admin_required
def group_edit(request, group_id: str):
    conn = connection(request)
    group = ks.get_group(conn, group_id)

    def perform(d):
        ks.update_group(conn, group_id, name=d["name"], description=d["description"])
        return _("Group %(name)s saved.") % {"name": d["name"]}

    return _form(
        request,
        GroupForm(posted(request), initial={"name": group.name, "description": group.description}, editing=True),
        perform,
        title=_("Edit group %(name)s") % {"name": group.name},
        section="groups",
        success_url=reverse("identity:group_detail", args=[group_id]),
    )


@admin_required
@require_POST
def group_delete(request, group_id: str):
    name = request.POST.get("name") or group_id
    ks.delete_group(connection(request), group_id)
    messages.success(request, _("Group %(name)s deleted.") % {"name": name})
    return _back("group_list")


@admin_required
@require_POST
def group_member_add(request, group_id: str):
    user_id = request.POST.get("user", "")
    if not user_id:
        messages.error(request, _("Choose a user to add."))
        return _back("group_detail", group_id)
    ks.add_group_member(connection(request), group_id, user_id)
    messages.success(request, _("User added to the group."))
    return _back("group_detail", group_id)


@admin_required
@require_POST
def group_member_remove(request, group_id: str):
    user_id = request.POST.get("user", "")
    ks.remove_group_member(connection(request), group_id, user_id)
    messages.success(
        request, _("%(name)s removed from the group.") % {"name": request.POST.get("name") or _("The user")}
    )
    return _back("group_detail", group_id)


# --- roles ----------------------------------------------------------------------------------------


@admin_required
def role_list(request):
    """The roles: one Keystone call; the assignments' counts (per role, per project) follow in
    role_counts."""
    roles = _fetch(request, roles=ks.list_roles)["roles"]
    return render(request, "identity/role_list.html", {"roles": roles})


@admin_required
@part_of("identity:role_list")
def role_counts(request):
    """The roles page's counts (htmx, after the page): the roles, the projects and every
    project-scoped role assignment, 3 Keystone calls at once; the roles' counts swapped into their
    rows, the projects' table whole."""
    data, failed = _fetch_part(
        request,
        _("The role assignments"),
        roles=ks.list_roles,
        projects=ks.list_projects,
        assignments=ks.all_project_assignments,
    )
    if failed:
        return failed
    per_role = Counter(a.role_id for a in data["assignments"])
    per_project = Counter(a.project_id for a in data["assignments"])
    return render(
        request,
        "identity/_role_counts.html",
        {
            "roles": [(r.id, per_role[r.id]) for r in data["roles"]],
            "projects": [(p, per_project[p.id]) for p in data["projects"]],
        },
    )
