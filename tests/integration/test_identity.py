"""Identity admin pages: projects, users, groups and role assignments, against the real Keystone."""

import re

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


def _part(client, url: str) -> str:
    """A part a page loads with htmx after it (the counts and names the page does not wait for)."""
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, url
    return _text(response)


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
    listing = admin_client.get("/identity/projects/")
    assert listing.status_code == 200
    row = re.search(rf'<tr data-id="{project.id}" data-name="{name}">(.*?)</tr>', _text(listing), re.S)
    assert row and "made by a test" in row.group(1) and "Default" in row.group(1)


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

    admin_client.post(f"/identity/projects/{new_project.id}/enabled/", {"enabled": "0"})
    assert admin_sdk.identity.get_project(new_project.id).is_enabled is False
    listing = _text(admin_client.get("/identity/projects/"))
    assert re.search(rf'data-id="{new_project.id}".*?badge text-bg-secondary">No<', listing, re.S)
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
        (f"/identity/projects/{missing}/", "Project"),
        (f"/identity/projects/{missing}/quotas/", "Project"),
        (f"/identity/users/{missing}/edit/", "User"),
        (f"/identity/groups/{missing}/", "Group"),
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
    page = _text(admin_client.get(f"/identity/projects/{new_project.id}/"))
    # the members follow the page: the page asks for them, the part lists them
    members_url = f"/identity/projects/{new_project.id}/members/"
    assert f'hx-get="{members_url}"' in page and "assignments-table" not in page
    members = _part(admin_client, members_url)
    assert f'data-actor="{new_user.name}" data-role="member"' in members
    assert f"Remove the role member of {new_user.name} in {new_project.name}?" in members
    # the form giving a role follows the page (the users, groups and roles to choose from)
    form_url = f"/identity/projects/{new_project.id}/assign-form/"
    assert f'hx-get="{form_url}"' in page and 'id="assignment-form"' not in page
    form = _text(admin_client.get(form_url, headers={"HX-Request": "true"}))
    assert 'id="assignment-form"' in form and f'value="user:{new_user.id}"' in form and f'value="{member}"' in form

    admin_client.post(
        f"/identity/projects/{new_project.id}/members/remove/", {"role_id": member, "user_id": new_user.id}
    )
    assert _roles_of(admin_sdk, new_project.id, user_id=new_user.id) == set()
    assert "Nobody has a role in this project yet." in _part(admin_client, members_url)
    # asked without htmx (a bookmark), the part leads to the page
    response = admin_client.get(members_url)
    assert response.status_code == 302 and response["Location"] == f"/identity/projects/{new_project.id}/"


def test_a_group_gets_a_role_on_a_project(admin_client, admin_sdk, new_project, cleanup):
    group = admin_sdk.identity.create_group(name=unique("zt-idg"), domain_id="default")
    cleanup.delete("group", group.id)
    reader = _role_id(admin_sdk, "reader")
    admin_client.post(
        f"/identity/projects/{new_project.id}/members/add/", {"actor": f"group:{group.id}", "role": reader}
    )
    assert _roles_of(admin_sdk, new_project.id, group_id=group.id) == {"reader"}
    members = _part(admin_client, f"/identity/projects/{new_project.id}/members/")
    assert f'data-actor="{group.name}" data-role="reader"' in members


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
    listing = _text(admin_client.get("/identity/users/"))
    # the page shows the user at once; their default project's name and roles follow in its part
    assert f'data-name="{name}"' in listing and f'id="roles-{user.id}"' in listing
    assert 'hx-get="/identity/users/-/roles/"' in listing
    roles = _part(admin_client, "/identity/users/-/roles/")
    assert f'<span id="default-project-{user.id}" hx-swap-oob="true">{new_project.name}</span>' in roles
    assert f'<span id="roles-{user.id}" hx-swap-oob="true">{new_project.name}: member</span>' in roles
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


def test_user_forms_show_their_choices_after_the_page_and_a_form_sent_before_keeps_the_default_project(
    admin_client, admin_sdk, new_user, new_project
):
    admin_sdk.identity.update_user(new_user, default_project_id=new_project.id)
    page = _text(admin_client.get(f"/identity/users/{new_user.id}/edit/"))
    # the page waits for the user only: the default project is kept, by id, until the choices come
    assert re.search(rf'<option value="{new_project.id}" selected>…</option>', page)
    url = f"/identity/users/-/choices/?form=edit&amp;selected={new_project.id}"
    assert f'hx-get="{url}"' in page
    choices = _part(admin_client, url.replace("&amp;", "&"))
    assert 'id="id_default_project"' in choices and 'hx-swap-oob="true"' in choices
    assert f'<option value="{new_project.id}" selected>{new_project.name}</option>' in choices
    # the form sent as the page showed it (before its choices came) changes nothing of the project
    response = admin_client.post(
        f"/identity/users/{new_user.id}/edit/", {"email": "", "description": "", "default_project": new_project.id}
    )
    assert response.status_code == 302
    assert admin_sdk.identity.get_user(new_user.id).default_project_id == new_project.id
    # creating: the projects and roles come in the part, member chosen
    assert 'hx-get="/identity/users/-/choices/?form=create"' in _text(admin_client.get("/identity/users/create/"))
    choices = _part(admin_client, "/identity/users/-/choices/?form=create")
    member = _role_id(admin_sdk, "member")
    assert f'<option value="{new_project.id}">{new_project.name}</option>' in choices
    assert f'<option value="{member}" selected>member</option>' in choices
    assert admin_client.get("/identity/users/-/choices/?form=other", HTTP_HX_REQUEST="true").status_code == 404


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
    assert f'data-name="{name}"' in _text(admin_client.get("/identity/groups/"))

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
    response = admin_client.get("/identity/roles/")
    assert response.status_code == 200
    page = _text(response)
    for role in ("admin", "member", "reader"):
        assert f"<td>{role}</td>" in page
    # the counts follow in the page's part: every role's count by id, and the projects' table
    assert 'hx-get="/identity/roles/-/counts/"' in page
    counts = _part(admin_client, "/identity/roles/-/counts/")
    member = _role_id(admin_sdk, "member")
    assert re.search(rf'<span id="role-count-{member}" hx-swap-oob="true">[1-9]\d*</span>', counts)
    # demo is member of demo: the demo project has at least one assignment
    assert re.search(r">demo</a></td><td>[1-9]\d*</td>", counts)


def test_projects_members_are_counted_after_the_page(admin_client, admin_sdk, new_project, new_user):
    admin_sdk.identity.assign_project_role_to_user(new_project, new_user, _role_id(admin_sdk, "member"))
    admin_sdk.identity.assign_project_role_to_user(new_project, new_user, _role_id(admin_sdk, "reader"))
    listing = _text(admin_client.get("/identity/projects/"))
    assert f'<span id="members-{new_project.id}"' in listing
    members = _part(admin_client, "/identity/projects/-/members/")
    # one member with two roles counts once
    assert f'<span id="members-{new_project.id}" hx-swap-oob="true">1</span>' in members


def test_identity_parts_asked_without_htmx_lead_to_their_page(admin_client):
    for part, page in (
        ("/identity/projects/-/members/", "/identity/projects/"),
        ("/identity/users/-/roles/", "/identity/users/"),
        ("/identity/roles/-/counts/", "/identity/roles/"),
    ):
        response = admin_client.get(part)
        assert response.status_code == 302 and response["Location"] == page, part


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
    ("project_members", 0),
    ("user_roles", 0),
    ("role_counts", 0),
    ("user_choices", 0),
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
