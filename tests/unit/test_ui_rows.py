"""The kit's one-resource reads and live rows (dashboard/ui/rows.py), with no cloud."""

import pytest
from django.test import RequestFactory

from dashboard.cloud import CloudError
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


def test_a_gone_row_is_an_empty_404():
    response = live_row(
        RequestFactory().get("/row/"), None, "no/such/template.html", lambda obj, back: {}, list_url=LIST
    )
    assert response.status_code == 404 and response.content == b""
