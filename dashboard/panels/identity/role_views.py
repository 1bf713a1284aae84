"""Identity administration, roles: the list, with how many project assignments give each role, and
the assignments of each project beside it. Admin role only."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext_lazy as _

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import identity as ks
from dashboard.ui.rows import list_page

from .common import fetch, missing
from .lists import ROLES


@admin_required
def role_list(request):
    """A page of the roles with their counts, and the projects' table: the roles, the projects and
    every project-scoped role assignment, 3 Keystone calls at once. Without the roles the page is
    the cloud's error; without the others it shows the roles and says the assignments could not be
    read."""
    shown: dict = {}

    def roles_page(params):
        data = fetch(
            request,
            optional=("projects", "assignments"),
            page=lambda conn: ks.list_roles_page(conn, params),
            projects=ks.list_projects,
            assignments=ks.list_all_project_assignments,
        )
        shown["missing"] = missing(data, _("The role assignments"))
        if shown["missing"] is None:
            shown["per_role"] = Counter(a.role_id for a in data["assignments"])
            per_project = Counter(a.project_id for a in data["assignments"])
            shown["projects"] = [(p, per_project[p.id]) for p in data["projects"]]
        return data["page"]

    return list_page(
        request,
        ROLES,
        roles_page,
        context=lambda page: {"missing": shown["missing"], "projects": shown.get("projects", [])},
        row_extra=lambda role: {"count": None if shown["missing"] else shown["per_role"][role.id]},
    )
