"""The page frame shows only what the user may use."""

from django.test import RequestFactory

from dashboard.accounts.state import KeystoneUser
from dashboard.ui.context import navigation


def frame_for(**user):
    request = RequestFactory().get("/project/")
    request.keystone = KeystoneUser(user_id="u1", username="someone", **user)
    return navigation(request)


def test_member_sees_project_panels_but_no_admin_area():
    frame = frame_for(project_id="p1", roles=["member", "reader"])
    assert any(url == "/project/instances/" for _, url, _ in frame["project_nav"])
    assert frame["admin_nav"] == []


def test_admin_role_opens_the_admin_area():
    frame = frame_for(project_id="p1", roles=["admin", "member"])
    assert "/admin/overview/" in [url for _, url, _ in frame["admin_nav"]]


def test_region_picker_only_with_several_regions():
    assert frame_for(project_id="p1", regions=["RegionOne"])["show_region_picker"] is False
    assert frame_for(project_id="p1", regions=["RegionOne", "RegionTwo"])["show_region_picker"] is True


def test_user_without_project_gets_no_panels():
    frame = frame_for(project_id="", roles=[])
    assert frame["project_nav"] == [] and frame["admin_nav"] == []


def test_anonymous_gets_no_frame():
    request = RequestFactory().get("/auth/login/")
    request.keystone = KeystoneUser()
    assert navigation(request) == {"zenith_user": None}


def test_the_page_marks_its_own_entry_only():
    from dashboard.ui.context import active_url

    assert active_url("/project/") == "/project/"
    assert active_url("/project/instances/abc/") == "/project/instances/"
    assert active_url("/project/usage/") == "/project/usage/"
    assert active_url("/identity/users/u1/edit/") == "/identity/users/"
    assert active_url("/auth/login/") == ""
