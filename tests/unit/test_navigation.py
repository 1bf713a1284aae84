"""The page frame shows only what the user may use."""

from django.test import RequestFactory

from dashboard.cloud.credentials import Credentials
from dashboard.ui.context import navigation


def frame_for(cookies=None, **user):
    request = RequestFactory().get("/project/")
    request.COOKIES.update(cookies or {})
    request.keystone = Credentials(user_id="u1", username="someone", **user)
    return navigation(request)


def groups_of(frame) -> dict[str, list[str]]:
    return {g.group.key: [url for _label, url, _icon in g.entries] for g in frame["nav_groups"]}


def test_member_sees_project_panels_by_service_but_no_admin_area():
    groups = groups_of(frame_for(project_id="p1", roles=["member", "reader"]))
    assert list(groups) == ["compute", "volumes", "network", "object-store"]
    assert groups["compute"] == ["/project/", "/project/instances/", "/project/images/", "/project/usage/"]
    assert groups["volumes"][0] == "/project/volumes/" and "/project/volumes/types/" in groups["volumes"]
    assert groups["network"][0] == "/project/topology/" and "/project/floating-ips/" in groups["network"]
    assert groups["object-store"] == ["/project/containers/"]


def test_admin_role_opens_the_admin_and_identity_groups():
    groups = groups_of(frame_for(project_id="p1", roles=["admin", "member"]))
    assert list(groups)[-2:] == ["admin", "identity"]
    assert "/admin/overview/" in groups["admin"] and "/identity/users/" in groups["identity"]


def test_an_entry_names_a_declared_group():
    import pytest

    from dashboard.ui.nav import NavEntry

    with pytest.raises(ValueError, match="no navigation group"):
        NavEntry("Stacks", "stacks:list", "stack", group="heat")


def test_the_folded_groups_are_read_from_the_cookie_known_keys_only():
    frame = frame_for({"zenith_nav_folded": "volumes.nope.network..<b>"}, project_id="p1", roles=["member"])
    assert frame["nav_folded"] == {"volumes", "network"}
    assert frame_for(project_id="p1", roles=["member"])["nav_folded"] == frozenset()


def catalog_in(*regions: str) -> dict:
    """A token document whose catalog has a compute endpoint in each region."""
    endpoints = [{"region_id": r, "interface": "public", "url": f"https://{r}.example/"} for r in regions]
    return {"token": {"catalog": [{"type": "compute", "endpoints": endpoints}]}}


def test_region_picker_only_with_several_regions():
    assert frame_for(project_id="p1", token_body=catalog_in("RegionOne"))["show_region_picker"] is False
    two = frame_for(project_id="p1", token_body=catalog_in("RegionOne", "RegionTwo", "RegionOne"))
    assert two["show_region_picker"] is True


def test_user_without_project_gets_no_panels():
    frame = frame_for(project_id="", roles=["admin"])
    assert frame["nav_groups"] == ()


def test_anonymous_gets_no_frame():
    request = RequestFactory().get("/auth/login/")
    request.keystone = Credentials()
    assert navigation(request) == {"zenith_user": None}


def test_the_page_marks_its_own_entry_only():
    from dashboard.ui.context import active_url

    assert active_url("/project/") == "/project/"
    assert active_url("/project/instances/abc/") == "/project/instances/"
    assert active_url("/project/usage/") == "/project/usage/"
    assert active_url("/identity/users/u1/edit/") == "/identity/users/"
    assert active_url("/auth/login/") == ""


def _sidebar(path: str, cookies=None, **user) -> str:
    from django.template import engines
    from django.utils import translation

    request = RequestFactory().get(path)
    request.COOKIES.update(cookies or {})
    request.keystone = Credentials(user_id="u1", username="someone", **user)
    with translation.override("en"):
        return engines["django"].from_string("{% load zenith_kit %}{% sidebar %}").render({}, request)


def test_the_sidebar_marks_the_pages_entry_and_shows_the_admin_area_to_admins_only():
    member = _sidebar("/project/volumes/snapshots/", project_id="p1", roles=["member"])
    assert '<a class="nav-link active" href="/project/volumes/snapshots/" aria-current="page">' in member
    assert member.count("active") == 1 and 'href="/project/volumes/"' in member
    assert 'id="nav-admin"' not in member and "/admin/overview/" not in member
    assert 'id="nav-identity"' not in member and "/identity/users/" not in member
    admin = _sidebar("/admin/hypervisors/", project_id="p1", roles=["admin"])
    assert 'id="nav-admin"' in admin and 'id="nav-identity"' in admin
    assert '<a class="nav-link active" href="/admin/hypervisors/" aria-current="page">' in admin
    assert _sidebar("/auth/no-project/", project_id="", roles=[]) == ""


def test_the_sidebar_speaks_the_pages_language():
    from django.template import engines
    from django.utils import translation

    request = RequestFactory().get("/project/")
    request.keystone = Credentials(user_id="u1", username="someone", project_id="p1", roles=["member"])
    template = engines["django"].from_string("{% load zenith_kit %}{% sidebar %}")
    with translation.override("fr"):
        french = template.render({}, request)
    with translation.override("en"):
        english = template.render({}, request)
    assert " Calcul</button>" in french and "Instances" in french
    assert " Compute</button>" in english and french != english


def test_the_sidebar_prints_folded_groups_folded_but_the_pages_group_open():
    import re

    def state(html: str, key: str) -> tuple[str, bool]:
        button = re.search(rf'<button class="zenith-nav-toggle[^"]*"[^>]*data-bs-target="#nav-{key}"[^>]*>', html)[0]
        group = re.search(rf'<ul class="nav flex-column collapse[^"]*" id="nav-{key}"', html)[0]
        return re.search(r'aria-expanded="(\w+)"', button)[1], " show" in group

    folded = {"zenith_nav_folded": "volumes.network"}
    page = _sidebar("/project/instances/", folded, project_id="p1", roles=["member"])
    assert state(page, "compute") == ("true", True)
    assert state(page, "volumes") == ("false", False) and state(page, "network") == ("false", False)
    assert 'class="zenith-nav-toggle collapsed"' in page
    # the page's own group opens though folded
    page = _sidebar("/project/volumes/backups/", folded, project_id="p1", roles=["member"])
    assert state(page, "volumes") == ("true", True) and state(page, "network") == ("false", False)
    assert state(_sidebar("/project/", project_id="p1", roles=["member"]), "network") == ("true", True)
