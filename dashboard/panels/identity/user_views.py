"""Identity administration, users: the list (with their default projects' names and their roles),
create (with a first project and role), edit, password, enable/disable, delete.

Admin role only. Each page is one response whose Keystone calls are made at once: the list's with
the users, the forms' with the projects and roles to choose from.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, connection
from dashboard.cloud import identity as ks
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import list_page

from .common import SECTIONS, back_to_list, fetch, identity_form, missing, missing_sentence
from .forms import PasswordForm, UserCreateForm, UserEditForm
from .lists import USERS

# what the users list reads besides its users, and says it could not read when one of them fails
NAMES = ("assignments", "projects", "roles")


def roles_by_user(assignments, projects, roles) -> dict[str, list[str]]:
    """Each user's roles as "project: role", sorted, from the assignments by id and the projects'
    and roles' listings (an id stays when its name is not known)."""
    project_names = {p.id: p.name for p in projects}
    role_names = {r.id: r.name for r in roles}
    found = defaultdict(list)
    for a in assignments:
        if a.user_id:
            project = project_names.get(a.project_id, a.project_id)
            found[a.user_id].append(f"{project}: {role_names.get(a.role_id, a.role_id)}")
    return {user_id: sorted(names) for user_id, names in found.items()}


@admin_required
def user_list(request):
    """A page of the users with their default projects' names and their roles: the users, every
    project-scoped role assignment (by id) and the projects' and roles' names, 4 Keystone calls at
    once (cheaper than Keystone naming each assignment: dashboard.cloud.identity.
    all_project_assignments). Without the users the page is the cloud's error; without the others
    it shows the users, their default projects by id, and says what could not be read."""
    shown: dict = {}

    def users_page(params):
        data = fetch(
            request,
            optional=NAMES,
            page=lambda conn: ks.list_users_page(conn, params),
            assignments=ks.list_all_project_assignments,
            projects=ks.list_projects,
            roles=ks.list_roles,
        )
        shown["missing"] = missing(data, _("The users' projects and roles"))
        if shown["missing"] is None:
            shown["project_names"] = {p.id: p.name for p in data["projects"]}
            shown["roles"] = roles_by_user(data["assignments"], data["projects"], data["roles"])
        return data["page"]

    def names(user) -> dict:
        if shown["missing"] is not None:
            return {"project_name": "", "roles": None}
        return {
            "project_name": shown["project_names"].get(user.default_project_id, ""),
            "roles": shown["roles"].get(user.id, []),
        }

    return list_page(
        request,
        USERS,
        users_page,
        context=lambda page: {"missing": shown["missing"]},
        row_extra=names,
    )


@admin_required
def user_create(request):
    """The form with the projects and roles to choose from: 2 Keystone calls at once. Shown, a
    failed read leaves the choices empty and says so; posted, the choice is checked against them
    (a failed read is the page's error)."""
    conn = connection(request)
    posting = request.method == "POST"
    data = fetch(
        request, optional=() if posting else ("projects", "roles"), projects=ks.list_projects, roles=ks.list_roles
    )
    notice = missing(data, _("The projects and roles"))
    if notice:
        data = {"projects": [], "roles": []}

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

    return identity_form(
        request,
        UserCreateForm(posted(request), **data),
        perform,
        title=_("Create user"),
        section="users",
        success_url=reverse("identity:user_list"),
        warning=missing_sentence(notice),
    )


@admin_required
def user_edit(request, user_id: str):
    """The form with the projects to choose the default one from: the user and the projects, 2
    Keystone calls at once. Shown, a failed read of the projects keeps the current default project
    (by id) and says so; posted, the choice is checked against them."""
    conn = connection(request)
    posting = request.method == "POST"
    data = fetch(
        request,
        optional=() if posting else ("projects",),
        user=lambda c: ks.get_user(c, user_id),
        projects=ks.list_projects,
    )
    user = data["user"]
    notice = missing({"projects": data["projects"]}, _("The projects"))
    initial = {"email": user.email, "description": user.description, "default_project": user.default_project_id}

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

    return identity_form(
        request,
        UserEditForm(posted(request), initial=initial, projects=None if notice else data["projects"]),
        perform,
        title=_("Edit user %(name)s") % {"name": user.name},
        section="users",
        success_url=reverse("identity:user_list"),
        name_taken=False,
        warning=missing_sentence(notice),
    )


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
        return back_to_list(request, "user_list")
    user = ks.update_user(connection(request), user_id, is_enabled=enable)
    messages.success(
        request, (_("User %(name)s enabled.") if enable else _("User %(name)s disabled.")) % {"name": user.name}
    )
    return back_to_list(request, "user_list")


@admin_required
@require_POST
def user_delete(request, user_id: str):
    if user_id == request.keystone.user_id:
        messages.error(request, _("You cannot delete your own user: you would lock yourself out."))
        return back_to_list(request, "user_list")
    name = request.POST.get("name") or user_id
    ks.delete_user(connection(request), user_id)
    messages.success(request, _("User %(name)s deleted.") % {"name": name})
    return back_to_list(request, "user_list")
