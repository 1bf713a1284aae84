"""The kit's row tags (dashboard/ui/templatetags/zenith_kit.py): what a row's actions menu and status
badge print, escaping included, as the pages' templates use them."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from dashboard.cloud.actions import Action
from dashboard.ui.templatetags import zenith_kit

SERVER = "0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11"
OTHER = "6f1c2a44-1b0e-4c3e-8d7a-9a6e0c5d4b22"


def render(source: str, **context) -> str:
    with translation.override("en"):
        return Template("{% load zenith_kit %}" + source).render(Context(context))


def test_actions_menu_posts_each_action_to_its_url_and_links_form_actions():
    actions = [
        Action("reboot", "Reboot", "arrow-repeat", confirm='Reboot "it"?'),
        Action("resize", "Resize", "arrows-angle-expand", form=True),
        Action("delete", "Delete", "trash", danger=True),
    ]
    html = render(
        '{% actions_menu obj=server action_url="instances:action" form_ns="instances" %}',
        server=SimpleNamespace(id=SERVER, name="<web>"),
        actions=actions,
        back="/project/instances/?page=2&sort=name",
    )
    assert (
        f'formaction="/project/instances/{SERVER}/action/reboot/?next=/project/instances/%3Fpage%3D2%26sort%3Dname"'
        in html
    )
    assert 'data-confirm="Reboot &quot;it&quot;?"' in html
    assert 'value="&lt;web&gt;"' in html and "<web>" not in html
    assert f'href="/project/instances/{SERVER}/resize/" data-action="resize"' in html
    assert 'class="dropdown-item text-danger" data-action="delete"' in html
    assert html.count('form="object-action"') == 2  # the form action is a link, not a button


def test_actions_menu_builds_each_rows_own_urls():
    # the path around the id is reversed once per URL name and action: every row gets its own id
    actions = [Action("reboot", "Reboot", "arrow-repeat")]
    first, second = (
        render(
            '{% actions_menu obj=s action_url="instances:action" form_ns="instances" %}',
            s=SimpleNamespace(id=server_id, name="x"),
            actions=actions,
            back="/",
        )
        for server_id in (SERVER, OTHER)
    )
    assert f"/project/instances/{SERVER}/action/reboot/" in first and OTHER not in first
    assert f"/project/instances/{OTHER}/action/reboot/" in second and SERVER not in second


def test_path_reverses_ids_that_are_not_plain():
    # a Swift container name is quoted as reverse() quotes it, never spliced into a cached path
    assert zenith_kit._path("containers:action", "a b é", "delete") == zenith_kit.reverse(
        "containers:action", args=["a b é", "delete"]
    )
    assert "a%20b%20%C3%A9" in zenith_kit._path("containers:action", "a b é", "delete")


def test_actions_menu_without_actions_says_why():
    busy = render(
        '{% actions_menu obj=s action_url="instances:action" form_ns="instances" busy="Rebooting" %}',
        s=SimpleNamespace(id=SERVER, name="x"),
        actions=[],
    )
    assert "No action possible while rebooting." in busy
    idle = render('{% actions_menu obj=s action_url="a" form_ns="b" actions=none %}', s=SimpleNamespace(id=SERVER))
    assert "No action possible." in idle


def test_actions_menu_in_french():
    with translation.override("fr"):
        html = Template(
            '{% load zenith_kit %}{% actions_menu obj=s action_url="a" form_ns="b" busy="Redémarrage" %}'
        ).render(Context({"s": SimpleNamespace(id=SERVER), "actions": []}))
    assert "Aucune action possible dans l’état « redémarrage »." in html


def test_status_badge_escapes_and_shows_the_task():
    html = render('{% status_badge status="ACTIVE" words=w tone="success" task=t %}', w="<b>Active</b>", t="Rebooting")
    assert (
        'class="badge status-badge text-bg-success" data-testid="status" title="ACTIVE">&lt;b&gt;Active&lt;/b&gt;'
        in html
    )
    assert 'data-testid="task"' in html and "Rebooting" in html
    plain = render('{% status_badge status="X" words="X" %}')
    assert "text-bg-info" in plain and "task" not in plain


# --- the top bar, kept per user, project and language -----------------------------------------------


def _bar(user, path="/project/", csrf="TOKEN123abc", picker=False, language="en"):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    context = {"zenith_user": user, "request": request, "csrf_token": csrf, "show_region_picker": picker}
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
        direct = zenith_kit._topbar_html(values, csrf, request.get_full_path())
    return kept, direct


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


def test_the_top_bar_is_kept_per_user_and_gets_each_requests_token_and_path():
    alice = _user("alice", [{"id": "p1", "name": "web <prod>"}, {"id": "p2", "name": 'db "x"'}])
    bob = _user("bob", [{"id": "p3", "name": "lab"}])
    path = '/project/volumes/?name=a"b<c>&page=2'
    for user, csrf in ((alice, "A" * 32), (bob, "B" * 32), (alice, "C" * 32)):
        kept, direct = _bar(user, path, csrf)
        assert kept == direct
        assert f'name="csrfmiddlewaretoken" value="{csrf}"' in kept
        assert 'name="next" value="/project/volumes/?name=a%22b%3Cc%3E&amp;page=2"' in kept
        assert zenith_kit.CSRF_MARK not in kept and zenith_kit.HERE_MARK not in kept
    alices, bobs = _bar(alice)[0], _bar(bob)[0]
    assert "web &lt;prod&gt;" in alices and "web" not in bobs and "lab" in bobs and "alice" not in bobs
    assert "<prod>" not in alices


def test_the_top_bar_follows_language_project_and_regions():
    projects = [{"id": "p1", "name": "one"}, {"id": "p2", "name": "two"}]
    first, second = _user("u", projects, 0), _user("u", projects, 1)
    assert _bar(first)[0] != _bar(second)[0]
    assert 'value="p2" class="dropdown-item active"' in _bar(second)[0]
    english, french = _bar(first)[0], _bar(first, language="fr")[0]
    assert "Log out" in english and "Se déconnecter" in french
    regions = _user("u", projects, regions=("RegionOne", "RegionTwo"))
    kept, direct = _bar(regions, picker=True)
    assert kept == direct and 'value="RegionTwo"' in kept
    no_project = _user("lonely", [])
    kept, direct = _bar(no_project)
    assert kept == direct and "project-switcher" not in kept and "lonely" in kept


def test_object_url_is_the_url_tags_path():
    for url_name, obj_id in (
        ("instances:detail", SERVER),
        ("volumes:detail", OTHER),
        ("images:detail", SERVER.upper()),
        ("networks:detail", OTHER),
    ):
        ours = render("{% object_url url_name obj_id %}", url_name=url_name, obj_id=obj_id)
        assert ours == render("{% url url_name obj_id %}", url_name=url_name, obj_id=obj_id)
        assert obj_id in ours
    # an id that is not a plain one goes to Django's reverse as it is
    ours = render('{% object_url "containers:objects" name %}', name="photos & more")
    assert ours == render("{% url 'containers:objects' name %}", name="photos & more")
