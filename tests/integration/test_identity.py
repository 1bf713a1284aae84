"""Identity admin pages: projects, users, groups and role assignments, against the real Keystone."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from openstack import exceptions as sdk_exc

from dashboard.cloud import keystone
from tests.helpers import login, unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def new_project(admin_sdk, cleanup):
    project = admin_sdk.identity.create_project(name=unique("zt-idp"), domain_id="default", description="test")
    cleanup.delete("project", project.id)
    return project


@pytest.fixture
def new_user(admin_sdk, cleanup):
    user = admin_sdk.identity.create_user(name=unique("zt-idu"), password="Secret-123", domain_id="default")
    cleanup.delete("user", user.id)
    return user


def _project_by_name(admin_sdk, name):
    return next(iter(admin_sdk.identity.projects(name=name)), None)


def _roles_of(admin_sdk, project_id, user_id=None, group_id=None):
    query = {"scope_project_id": project_id, "include_names": True}
    if user_id:
        query["user_id"] = user_id
    if group_id:
        query["group_id"] = group_id
    return {a.role["name"] for a in admin_sdk.identity.role_assignments(**query)}


def _role_id(admin_sdk, name):
    return next(r.id for r in admin_sdk.identity.roles() if r.name == name)


def _text(response) -> str:
    return response.content.decode()


def _row(page: str, row_id: str) -> str:
    """The <tr> of the list's row `row_id` (the kit's rows carry their object's id)."""
    row = re.search(rf'<tr data-id="{row_id}"[^>]*>.*?</tr>', page, re.S)
    assert row, f"no row {row_id}"
    return row.group(0)


def _page(client, url: str) -> str:
    """A page as one response: what it shows is in it, nothing is loaded after it."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = _text(response)
    assert 'hx-trigger="load"' not in page, url
    return page


# --- projects -------------------------------------------------------------------------------------


def test_admin_creates_a_project_and_sees_it_listed(admin_client, admin_sdk, cleanup):
    name = unique("zt-idp")
    response = admin_client.post(
        "/identity/projects/create/", {"name": name, "description": "made by a test", "enabled": "on"}
    )
    project = _project_by_name(admin_sdk, name)
    assert project is not None, _text(response)[:2000]
    cleanup.delete("project", project.id)
    assert response.status_code == 302 and response["Location"] == f"/identity/projects/{project.id}/"
    assert project.description == "made by a test" and project.is_enabled
    listing = admin_client.get("/identity/projects/", {"name": name})
    assert listing.status_code == 200
    row = _row(_text(listing), project.id)
    assert name in row and "made by a test" in row and "Default" in row


def test_duplicate_project_name_shows_keystones_conflict_and_keeps_input(admin_client, new_project):
    response = admin_client.post("/identity/projects/create/", {"name": new_project.name, "description": "second try"})
    assert response.status_code == 400
    page = _text(response)
    assert "Identity (Keystone) refused" in page
    assert "not permitted to have two projects" in page
    assert f'value="{new_project.name}"' in page and "second try" in page


def test_admin_edits_disables_enables_and_deletes_a_project(admin_client, admin_sdk, new_project):
    new_name = unique("zt-idp-renamed")
    response = admin_client.post(
        f"/identity/projects/{new_project.id}/edit/", {"name": new_name, "description": "edited"}
    )
    assert response.status_code == 302
    fresh = admin_sdk.identity.get_project(new_project.id)
    assert (fresh.name, fresh.description) == (new_name, "edited")

    # the row's switch comes back to the page of the list it was on
    shown_on = f"/identity/projects/?name={new_name}&limit=10"
    response = admin_client.post(
        f"/identity/projects/{new_project.id}/enabled/?next={quote(shown_on)}", {"enabled": "0"}
    )
    assert response.status_code == 302 and response["Location"] == shown_on
    assert admin_sdk.identity.get_project(new_project.id).is_enabled is False
    row = _row(_text(admin_client.get(shown_on)), new_project.id)
    assert 'badge text-bg-secondary">No<' in row and 'name="enabled" value="1"' in row
    # and the list filtered on disabled projects shows it
    assert new_project.id in _text(admin_client.get("/identity/projects/", {"name": new_name, "enabled": "false"}))
    assert new_project.id not in _text(admin_client.get("/identity/projects/", {"name": new_name, "enabled": "true"}))
    admin_client.post(f"/identity/projects/{new_project.id}/enabled/", {"enabled": "1"})
    assert admin_sdk.identity.get_project(new_project.id).is_enabled is True

    response = admin_client.post(f"/identity/projects/{new_project.id}/delete/", {"name": new_name}, follow=True)
    assert f"Project {new_name} deleted." in _text(response)
    with pytest.raises(sdk_exc.NotFoundException):
        admin_sdk.identity.get_project(new_project.id)


def test_admin_cannot_delete_or_disable_the_project_they_work_in(admin_client, admin_sdk):
    admin_project = admin_client.session["keystone"]["project_id"]
    response = admin_client.post(f"/identity/projects/{admin_project}/delete/", {"name": "admin"}, follow=True)
    assert "switch to another project before deleting it" in _text(response)
    response = admin_client.post(f"/identity/projects/{admin_project}/enabled/", {"enabled": "0"}, follow=True)
    assert "switch to another project before disabling it" in _text(response)
    assert admin_sdk.identity.get_project(admin_project).is_enabled


def test_a_project_created_unticked_is_disabled(admin_client, admin_sdk, cleanup):
    name = unique("zt-idp")
    admin_client.post("/identity/projects/create/", {"name": name, "description": ""})
    project = _project_by_name(admin_sdk, name)
    cleanup.delete("project", project.id)
    assert project.is_enabled is False


def test_missing_project_user_and_group_are_clear_404s(admin_client):
    missing = "0000000000000000000000000000dead"
    for url, subject in (
        (f"/identity/projects/{missing}/", "The project"),
        (f"/identity/projects/{missing}/quotas/", "The project"),
        (f"/identity/users/{missing}/edit/", "The user"),
        (f"/identity/groups/{missing}/", "The group"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 404, url
        assert f"{subject} was not found" in _text(response), url


# --- role assignments -----------------------------------------------------------------------------


def test_admin_gives_and_removes_a_role_on_the_project_page(admin_client, admin_sdk, new_project, new_user):
    member = _role_id(admin_sdk, "member")
    response = admin_client.post(
        f"/identity/projects/{new_project.id}/members/add/", {"actor": f"user:{new_user.id}", "role": member}
    )
    assert response.status_code == 302
    assert _roles_of(admin_sdk, new_project.id, user_id=new_user.id) == {"member"}
    # the page shows its members and the form giving a role (the users, groups and roles to choose from)
    page = _page(admin_client, f"/identity/projects/{new_project.id}/")
    assert f'data-actor="{new_user.name}" data-role="member"' in page
    assert f"Remove the role member of {new_user.name} in {new_project.name}?" in page
    form = re.search(r'<form[^>]*id="assignment-form".*?</form>', page, re.S).group(0)
    assert f'value="user:{new_user.id}"' in form and f'value="{member}"' in form

    admin_client.post(
        f"/identity/projects/{new_project.id}/members/remove/", {"role_id": member, "user_id": new_user.id}
    )
    assert _roles_of(admin_sdk, new_project.id, user_id=new_user.id) == set()
    assert "Nobody has a role in this project yet." in _page(admin_client, f"/identity/projects/{new_project.id}/")


def test_a_group_gets_a_role_on_a_project(admin_client, admin_sdk, new_project, cleanup):
    group = admin_sdk.identity.create_group(name=unique("zt-idg"), domain_id="default")
    cleanup.delete("group", group.id)
    reader = _role_id(admin_sdk, "reader")
    admin_client.post(
        f"/identity/projects/{new_project.id}/members/add/", {"actor": f"group:{group.id}", "role": reader}
    )
    assert _roles_of(admin_sdk, new_project.id, group_id=group.id) == {"reader"}
    page = _page(admin_client, f"/identity/projects/{new_project.id}/")
    assert f'data-actor="{group.name}" data-role="reader"' in page


def test_removing_a_role_nobody_has_shows_keystones_answer(admin_client, admin_sdk, new_project, new_user):
    member = _role_id(admin_sdk, "member")
    response = admin_client.post(
        f"/identity/projects/{new_project.id}/members/remove/",
        {"role_id": member, "user_id": new_user.id},
        HTTP_REFERER=f"http://testserver/identity/projects/{new_project.id}/",
        follow=True,
    )
    assert response.status_code == 200
    assert "was not found" in _text(response)


# --- users ----------------------------------------------------------------------------------------


def test_admin_creates_a_user_with_a_primary_project_and_role(admin_client, admin_sdk, new_project, cleanup):
    name = unique("zt-idu")
    member = _role_id(admin_sdk, "member")
    response = admin_client.post(
        "/identity/users/create/",
        {
            "name": name,
            "email": f"{name}@example.org",
            "password": "Secret-123",
            "confirm": "Secret-123",
            "project": new_project.id,
            "role": member,
        },
    )
    user = next(iter(admin_sdk.identity.users(name=name)), None)
    assert user is not None, _text(response)[:2000]
    cleanup.delete("user", user.id)
    assert response.status_code == 302
    assert user.email == f"{name}@example.org" and user.default_project_id == new_project.id
    assert _roles_of(admin_sdk, new_project.id, user_id=user.id) == {"member"}
    # the list shows the user with their default project's name and their roles
    row = _row(_page(admin_client, f"/identity/users/?name={name}"), user.id)
    assert name in row and f"<td>{new_project.name}</td>" in row
    assert f">{new_project.name}: member</td>" in row
    # and the user can log in with that password, straight into the project
    fresh = Client()
    response = login(fresh, name, password="Secret-123")
    assert response.status_code == 302
    assert fresh.session["keystone"]["project_id"] == new_project.id


def test_password_confirmation_must_match_and_input_is_kept(admin_client, admin_sdk):
    name = unique("zt-idu")
    response = admin_client.post(
        "/identity/users/create/", {"name": name, "email": "", "password": "one-1", "confirm": "two-2"}
    )
    assert response.status_code == 400
    assert "The two passwords differ." in _text(response)
    assert f'value="{name}"' in _text(response)
    assert next(iter(admin_sdk.identity.users(name=name)), None) is None


def test_duplicate_user_name_shows_keystones_conflict(admin_client, new_user):
    response = admin_client.post(
        "/identity/users/create/", {"name": new_user.name, "password": "Secret-123", "confirm": "Secret-123"}
    )
    assert response.status_code == 400
    assert "Identity (Keystone) refused" in _text(response) and "Conflict occurred" in _text(response)


def test_user_forms_show_their_choices_in_the_page(admin_client, admin_sdk, new_user, new_project):
    admin_sdk.identity.update_user(new_user, default_project_id=new_project.id)
    page = _page(admin_client, f"/identity/users/{new_user.id}/edit/")
    assert f'<option value="{new_project.id}" selected>{new_project.name}</option>' in page
    # creating: the projects and roles, member chosen
    page = _page(admin_client, "/identity/users/create/")
    member = _role_id(admin_sdk, "member")
    assert f'<option value="{new_project.id}">{new_project.name}</option>' in page
    assert f'<option value="{member}" selected>member</option>' in page


def test_admin_edits_a_user_and_changes_the_password(admin_client, admin_sdk, new_user, new_project):
    response = admin_client.post(
        f"/identity/users/{new_user.id}/edit/",
        {"email": "changed@example.org", "description": "edited", "default_project": new_project.id},
    )
    assert response.status_code == 302
    fresh = admin_sdk.identity.get_user(new_user.id)
    assert (fresh.email, fresh.description, fresh.default_project_id) == (
        "changed@example.org",
        "edited",
        new_project.id,
    )
    # no default project any more
    admin_client.post(f"/identity/users/{new_user.id}/edit/", {"email": "changed@example.org", "default_project": ""})
    assert not admin_sdk.identity.get_user(new_user.id).default_project_id
    response = admin_client.post(
        f"/identity/users/{new_user.id}/password/", {"password": "Other-456", "confirm": "Other-456"}
    )
    assert response.status_code == 302
    # Keystone now takes the new password and refuses the old one
    keystone.password_login(new_user.name, "Other-456", "Default")
    with pytest.raises(keystone.LoginFailed):
        keystone.password_login(new_user.name, "Secret-123", "Default")


def test_admin_disables_enables_and_deletes_a_user(admin_client, admin_sdk, new_user):
    admin_client.post(f"/identity/users/{new_user.id}/enabled/", {"enabled": "0"})
    assert admin_sdk.identity.get_user(new_user.id).is_enabled is False
    with pytest.raises(keystone.LoginFailed):
        keystone.password_login(new_user.name, "Secret-123", "Default")
    admin_client.post(f"/identity/users/{new_user.id}/enabled/", {"enabled": "1"})
    assert admin_sdk.identity.get_user(new_user.id).is_enabled is True
    response = admin_client.post(f"/identity/users/{new_user.id}/delete/", {"name": new_user.name}, follow=True)
    assert f"User {new_user.name} deleted." in _text(response)
    with pytest.raises(sdk_exc.NotFoundException):
        admin_sdk.identity.get_user(new_user.id)


def test_admin_cannot_delete_or_disable_themselves(admin_client, admin_sdk):
    me = admin_client.session["keystone"]["user_id"]
    response = admin_client.post(f"/identity/users/{me}/delete/", {"name": "admin"}, follow=True)
    assert "You cannot delete your own user" in _text(response)
    response = admin_client.post(f"/identity/users/{me}/enabled/", {"enabled": "0"}, follow=True)
    assert "You cannot disable your own user" in _text(response)
    assert admin_sdk.identity.get_user(me).is_enabled


# --- groups ---------------------------------------------------------------------------------------


def test_admin_manages_a_group_and_its_members(admin_client, admin_sdk, new_user, cleanup):
    name = unique("zt-idg")
    response = admin_client.post("/identity/groups/create/", {"name": name, "description": "team"})
    group = next(iter(admin_sdk.identity.groups(name=name)), None)
    assert group is not None, _text(response)[:2000]
    cleanup.delete("group", group.id)
    assert name in _row(_text(admin_client.get("/identity/groups/", {"name": name})), group.id)

    admin_client.post(f"/identity/groups/{group.id}/members/add/", {"user": new_user.id})
    assert [u.id for u in admin_sdk.identity.group_users(group.id)] == [new_user.id]
    page = _text(admin_client.get(f"/identity/groups/{group.id}/"))
    assert f'<tr data-name="{new_user.name}">' in page

    admin_client.post(f"/identity/groups/{group.id}/members/remove/", {"user": new_user.id})
    assert list(admin_sdk.identity.group_users(group.id)) == []

    renamed = unique("zt-idg")
    admin_client.post(f"/identity/groups/{group.id}/edit/", {"name": renamed, "description": "renamed"})
    assert admin_sdk.identity.get_group(group.id).name == renamed

    admin_client.post(f"/identity/groups/{group.id}/delete/", {"name": renamed})
    with pytest.raises(sdk_exc.NotFoundException):
        admin_sdk.identity.get_group(group.id)


def test_roles_page_counts_assignments(admin_client, admin_sdk):
    page = _page(admin_client, "/identity/roles/")
    for role in ("admin", "member", "reader"):
        assert f"<td>{role}</td>" in page
    # every role's count in its row, and the projects' table beside
    member = _role_id(admin_sdk, "member")
    assert re.search(r"<td>[1-9]\d*</td>", _row(page, member))
    # demo is member of demo: the demo project has at least one assignment
    assert re.search(r">demo</a></td><td>[1-9]\d*</td>", page)


def test_projects_members_are_counted_in_the_page(admin_client, admin_sdk, new_project, new_user):
    admin_sdk.identity.assign_project_role_to_user(new_project, new_user, _role_id(admin_sdk, "member"))
    admin_sdk.identity.assign_project_role_to_user(new_project, new_user, _role_id(admin_sdk, "reader"))
    row = _row(_page(admin_client, f"/identity/projects/?name={new_project.name}"), new_project.id)
    # one member with two roles counts once
    assert "<td>1</td>" in row


def test_the_part_addresses_are_gone(admin_client, new_project):
    for url in (
        "/identity/projects/-/members/",
        "/identity/users/-/roles/",
        "/identity/users/-/choices/?form=create",
        "/identity/roles/-/counts/",
        f"/identity/projects/{new_project.id}/assign-form/",
        f"/identity/projects/{new_project.id}/quotas/network/",
    ):
        assert admin_client.get(url, HTTP_HX_REQUEST="true").status_code in (404, 405), url


# --- who may use these pages ----------------------------------------------------------------------

GET_PAGES = [
    ("project_list", 0),
    ("project_create", 0),
    ("project_detail", 1),
    ("project_edit", 1),
    ("project_quotas", 1),
    ("user_list", 0),
    ("user_create", 0),
    ("user_edit", 1),
    ("user_password", 1),
    ("group_list", 0),
    ("group_create", 0),
    ("group_detail", 1),
    ("group_edit", 1),
    ("role_list", 0),
]
POST_ONLY = [
    "project_enabled",
    "project_delete",
    "assignment_add",
    "assignment_remove",
    "user_enabled",
    "user_delete",
    "group_delete",
    "group_member_add",
    "group_member_remove",
]


def test_demo_gets_403_on_every_identity_page_and_post(demo_client, demo_sdk, admin_sdk):
    demo_project = demo_client.session["keystone"]["project_id"]
    demo_user = demo_client.session["keystone"]["user_id"]
    before = admin_sdk.identity.get_project(demo_project)
    ident = demo_project
    for name, nargs in GET_PAGES:
        url = reverse(f"identity:{name}", args=[ident] * nargs)
        assert demo_client.get(url).status_code == 403, url
        response = demo_client.post(url, {"name": "hijack", "enabled": "0", "password": "x", "confirm": "x"})
        assert response.status_code == 403, url
        assert "Not allowed" in _text(response)
    for name in POST_ONLY:
        url = reverse(f"identity:{name}", args=[demo_user if name.startswith("user") else ident])
        assert demo_client.post(url, {"enabled": "0", "user": demo_user}).status_code == 403, url
        assert demo_client.get(url).status_code == 403, url
    after = admin_sdk.identity.get_project(demo_project)
    assert (after.name, after.is_enabled) == (before.name, before.is_enabled)
    assert admin_sdk.identity.get_user(demo_user).is_enabled


def test_admin_nav_links_lead_to_working_pages(admin_client):
    for url in ("/identity/projects/", "/identity/users/", "/identity/groups/", "/identity/roles/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert f'href="{url}"' in _text(response)


def test_bad_posts_are_explained_not_500s(admin_client, admin_sdk, new_project, cleanup):
    group = admin_sdk.identity.create_group(name=unique("zt-idg"), domain_id="default")
    cleanup.delete("group", group.id)
    back = {"HTTP_REFERER": f"http://testserver/identity/groups/{group.id}/"}
    response = admin_client.post(
        f"/identity/groups/{group.id}/members/add/", {"user": "0000000000000000000000000000dead"}, follow=True, **back
    )
    assert response.status_code == 200 and "was not found" in _text(response)
    response = admin_client.post(
        f"/identity/projects/{new_project.id}/members/add/", {"actor": "user:nobody", "role": "x"}, follow=True
    )
    assert response.status_code == 200 and "Choose a user or group and a role." in _text(response)
    response = admin_client.post("/identity/projects/create/", {})
    assert response.status_code == 400 and "This field is required." in _text(response)
