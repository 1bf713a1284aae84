"""The kit's one-resource reads and live rows (dashboard/ui/rows.py), with no cloud."""

import pytest
from django.test import RequestFactory

from dashboard.cloud import CloudError
from dashboard.cloud.paging import Page
from dashboard.ui.lists import Column, Filter, ListSpec
from dashboard.ui.rows import back_to_list, found_or_none, live_list_context, live_row

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


def test_a_gone_row_is_an_empty_404():
    response = live_row(
        RequestFactory().get("/row/"), None, "no/such/template.html", lambda obj, back: {}, list_url=LIST
    )
    assert response.status_code == 404 and response.content == b""


SPEC = ListSpec(
    url_name="volumes:list", sorts=("created", "name"), default_sort="created", filters=(Filter("name", "Name"),)
)
COLUMNS = [Column("Name", "name"), Column("Age", "created")]


def live_page(path: str) -> dict:
    request = RequestFactory().get(path)
    page = Page([{"id": "v1"}, {"id": "v2"}], next_marker="v2")
    row = lambda obj, here: {"id": obj["id"], "back": here}  # noqa: E731
    return live_list_context(request, SPEC, SPEC.params(request), page, COLUMNS, row=row, row_url="volumes:row")


def test_a_live_list_has_its_rows_their_url_and_the_way_back():
    context = live_page("/project/volumes/")
    assert context["rows"] == [{"id": "v1", "back": "/project/volumes/"}, {"id": "v2", "back": "/project/volumes/"}]
    assert context["row_url"] == "/project/volumes/__ID__/row/"
    assert context["here"] == "/project/volumes/"
    assert context["list"].next_url  # list_context's pager is there


@pytest.mark.parametrize(
    ("path", "on_top"),
    [
        ("/project/volumes/", True),
        ("/project/volumes/?sort=name", False),  # a new volume's place is not the top
        ("/project/volumes/?name=web", False),  # it may not match the filter
        ("/project/volumes/?marker=0c2f6d1e-8a4b-4e1a-9d0f-2b8e5c7a1f3d", False),  # not the first page
    ],
)
def test_new_rows_go_on_top_only_of_the_first_page_newest_first(path, on_top):
    assert live_page(path)["live_insert"] is on_top
