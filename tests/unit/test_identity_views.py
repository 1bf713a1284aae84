"""The identity pages when a call besides their main one fails: the page still shows what it read,
with a notice saying what could not be read and why; the main call's failure stays the page's error.

The Keystone functions are faked (no cloud): what is checked is the views' own logic, their
templates and the kit's notice (ui/_part_failed.html)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from dashboard.cloud import CloudError
from dashboard.cloud import identity as ks
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.paging import Page
from dashboard.panels.identity import project_views, role_views, user_views

DEMO = ks.Project("p-demo", "demo")
ALICE = ks.User("u-alice", "alice", default_project_id="p-demo")
MEMBER = ks.Role("r-member", "member")
ASSIGNMENT = ks.Assignment("r-member", "member", project_id="p-demo", user_id="u-alice", user_name="alice")
REFUSED = CloudError("forbidden", "Identity (Keystone) refused: you are not allowed to list role assignments.")


def _refused(*_args):
    raise REFUSED


@pytest.fixture
def get():
    """GET `path` of `view` as a cloud administrator, the cloud connection a stand-in (faked calls)."""

    def run(view, path: str, *args) -> tuple[int, str]:
        request = RequestFactory().get(path)
        request.keystone = Credentials(
            user_id="u-admin", project_id="p-admin", projects=({"id": "p-admin", "name": "admin"},), roles=("admin",)
        )
        request._cloud_connection = object()
        response = view(request, *args)
        return response.status_code, response.content.decode()

    return run


@pytest.fixture
def keystone(monkeypatch):
    """Keystone faked: one project, one user with a role on it, one role; `refuse(name)` makes a call fail."""
    monkeypatch.setattr(ks, "list_users_page", lambda conn, params: Page([ALICE]))
    monkeypatch.setattr(ks, "list_projects_page", lambda conn, params: Page([DEMO]))
    monkeypatch.setattr(ks, "list_roles_page", lambda conn, params: Page([MEMBER]))
    monkeypatch.setattr(ks, "list_projects", lambda conn: [DEMO])
    monkeypatch.setattr(ks, "list_roles", lambda conn: [MEMBER])
    monkeypatch.setattr(ks, "list_users", lambda conn: [ALICE])
    monkeypatch.setattr(ks, "list_groups", lambda conn: [])
    monkeypatch.setattr(ks, "list_all_project_assignments", lambda conn: [ASSIGNMENT])
    monkeypatch.setattr(ks, "get_project", lambda conn, project_id: DEMO)
    by_id = ks.Assignment("r-member", "", project_id="p-demo", user_id="u-alice")  # Keystone's ids only
    monkeypatch.setattr(ks, "list_project_assignment_ids", lambda conn, project_id: [by_id])
    monkeypatch.setattr(ks, "domains_in_token", lambda body: {"": "Default"})
    return lambda name: monkeypatch.setattr(ks, name, _refused)


NOTICE = "could not be read: " + REFUSED.message


def test_the_users_list_shows_the_projects_and_roles_in_its_rows(keystone, get):
    status, page = get(user_views.user_list, "/identity/users/")
    assert status == 200 and "<td>demo</td>" in page and ">demo: member</td>" in page
    assert NOTICE not in page and 'hx-trigger="load"' not in page


def test_the_users_list_without_the_role_assignments_shows_the_users_and_says_so(keystone, get):
    keystone("list_all_project_assignments")
    status, page = get(user_views.user_list, "/identity/users/")
    assert status == 200 and '<span class="zenith-name" title="alice">alice</span>' in page
    assert f"The users&#x27; projects and roles {NOTICE}" in page
    assert 'title="Could not be read">?</span>' in page and "demo: member" not in page
    # its default project by id, not a name it could not read
    assert 'title="p-demo">p-demo</code>' in page


def test_the_users_lists_own_failure_stays_the_pages_error(keystone, get):
    keystone("list_users_page")
    with pytest.raises(CloudError) as failed:
        get(user_views.user_list, "/identity/users/")
    assert failed.value is REFUSED


def test_the_projects_list_without_the_role_assignments_shows_the_projects_and_says_so(keystone, get):
    status, page = get(project_views.project_list, "/identity/projects/")
    assert status == 200 and "<td>1</td>" in page and NOTICE not in page
    keystone("list_all_project_assignments")
    status, page = get(project_views.project_list, "/identity/projects/")
    assert status == 200 and ">demo</a>" in page and f"The member counts {NOTICE}" in page
    assert "<td>1</td>" not in page


def test_the_roles_list_without_the_role_assignments_shows_the_roles_and_says_so(keystone, get):
    keystone("list_all_project_assignments")
    status, page = get(role_views.role_list, "/identity/roles/")
    assert status == 200 and "<td>member</td>" in page
    assert f"The role assignments {NOTICE}" in page and "role-projects-table" not in page


def test_a_project_page_without_its_members_or_choices_shows_the_rest_and_says_so(keystone, get):
    status, page = get(project_views.project_detail, "/identity/projects/p-demo/", "p-demo")
    assert status == 200 and 'data-actor="alice" data-role="member"' in page and 'id="assignment-form"' in page
    keystone("list_project_assignment_ids")
    keystone("list_groups")
    status, page = get(project_views.project_detail, "/identity/projects/p-demo/", "p-demo")
    assert status == 200 and "Project demo" in page
    assert f"The members {NOTICE}" in page and "assignments-table" not in page
    assert f"The users, groups and roles to choose from {NOTICE}" in page and 'id="assignment-form"' not in page


def test_a_project_page_names_its_members_from_the_lists_it_reads(keystone, get, monkeypatch):
    status, page = get(project_views.project_detail, "/identity/projects/p-demo/", "p-demo")
    assert status == 200 and 'data-actor="alice" data-role="member"' in page  # named from the users, roles
    keystone("list_users")  # the choices missing: the members show by id
    status, page = get(project_views.project_detail, "/identity/projects/p-demo/", "p-demo")
    assert status == 200 and 'data-actor="u-alice" data-role="member"' in page


def test_named_assignments_take_names_from_the_lists_or_keep_ids():
    bob_group = ks.Group("g-ops", "ops")
    found = [
        ks.Assignment("r-member", "", project_id="p", user_id="u-alice"),
        ks.Assignment("r-gone", "", project_id="p", group_id="g-ops"),
        ks.Assignment("r-member", "", project_id="p", user_id="u-other-domain"),
    ]
    named = ks.named_assignments(found, users=[ALICE], groups=[bob_group], roles=[MEMBER])
    assert [(a.actor_kind, a.actor_name, a.role_name) for a in named] == [
        ("group", "ops", "r-gone"),
        ("user", "alice", "member"),
        ("user", "u-other-domain", "member"),
    ]
    assert [a.actor_name for a in ks.named_assignments(found, users=None, groups=None, roles=None)] == [
        "g-ops",
        "u-alice",
        "u-other-domain",
    ]


def test_the_user_forms_without_their_choices_show_the_form_and_say_so(keystone, get, monkeypatch):
    keystone("list_projects")
    status, page = get(user_views.user_create, "/identity/users/create/")
    assert status == 200 and 'id="user-form"' in page and f"The projects and roles {NOTICE}" in page
    monkeypatch.setattr(ks, "get_user", lambda conn, user_id: ks.User("u-alice", "alice", default_project_id="p-demo"))
    status, page = get(user_views.user_edit, "/identity/users/u-alice/edit/", "u-alice")
    assert status == 200 and f"The projects {NOTICE}" in page
    # the current default project is kept, so the form sent as shown does not change it
    assert '<option value="p-demo" selected>p-demo</option>' in page


def test_roles_by_user_names_what_it_can_and_keeps_ids_otherwise():
    other = ks.Assignment("r-gone", "", project_id="p-gone", user_id="u-alice")
    group = ks.Assignment("r-member", "", project_id="p-demo", group_id="g-1")
    found = user_views.roles_by_user([other, ASSIGNMENT, group], [DEMO], [MEMBER])
    assert found == {"u-alice": ["demo: member", "p-gone: r-gone"]}
