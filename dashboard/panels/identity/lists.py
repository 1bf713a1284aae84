"""The identity panel's lists, declared once: projects, users, groups and roles (admins only).
Keystone gives each list whole; its page is cut in Zenith (dashboard.cloud.identity.*_page). Each
page and its GET endpoint of the JSON API (/api/v1/admin/projects/, users/, groups/, roles/) read
these; what a row shows that costs other calls (members, roles, counts) follows the page, swapped
into its cell by element id (the cells templates' macros, with oob=True)."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import identity
from dashboard.ui.lists import Column, Filter, Table

ENABLED = (("true", _("Yes")), ("false", _("No")))
NAME = Filter("name", _("Name contains"))


def _project_row(request, project: identity.Project) -> dict:
    return {"current": project.id == request.keystone.project_id}


def _user_row(request, user: identity.User) -> dict:
    return {"me": user.id == request.keystone.user_id}


PROJECTS = Table(
    name="projects",
    url_name="identity:project_list",
    template="identity/project_list.html",
    of=identity.Project,
    cells="identity/project_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("description", _("Description")),
        Column("domain_id", _("Domain")),
        Column("enabled", _("Enabled")),
        Column("members", _("Members")),
        Column("id", _("ID")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(NAME, Filter("enabled", _("Enabled"), choices=ENABLED)),
    default_sort="name",
    default_direction="asc",
    row=_project_row,
    noun=(_("project"), _("projects")),
    empty=_("No projects yet."),
    icon="folder",
    api="admin/projects/",
)

USERS = Table(
    name="users",
    url_name="identity:user_list",
    template="identity/user_list.html",
    of=identity.User,
    cells="identity/user_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("email", _("Email")),
        Column("default_project", _("Default project")),
        Column("roles", _("Roles (project: role)")),
        Column("enabled", _("Enabled")),
        Column("id", _("ID")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(NAME, Filter("enabled", _("Enabled"), choices=ENABLED)),
    default_sort="name",
    default_direction="asc",
    row=_user_row,
    noun=(_("user"), _("users")),
    empty=_("No users yet."),
    icon="people",
    api="admin/users/",
)

GROUPS = Table(
    name="groups",
    url_name="identity:group_list",
    template="identity/group_list.html",
    of=identity.Group,
    cells="identity/group_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("description", _("Description")),
        Column("domain_id", _("Domain")),
        Column("id", _("ID")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(NAME,),
    default_sort="name",
    default_direction="asc",
    noun=(_("group"), _("groups")),
    empty=_("No groups yet."),
    icon="collection",
    api="admin/groups/",
)

ROLES = Table(
    name="roles",
    url_name="identity:role_list",
    template="identity/role_list.html",
    of=identity.Role,
    cells="identity/role_cells.html",
    columns=(
        Column("name", _("Role"), sort="name", first_direction="asc"),
        Column("assignments", _("Project assignments")),
        Column("id", _("ID")),
    ),
    filters=(NAME,),
    default_sort="name",
    default_direction="asc",
    noun=(_("role"), _("roles")),
    empty=_("No roles yet."),
    icon="person-badge",
    api="admin/roles/",
)
