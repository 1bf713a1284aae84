"""The identity lists' pages, cut in Zenith from what Keystone gives whole: the name filter (any
case), the enabled filter, name order with the id breaking ties."""

from dashboard.cloud.identity import SORT_KEYS, Project, Role, matches
from dashboard.cloud.paging import ListParams, whole_list_page


def _page(items, **params):
    return whole_list_page(items, ListParams(**params), sort_keys=SORT_KEYS, matches=matches)


PROJECTS = [
    Project("p3", "Web-B"),
    Project("p1", "web-a", enabled=False),
    Project("p2", "db"),
    Project("p0", "web-a"),  # the same name in another domain
]


def test_names_are_ordered_whatever_their_case_and_the_id_breaks_ties():
    page = _page(PROJECTS, sort="name", direction="asc", limit=10)
    assert [p.id for p in page.items] == ["p2", "p0", "p1", "p3"]
    page = _page(PROJECTS, sort="name", direction="desc", limit=10)
    assert [p.id for p in page.items] == ["p3", "p1", "p0", "p2"]


def test_the_name_filter_is_a_part_of_the_name_in_any_case():
    page = _page(PROJECTS, filters={"name": "WEB"}, sort="name", direction="asc", limit=10)
    assert [p.id for p in page.items] == ["p0", "p1", "p3"]


def test_the_enabled_filter_keeps_one_side():
    off = _page(PROJECTS, filters={"enabled": "false"}, sort="name", direction="asc", limit=10)
    on = _page(PROJECTS, filters={"enabled": "true", "name": "web"}, sort="name", direction="asc", limit=10)
    assert [p.id for p in off.items] == ["p1"] and [p.id for p in on.items] == ["p0", "p3"]


def test_a_filtered_list_pages_by_marker():
    first = _page(PROJECTS, filters={"name": "web"}, sort="name", direction="asc", limit=2)
    assert [p.id for p in first.items] == ["p0", "p1"] and first.next_marker == "p1"
    rest = _page(PROJECTS, filters={"name": "web"}, sort="name", direction="asc", limit=2, marker="p1")
    assert [p.id for p in rest.items] == ["p3"] and rest.next_marker == "" and rest.prev_before == "p3"


def test_roles_have_no_enabled_flag_and_are_filtered_by_name_only():
    roles = [Role("r1", "member"), Role("r2", "reader"), Role("r3", "admin")]
    assert [r.id for r in _page(roles, filters={"name": "e"}, sort="name", direction="asc").items] == ["r1", "r2"]
