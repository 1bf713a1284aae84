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
