"""Keystone administration: projects, users, groups, roles and role assignments.

Every function takes the admin's connection, returns plain dataclasses (templates never hold SDK
objects) and translates its own errors (CloudError). Keystone gives its lists whole: their pages
(`list_projects_page`, `list_users_page`...) are cut here, one Keystone call each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _
from openstack.connection import Connection

from .calls import raw, raw_json, translated
from .paging import ListParams, Page, whole_list_page

PROJECT_NOT_FOUND = _("The project was not found; it may have been deleted.")
USER_NOT_FOUND = _("The user was not found; it may have been deleted.")
GROUP_NOT_FOUND = _("The group was not found; it may have been deleted.")
USER_OR_GROUP_NOT_FOUND = _("The user or the group was not found; it may have been deleted.")
MEMBERSHIP_NOT_FOUND = _("The user is not a member of this group; they may have been removed already.")
ASSIGNMENT_NOT_FOUND = _("The role assignment was not found; it may have been removed already.")
CREDENTIAL_NOT_FOUND = _("The application credential was not found; it may have been deleted.")


@dataclass
class Project:
    id: str
    name: str
    description: str = ""
    domain_id: str = ""
    enabled: bool = True


@dataclass
class User:
    id: str
    name: str
    email: str = ""
    description: str = ""
    domain_id: str = ""
    default_project_id: str = ""
    enabled: bool = True


@dataclass
class Group:
    id: str
    name: str
    description: str = ""
    domain_id: str = ""


@dataclass
class Role:
    id: str
    name: str


@dataclass
class Assignment:
    """One role of a user or a group on a project."""

    role_id: str
    role_name: str
    project_id: str = ""
    project_name: str = ""
    user_id: str = ""
    user_name: str = ""
    group_id: str = ""
    group_name: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def actor_kind(self) -> str:
        return "group" if self.group_id else "user"

    @property
    def actor_id(self) -> str:
        return self.group_id or self.user_id

    @property
    def actor_name(self) -> str:
        return (self.group_name or self.group_id) if self.group_id else (self.user_name or self.user_id)


def _project(p: Any) -> Project:
    return Project(
        id=p.id,
        name=p.name or "",
        description=p.description or "",
        domain_id=p.domain_id or "",
        enabled=bool(p.is_enabled),
    )


def _user(u: Any) -> User:
    return User(
        id=u.id,
        name=u.name or "",
        email=u.email or "",
        description=u.description or "",
        domain_id=u.domain_id or "",
        default_project_id=u.default_project_id or "",
        enabled=bool(u.is_enabled),
    )


def _group(g: Any) -> Group:
    return Group(id=g.id, name=g.name or "", description=g.description or "", domain_id=g.domain_id or "")


def _by_name(items: list) -> list:
    return sorted(items, key=lambda item: item.name.lower())


# the lists' orders and filters (dashboard/panels/identity/lists.py declares them): names compared
# case-insensitively, the id breaking ties (two domains may hold the same name)
SORT_KEYS = {"name": lambda item: (item.name.lower(), item.id)}


def matches(item: Project | User | Group | Role, filters: dict[str, str]) -> bool:
    """Whether a project, user, group or role is shown under `filters`: `name` (contained, any case)
    and `enabled` ("true" or "false", for projects and users)."""
    name = filters.get("name", "").lower()
    if name and name not in item.name.lower():
        return False
    enabled = filters.get("enabled", "")
    return not enabled or getattr(item, "enabled", True) == (enabled == "true")


def _page(items: list, params: ListParams) -> Page:
    return whole_list_page(items, params, sort_keys=SORT_KEYS, matches=matches)


# --- projects -------------------------------------------------------------------------------------


@translated("identity")
def list_projects(conn: Connection) -> list[Project]:
    return _by_name([_project(p) for p in conn.identity.projects()])


@translated("identity")
def list_projects_page(conn: Connection, params: ListParams) -> Page:
    """One page of the projects (1 Keystone call: the list, cut here)."""
    return _page(list_projects(conn), params)


@translated("identity", not_found=PROJECT_NOT_FOUND)
def get_project(conn: Connection, project_id: str) -> Project:
    return _project(conn.identity.get_project(project_id))


@translated("identity")
def create_project(
    conn: Connection, name: str, description: str = "", enabled: bool = True, domain_id: str = "default"
) -> Project:
    return _project(
        conn.identity.create_project(name=name, description=description, domain_id=domain_id, is_enabled=enabled)
    )


@translated("identity", not_found=PROJECT_NOT_FOUND)
def update_project(conn: Connection, project_id: str, **attrs: Any) -> Project:
    """attrs: name, description, is_enabled."""
    return _project(conn.identity.update_project(project_id, **attrs))


@translated("identity", not_found=PROJECT_NOT_FOUND)
def delete_project(conn: Connection, project_id: str) -> None:
    conn.identity.delete_project(project_id, ignore_missing=False)


def domains_in_token(token_body: dict) -> dict[str, str]:
    """{id: name} of the domains the session's Keystone token names (its user's and its project's):
    known without asking Keystone, and on a one-domain cloud every domain there is."""
    token = (token_body or {}).get("token") or {}
    found = {}
    for owner in ("user", "project"):
        domain = (token.get(owner) or {}).get("domain") or {}
        if domain.get("id"):
            found[domain["id"]] = domain.get("name") or domain["id"]
    return found


@translated("identity")
def list_domain_names(conn: Connection) -> dict[str, str]:
    """{domain id: name}, to show names where Keystone gives ids."""
    return {d.id: d.name for d in conn.identity.domains()}


# --- users ----------------------------------------------------------------------------------------


@translated("identity")
def list_users(conn: Connection) -> list[User]:
    return _by_name([_user(u) for u in conn.identity.users()])


@translated("identity")
def list_users_page(conn: Connection, params: ListParams) -> Page:
    """One page of the users (1 Keystone call: the list, cut here)."""
    return _page(list_users(conn), params)


@translated("identity", not_found=USER_NOT_FOUND)
def get_user(conn: Connection, user_id: str) -> User:
    # the JSON as it comes (no SDK resource built and checked for one user: a millisecond a page)
    u = raw_json(conn, "identity", f"/users/{quote(user_id, safe='')}")["user"]
    return User(
        id=u["id"],
        name=u.get("name") or "",
        email=u.get("email") or "",
        description=u.get("description") or "",
        domain_id=u.get("domain_id") or "",
        default_project_id=u.get("default_project_id") or "",
        enabled=bool(u.get("enabled", True)),
    )


@translated("identity")
def create_user(
    conn: Connection,
    name: str,
    password: str,
    email: str = "",
    description: str = "",
    default_project_id: str = "",
    domain_id: str = "default",
) -> User:
    attrs: dict[str, Any] = {"name": name, "password": password, "domain_id": domain_id, "is_enabled": True}
    if email:
        attrs["email"] = email
    if description:
        attrs["description"] = description
    if default_project_id:
        attrs["default_project_id"] = default_project_id
    return _user(conn.identity.create_user(**attrs))


@translated("identity", not_found=USER_NOT_FOUND)
def update_user(conn: Connection, user_id: str, **attrs: Any) -> User:
    """attrs: email, description, default_project_id, is_enabled, password."""
    return _user(conn.identity.update_user(user_id, **attrs))


@translated("identity", not_found=USER_NOT_FOUND)
def delete_user(conn: Connection, user_id: str) -> None:
    conn.identity.delete_user(user_id, ignore_missing=False)


# --- groups ---------------------------------------------------------------------------------------


@translated("identity")
def list_groups(conn: Connection) -> list[Group]:
    return _by_name([_group(g) for g in conn.identity.groups()])


@translated("identity")
def list_groups_page(conn: Connection, params: ListParams) -> Page:
    """One page of the groups (1 Keystone call: the list, cut here)."""
    return _page(list_groups(conn), params)


@translated("identity", not_found=GROUP_NOT_FOUND)
def get_group(conn: Connection, group_id: str) -> Group:
    return _group(conn.identity.get_group(group_id))


@translated("identity")
def create_group(conn: Connection, name: str, description: str = "", domain_id: str = "default") -> Group:
    return _group(conn.identity.create_group(name=name, description=description, domain_id=domain_id))


@translated("identity", not_found=GROUP_NOT_FOUND)
def update_group(conn: Connection, group_id: str, **attrs: Any) -> Group:
    return _group(conn.identity.update_group(group_id, **attrs))


@translated("identity", not_found=GROUP_NOT_FOUND)
def delete_group(conn: Connection, group_id: str) -> None:
    conn.identity.delete_group(group_id, ignore_missing=False)


@translated("identity", not_found=GROUP_NOT_FOUND)
def list_group_members(conn: Connection, group_id: str) -> list[User]:
    return _by_name([_user(u) for u in conn.identity.group_users(group_id)])


@translated("identity", not_found=USER_OR_GROUP_NOT_FOUND)
def add_group_member(conn: Connection, group_id: str, user_id: str) -> None:
    conn.identity.add_user_to_group(user_id, group_id)


@translated("identity", not_found=MEMBERSHIP_NOT_FOUND)
def remove_group_member(conn: Connection, group_id: str, user_id: str) -> None:
    conn.identity.remove_user_from_group(user_id, group_id)


# --- roles and assignments ------------------------------------------------------------------------


@translated("identity")
def list_roles(conn: Connection) -> list[Role]:
    return _by_name([Role(id=r.id, name=r.name or "") for r in conn.identity.roles()])


@translated("identity")
def list_roles_page(conn: Connection, params: ListParams) -> Page:
    """One page of the roles (1 Keystone call: the list, cut here)."""
    return _page(list_roles(conn), params)


def _assignment(a: Any) -> Assignment:
    role = a.role or {}
    user = a.user or {}
    group = a.group or {}
    project = (a.scope or {}).get("project") or {}
    return Assignment(
        role_id=role.get("id", ""),
        role_name=role.get("name", ""),
        project_id=project.get("id", ""),
        project_name=project.get("name", ""),
        user_id=user.get("id", ""),
        user_name=user.get("name", ""),
        group_id=group.get("id", ""),
        group_name=group.get("name", ""),
    )


@translated("identity", not_found=PROJECT_NOT_FOUND)
def list_project_assignments(conn: Connection, project_id: str) -> list[Assignment]:
    """Direct role assignments on a project (users and groups), with names, in one call."""
    found = [_assignment(a) for a in conn.identity.role_assignments(scope_project_id=project_id, include_names=True)]
    return sorted(found, key=lambda a: (a.actor_kind, a.actor_name.lower(), a.role_name))


@translated("identity", not_found=PROJECT_NOT_FOUND)
def list_project_assignment_ids(conn: Connection, project_id: str) -> list[Assignment]:
    """Direct role assignments on a project (users and groups), by id only, in one call: for a page
    that reads the users, groups and roles anyway and names them from those (`named_assignments`)
    rather than have Keystone name each assignment one lookup at a time."""
    params = {"scope.project.id": project_id}
    return [
        a
        for a in map(
            _assignment_ids,
            raw_json(conn, "identity", "/role_assignments", params=params).get("role_assignments") or [],
        )
        if a is not None
    ]


def named_assignments(assignments: list[Assignment], users, groups, roles) -> list[Assignment]:
    """The assignments with the names of their users, groups and roles taken from those lists, as
    a project's members table shows them (by kind, then name); an actor or a role the lists do not
    hold (or a list that could not be read: None) keeps its id."""
    names = {kind: {x.id: x.name for x in found or ()} for kind, found in (("u", users), ("g", groups), ("r", roles))}
    named = [
        replace(
            a,
            user_name=names["u"].get(a.user_id, ""),
            group_name=names["g"].get(a.group_id, ""),
            role_name=names["r"].get(a.role_id, "") or a.role_id,
        )
        for a in assignments
    ]
    return sorted(named, key=lambda a: (a.actor_kind, a.actor_name.lower(), a.role_name))


def _assignment_ids(a: dict) -> Assignment | None:
    """A project-scoped assignment of Keystone's JSON, by id (None for a domain or system one)."""
    project = (a.get("scope") or {}).get("project")
    if not project:
        return None
    return Assignment(
        role_id=(a.get("role") or {}).get("id", ""),
        role_name="",
        project_id=project.get("id", ""),
        user_id=(a.get("user") or {}).get("id", ""),
        group_id=(a.get("group") or {}).get("id", ""),
    )


@translated("identity")
def list_all_project_assignments(conn: Connection) -> list[Assignment]:
    """Every project-scoped role assignment of the cloud, in one call, by id only (no names).

    Keystone names the entries of `include_names` one lookup at a time (about 5 ms an assignment on
    the devcloud: 60 ms for 11, seconds for a cloud's thousands), so a page that shows names takes
    them from the listings it shows anyway. Plain JSON: no SDK object per assignment.
    """
    found = raw_json(conn, "identity", "/role_assignments").get("role_assignments") or []
    return [a for a in map(_assignment_ids, found) if a is not None]


def _role_url(project_id: str, role_id: str, user_id: str, group_id: str) -> str:
    actor = f"groups/{group_id}" if group_id else f"users/{user_id}"
    return f"/projects/{project_id}/{actor}/roles/{role_id}"


@translated("identity", not_found=PROJECT_NOT_FOUND)
def assign_role(conn: Connection, project_id: str, role_id: str, user_id: str = "", group_id: str = "") -> None:
    # direct requests: the SDK's assign/unassign helpers return False instead of raising Keystone's error
    raw(conn, "identity", _role_url(project_id, role_id, user_id, group_id), method="put")


@translated("identity", not_found=ASSIGNMENT_NOT_FOUND)
def unassign_role(conn: Connection, project_id: str, role_id: str, user_id: str = "", group_id: str = "") -> None:
    raw(conn, "identity", _role_url(project_id, role_id, user_id, group_id), method="delete")


# --- application credentials (behind Zenith's API keys) -------------------------------------------


@dataclass
class AppCredential:
    id: str
    name: str
    secret: str  # only known right after creation; "" afterwards


@translated("identity")
def create_application_credential(
    conn: Connection, user_id: str, name: str, expires_at: str, roles: list[str], description: str = ""
) -> AppCredential:
    """A restricted application credential of the user, bound to the token's project and roles.

    Restricted (`unrestricted=False`): it cannot make or delete other credentials or trusts, so a
    leaked API key cannot outlive its own revocation.
    """
    cred = conn.identity.create_application_credential(
        user=user_id,
        name=name,
        description=description,
        expires_at=expires_at,
        roles=[{"name": role} for role in roles],
        unrestricted=False,
    )
    return AppCredential(id=cred.id, name=cred.name, secret=cred.secret or "")


@translated("identity", not_found=CREDENTIAL_NOT_FOUND)
def delete_application_credential(conn: Connection, user_id: str, credential_id: str) -> None:
    conn.identity.delete_application_credential(user_id, credential_id, ignore_missing=True)
