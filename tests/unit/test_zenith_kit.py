"""The kit's pieces (dashboard/ui/jinja2/ui/kit.html, topbar.html, sidebar.html, through the zenith_kit
tags): what an object's actions, a status badge, a time and the frame print, escaping included, as
the pages' templates use them."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from dashboard.cloud.actions import Action
from dashboard.ui.actions import ActionLinks
from dashboard.ui.jinja import macros
from dashboard.ui.templatetags import zenith_kit

SERVER = "0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11"
OTHER = "6f1c2a44-1b0e-4c3e-8d7a-9a6e0c5d4b22"


def render(source: str, **context) -> str:
    with translation.override("en"):
        html = Template("{% load zenith_kit %}" + source).render(Context(context))
    return str(html).replace("&#34;", "&quot;")


def menu(obj, actions, back="/", busy="", language="en") -> str:
    with translation.override(language):
        html = macros("ui/kit.html").actions_menu(
            obj, actions, ActionLinks("instances:action", "instances"), back, busy
        )
    return str(html).replace("&#34;", "&quot;")


def test_actions_menu_posts_each_action_to_its_url_and_links_form_actions():
    actions = [
        Action("reboot", "Reboot", "arrow-repeat", confirm='Reboot "it"?'),
        Action("resize", "Resize", "arrows-angle-expand", form=True),
        Action("delete", "Delete", "trash", danger=True),
    ]
    html = menu(SimpleNamespace(id=SERVER, name="<web>"), actions, back="/project/instances/?page=2&sort=name")
    assert (
        f'formaction="/project/instances/{SERVER}/action/reboot/?next=/project/instances/%3Fpage%3D2%26sort%3Dname"'
        in html
    )
    assert 'data-confirm="Reboot &quot;it&quot;?"' in html
    assert 'value="&lt;web&gt;"' in html and "<web>" not in html
    assert f'href="/project/instances/{SERVER}/resize/" data-action="resize"' in html
    assert 'class="dropdown-item text-danger" data-action="delete"' in html
    assert html.count('form="object-action"') == 2  # the form action is a link, not a button


def test_each_row_gets_its_own_urls_from_one_set_of_links():
    links = ActionLinks("instances:action", "instances")
    reboot, resize = Action("reboot", "Reboot", "x"), Action("resize", "Resize", "x", form=True)
    for server_id in (SERVER, OTHER, SERVER.upper()):
        row = SimpleNamespace(id=server_id)
        assert links.post_url(reboot, row, "/") == reverse("instances:action", args=[server_id, "reboot"]) + "?next=/"
        assert links.form_url(resize, row) == reverse("instances:resize", args=[server_id])


def test_ids_that_are_not_plain_are_reversed_as_they_are():
    # a Swift container name is quoted as reverse() quotes it, never spliced into a path made for another
    links = ActionLinks("containers:action", "containers")
    name = SimpleNamespace(id="a b é")
    url = links.post_url(Action("delete", "Delete", "trash"), name)
    assert url.startswith(reverse("containers:action", args=["a b é", "delete"]))
    assert "a%20b%20%C3%A9" in url


def test_links_follow_the_script_prefix_they_are_made_under():
    set_script_prefix("/zenith/")
    try:
        url = ActionLinks("instances:action", "instances").post_url(
            Action("stop", "Stop", "x"), SimpleNamespace(id=SERVER)
        )
    finally:
        set_script_prefix("/")
    assert url.startswith(f"/zenith/project/instances/{SERVER}/action/stop/")


def test_a_rows_menu_is_the_kits_menu_with_its_own_id_and_name():
    # ActionLinks.menu prints a menu once per set of actions and puts each row's id and name in
    links = ActionLinks("instances:action", "instances")
    reboot = Action("reboot", "Reboot", "arrow-repeat", confirm="Reboot it?")
    resize = Action("resize", "Resize", "arrows-angle-expand", form=True)
    rows = [
        SimpleNamespace(obj=SimpleNamespace(id=SERVER, name='<a "b" & c>'), actions=[reboot, resize], busy=""),
        SimpleNamespace(obj=SimpleNamespace(id=OTHER, name="web"), actions=[reboot, resize], busy=""),
        SimpleNamespace(obj=SimpleNamespace(id=OTHER.upper(), name=None), actions=[reboot], busy=""),
        SimpleNamespace(obj=SimpleNamespace(id=OTHER.upper(), name=0), actions=[reboot], busy=""),
        SimpleNamespace(obj=SimpleNamespace(id="a" * 36, name="x"), actions=[reboot], busy=""),
        SimpleNamespace(obj=SimpleNamespace(id=SERVER, name="busy"), actions=[], busy="Rebooting"),
    ]
    printed = []
    with translation.override("en"):
        for row in rows:
            row.back = "/project/instances/?page=2"
            printed.append(str(links.menu(row)).replace("&#34;", "&quot;"))
            assert printed[-1] == menu(row.obj, row.actions, back=row.back, busy=row.busy)
    assert f"/{SERVER}/action/reboot/" in printed[0] and "&lt;a &quot;b&quot; &amp; c&gt;" in printed[0]
    assert f"/{OTHER}/action/reboot/" in printed[1] and "No action possible while rebooting." in printed[-1]
    assert 'name="name" value=""' in printed[2]  # no name: nothing, not "None"


def test_actions_menu_without_actions_says_why():
    assert "No action possible while rebooting." in menu(SimpleNamespace(id=SERVER), [], busy="Rebooting")
    assert "No action possible." in menu(SimpleNamespace(id=SERVER), [])


def test_actions_menu_in_french():
    html = menu(SimpleNamespace(id=SERVER), [], busy="Redémarrage", language="fr")
    assert "Aucune action possible dans l’état « redémarrage »." in html
    assert ">Actions<" in html or "Actions" in html


def test_action_buttons_on_a_detail_page():
    html = render(
        '{% action_buttons obj=s action_url="instances:action" form_ns="instances" buttons_id="instance-actions" %}',
        s=SimpleNamespace(id=SERVER, name="web"),
        actions=[Action("stop", "Stop", "stop"), Action("delete", "Delete", "trash", danger=True)],
        back=f"/project/instances/{SERVER}/",
    )
    assert 'id="instance-actions" data-testid="instance-actions"' in html
    assert 'class="btn btn-sm btn-outline-danger" data-action="delete"' in html
    assert f"/action/stop/?next=/project/instances/{SERVER}/" in html
    busy = render(
        '{% action_buttons obj=s action_url="instances:action" form_ns="instances" busy="Resizing" %}',
        s=SimpleNamespace(id=SERVER),
        actions=[],
    )
    assert "No action is possible while it is resizing." in busy


def test_status_badge_escapes_and_shows_the_task():
    html = render('{% status_badge status="ACTIVE" words=w tone="success" task=t %}', w="<b>Active</b>", t="Rebooting")
    assert (
        'class="badge status-badge text-bg-success" data-testid="status" title="ACTIVE">&lt;b&gt;Active&lt;/b&gt;'
        in html
    )
    assert 'data-testid="task"' in html and "Rebooting" in html
    plain = render('{% status_badge status="X" words="X" %}')
    assert "text-bg-info" in plain and "task" not in plain


def test_age_says_how_long_ago_with_the_exact_time_as_title():
    when = datetime.now(UTC) - timedelta(hours=3, minutes=5)
    html = render("{% age t %}", t=when)
    assert "3\xa0hours, 5\xa0minutes" in html and f'title="{when.isoformat()}"' in html
    with translation.override("fr"):
        french = Template("{% load zenith_kit %}{% age t %}").render(Context({"t": when}))
    assert "3\xa0heures" in french
    assert render("{% age t %}", t=None) == ""


# --- the frame -------------------------------------------------------------------------------------


def _user(name, projects, current=0, regions=("RegionOne",)):
    return SimpleNamespace(
        username=name,
        project_id=projects[current]["id"] if projects else "",
        project_name=projects[current]["name"] if projects else "",
        has_project=bool(projects),
        projects=projects,
        region=regions[0],
        regions=list(regions),
    )


def _bar(user, path="/project/", picker=False, language="en", csrf="TOKEN123abc"):
    """The kept top bar, and the same printed directly from the template."""
    request = RequestFactory().get(path)
    context = {"zenith_user": user, "request": request, "show_region_picker": picker, "csrf_token": csrf}
    with translation.override(language):
        kept = Template("{% load zenith_kit %}{% topbar %}").render(Context(context))
        values = (
            language,
            "/",
            user.username,
            user.project_id,
            user.project_name,
            user.has_project,
            tuple((p["id"], p["name"]) for p in user.projects),
            user.region,
            tuple(user.regions),
            picker,
        )
        direct = zenith_kit.topbar_html(values, csrf, request.get_full_path())
    return str(kept), str(direct)


def test_the_top_bar_is_kept_per_user_and_gets_each_requests_token_and_path():
    alice = _user("alice", [{"id": "p1", "name": "web <prod>"}, {"id": "p2", "name": 'db "x"'}])
    bob = _user("bob", [{"id": "p3", "name": "lab"}])
    path = '/project/volumes/?name=a"b<c>&page=2'
    for user, csrf in ((alice, "A" * 32), (bob, "B" * 32), (alice, "C" * 32)):
        kept, direct = _bar(user, path, csrf=csrf)
        assert kept == direct
        # the page's one token in each of its forms: project switch, language, log out
        assert kept.count(f'name="csrfmiddlewaretoken" value="{csrf}"') == 3
        assert 'name="next" value="/project/volumes/?name=a%22b%3Cc%3E&amp;page=2"' in kept
        assert zenith_kit.CSRF_MARK not in kept and zenith_kit.HERE_MARK not in kept
    alices, bobs = _bar(alice)[0], _bar(bob)[0]
    assert "web &lt;prod&gt;" in alices and "<prod>" not in alices
    assert "web" not in bobs and "lab" in bobs and "alice" not in bobs


def test_the_top_bar_follows_language_project_and_regions():
    projects = [{"id": "p1", "name": "one"}, {"id": "p2", "name": "two"}]
    first, second = _user("u", projects, 0), _user("u", projects, 1)
    assert _bar(first)[0] != _bar(second)[0]
    assert 'value="p2" class="dropdown-item active text-truncate"' in _bar(second)[0]
    english, french = _bar(first)[0], _bar(first, language="fr")[0]
    assert "Log out" in english and "Se déconnecter" in french
    kept, direct = _bar(_user("u", projects, regions=("RegionOne", "RegionTwo")), picker=True)
    assert kept == direct and 'value="RegionTwo"' in kept and 'name="region"' in kept
    kept, direct = _bar(_user("lonely", []))
    assert kept == direct and "project-switcher" not in kept and "lonely" in kept


def test_a_top_bar_without_a_token_is_printed_not_kept():
    kept, direct = _bar(_user("u", [{"id": "p1", "name": "one"}]), csrf="")
    assert kept == direct and zenith_kit.CSRF_MARK not in kept


def test_the_sidebar_marks_the_pages_entry_and_shows_the_admin_section_to_admins():
    from dashboard.ui.nav import groups

    instances = reverse("instances:list")
    html = render("{% sidebar %}", nav_groups=groups(admin=True), active_nav=instances)
    assert f'<a class="nav-link active" href="{instances}" aria-current="page">' in html
    assert 'id="nav-admin"' in html and 'id="nav-identity"' in html
    member = render("{% sidebar %}", nav_groups=groups(admin=False), active_nav="")
    assert 'id="nav-admin"' not in member and "active" not in member
