"""The kit's one-resource reads and live rows (dashboard/ui/rows.py, lists.py), with no cloud."""

from dataclasses import dataclass

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import CloudError
from dashboard.cloud.paging import Page
from dashboard.ui.lists import Column, Filter, Table, list_context
from dashboard.ui.rows import back_to_list, found_or_none, live_row

LIST = "/project/volumes/"


def refusing(kind):
    def read():
        raise CloudError(kind, "said by the cloud")

    return read


def test_found_or_none_gives_what_was_read():
    assert found_or_none(lambda: {"id": "v1"}) == {"id": "v1"}


def test_found_or_none_is_none_for_a_resource_that_is_gone():
    assert found_or_none(refusing("not_found")) is None


@pytest.mark.parametrize("kind", ["forbidden", "unavailable", "conflict"])
def test_other_refusals_are_not_taken_for_a_gone_resource(kind):
    with pytest.raises(CloudError) as caught:
        found_or_none(refusing(kind))
    assert caught.value.kind == kind


@pytest.mark.parametrize(
    ("path", "headers", "back"),
    [
        ("/row/", {}, LIST),
        # live updates fetch the row from the list's page: its actions come back to that page
        (
            "/row/",
            {"HTTP_REFERER": "http://testserver/project/volumes/?marker=v9&sort=name"},
            f"{LIST}?marker=v9&sort=name",
        ),
        ("/row/", {"HTTP_REFERER": "http://testserver/project/volumes/v1/"}, "/project/volumes/v1/"),
        ("/row/", {"HTTP_REFERER": "http://testserver/project/images/"}, LIST),
        (
            "/row/?next=/project/volumes/snapshots/",
            {"HTTP_REFERER": "http://testserver/project/volumes/"},
            "/project/volumes/snapshots/",
        ),
        ("/row/?next=https://elsewhere.example/", {}, LIST),
    ],
)
def test_a_rows_actions_come_back_to_the_list_page_it_is_shown_on(path, headers, back):
    assert back_to_list(RequestFactory().get(path, **headers), LIST) == back


@dataclass
class Thing:
    id: str
    name: str
    status: str = "available"
    description: str = ""
    rules: tuple = ()


TABLE = Table(
    name="things",
    url_name="volumes:list",
    cells="network/secgroup_cells.html",  # name, description, rules: a Thing has them
    columns=(
        Column("name", _("Name"), sort="name"),
        Column("description", _("Description")),
        Column("rules", _("Rules"), sort="created"),
        Column("actions", _("Actions")),
    ),
    filters=(Filter("name", _("Name")),),
    default_sort="created",
    row_id="thing",
    live="volumes",
    row_url_name="volumes:row",
    select="ids",
    actions=("volumes:action", "volumes"),
    row=lambda request, thing: {"busy": thing.status == "creating"},
)
V1, V2 = "0c2f6d1e-8a4b-4e1a-9d0f-2b8e5c7a1f3d", "5d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6"


def test_a_gone_row_is_an_empty_404():
    response = live_row(RequestFactory().get("/row/"), TABLE, None)
    assert response.status_code == 404 and response.content == b""


def test_a_live_row_is_the_rows_markup_with_its_way_back():
    request = RequestFactory().get("/row/", HTTP_REFERER="http://testserver/project/volumes/?name=x")
    html = live_row(request, TABLE, Thing(V1, "<one>")).content.decode()
    assert html.startswith(f'<tr id="thing-{V1}" data-id="{V1}" data-status="available">')
    assert html.rstrip().endswith("</tr>")
    assert 'name="ids"' in html and "&lt;one&gt;" in html and "<one>" not in html
    assert html.count("<td") == 5  # the checkbox and the four declared columns
    assert f'formaction="/project/volumes/{V1}/action/' not in html  # a Thing offers no action
    assert "No action possible." in html


def live_page(path: str) -> dict:
    request = RequestFactory().get(path)
    page = Page([Thing(V1, "one"), Thing(V2, "two", "creating")], next_marker=V2)
    return list_context(request, TABLE, TABLE.params(request), page)


def test_a_live_list_has_its_rows_their_url_and_the_way_back():
    view = live_page("/project/volumes/")["list"]
    assert [r.obj.id for r in view.rows] == [V1, V2]
    assert all(r.back == "/project/volumes/" for r in view.rows)
    assert [r.busy for r in view.rows] == [False, True]  # the table's own extras
    assert view.row_url == "/project/volumes/__ID__/row/"
    assert view.next_url == f"/project/volumes/?marker={V2}"
    assert [h["sort"] for h in view.headers] == ["name", "", "created", ""]


@pytest.mark.parametrize(
    ("path", "on_top"),
    [
        ("/project/volumes/", True),
        ("/project/volumes/?sort=name", False),  # a new volume's place is not the top
        ("/project/volumes/?name=web", False),  # it may not match the filter
        (f"/project/volumes/?marker={V1}", False),  # not the first page
    ],
)
def test_new_rows_go_on_top_only_of_the_first_page_in_the_default_order(path, on_top):
    assert live_page(path)["list"].live_insert is on_top


@pytest.mark.parametrize(
    ("query", "value"),
    [("name=web", "web"), ("name=%20web%20", "web"), ("name=a%00b", ""), ("name=" + "x" * 300, "x" * 255)],
)
def test_a_pages_filter_drops_what_it_does_not_take(query, value):
    params = TABLE.params(RequestFactory().get(f"/?{query}"))
    assert params.filter("name") == value
