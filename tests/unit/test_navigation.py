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


def _sidebar(path: str, **user) -> str:
    from django.template import engines
    from django.utils import translation

    request = RequestFactory().get(path)
    request.keystone = KeystoneUser(user_id="u1", username="someone", **user)
    with translation.override("en"):
        return engines["django"].from_string("{% load zenith_kit %}{% sidebar %}").render({}, request)


def test_the_sidebar_marks_the_pages_entry_and_shows_the_admin_area_to_admins_only():
    member = _sidebar("/project/volumes/snapshots/", project_id="p1", roles=["member"])
    assert '<a class="nav-link active" href="/project/volumes/snapshots/" aria-current="page">' in member
    assert member.count("active") == 1 and 'href="/project/volumes/"' in member
    assert 'id="admin-nav"' not in member and "/admin/overview/" not in member
    admin = _sidebar("/admin/hypervisors/", project_id="p1", roles=["admin"])
    assert 'id="admin-nav"' in admin
    assert '<a class="nav-link active" href="/admin/hypervisors/" aria-current="page">' in admin
    assert _sidebar("/auth/no-project/", project_id="", roles=[]) == ""


def test_the_sidebar_speaks_the_pages_language():
    from django.template import engines
    from django.utils import translation

    request = RequestFactory().get("/project/")
    request.keystone = KeystoneUser(user_id="u1", username="someone", project_id="p1", roles=["member"])
    template = engines["django"].from_string("{% load zenith_kit %}{% sidebar %}")
    with translation.override("fr"):
        french = template.render({}, request)
    with translation.override("en"):
        english = template.render({}, request)
    assert ">Projet</div>" in french and "Instances" in french
    assert ">Project</div>" in english and french != english
