"""The identity lists as users get them: each view one response with its calls made at once, the
same calls whatever the rows; filters and marker paging on the pages and in the admin API.

(Moved out of test_identity.py, which keeps the forms, role assignments and access checks.)"""

import re

import pytest

from tests.helpers import count_cloud_requests, unique
from tests.integration.test_identity import _page, _role_id, _row, _text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


# --- each view is one response ---------------------------------------------------------------------


def _calls(seen) -> list[tuple[str, str]]:
    """A page's cloud calls as (service, what) sorted: the path's first word, or "get" for one
    resource by id (Keystone's /projects/<id>), or "quota" for a service's quota read."""
    found = []
    for _method, service, url, _query in seen:
        words = url.strip("/").split("/")
        if service != "identity":
            found.append((service, "quota"))
        elif len(words) > 1:
            found.append((service, f"get {words[0]}"))
        else:
            found.append((service, words[0]))
    return sorted(found)


def _counted_page(client, url: str) -> tuple[str, list]:
    with count_cloud_requests(detail=True) as seen:
        page = _page(client, url)
    return page, _calls(seen)


def test_each_identity_view_is_one_response_with_its_calls_made_at_once(admin_client, admin_sdk):
    """Every identity page shows what its parts used to bring after it (names, roles, counts,
    members, choices, every service's quotas), with a fixed set of cloud calls whatever the rows."""
    demo = admin_sdk.identity.find_project("demo", domain_id="default")
    demo_user = admin_sdk.identity.find_user("demo", domain_id="default")
    member = _role_id(admin_sdk, "member")
    ks = "identity"

    page, calls = _counted_page(admin_client, "/identity/users/?name=demo")
    assert calls == [(ks, "projects"), (ks, "role_assignments"), (ks, "roles"), (ks, "users")]
    assert "demo: member" in _row(page, demo_user.id)

    page, calls = _counted_page(admin_client, "/identity/projects/?name=demo")
    assert calls == [(ks, "projects"), (ks, "role_assignments")]
    assert re.search(r"<td>[1-9]\d*</td>", _row(page, demo.id))

    page, calls = _counted_page(admin_client, "/identity/roles/")
    assert calls == [(ks, "projects"), (ks, "role_assignments"), (ks, "roles")]
    assert re.search(r"<td>[1-9]\d*</td>", _row(page, member))
    assert re.search(r">demo</a></td><td>[1-9]\d*</td>", page)

    page, calls = _counted_page(admin_client, f"/identity/projects/{demo.id}/")
    assert calls == [(ks, "get projects"), (ks, "groups"), (ks, "role_assignments"), (ks, "roles"), (ks, "users")]
    assert 'data-actor="demo" data-role="member"' in page
    assert f'value="user:{demo_user.id}"' in page and f'<option value="{member}">member</option>' in page

    page, calls = _counted_page(admin_client, f"/identity/projects/{demo.id}/quotas/")
    assert calls == [("block-storage", "quota"), ("compute", "quota"), (ks, "get projects"), ("network", "quota")]
    assert 'name="compute-instances"' in page and 'name="volume-volumes"' in page and 'name="network-port"' in page

    page, calls = _counted_page(admin_client, "/identity/users/create/")
    assert calls == [(ks, "projects"), (ks, "roles")]
    assert f'<option value="{demo.id}">demo</option>' in page and f'<option value="{member}" selected>' in page

    page, calls = _counted_page(admin_client, f"/identity/users/{demo_user.id}/edit/")
    assert calls == [(ks, "get users"), (ks, "projects")]
    assert f'<option value="{demo.id}"' in page


def test_the_users_list_costs_the_same_calls_whatever_its_rows(admin_client, five_users):
    prefix, _ids = five_users
    _page_one, few = _counted_page(admin_client, f"/identity/users/?name={prefix}&limit=10")
    _page_all, many = _counted_page(admin_client, "/identity/users/?limit=100")
    assert few == many and len(few) == 4


# --- pages of the lists ---------------------------------------------------------------------------


def _ids_in(page: str, table: str) -> list[str]:
    """The ids of the rows of the page's table, in order."""
    body = re.search(rf'<table[^>]*id="{table}-table".*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    assert body, f"no {table} table"
    return re.findall(r'<tr data-id="([^"]+)"', body.group(1))


def _link(page: str, testid: str) -> str:
    """The href of the pager's link (first-page, prev-page, next-page), "" when the page has none."""
    found = re.search(rf'href="([^"]+)"[^>]*data-testid="{testid}"', page)
    return found.group(1).replace("&amp;", "&") if found else ""


@pytest.fixture
def five_users(admin_sdk, cleanup):
    """Five users whose names share a prefix no other user has, in name order."""
    prefix = unique("zt-pg")
    users = []
    for n in (3, 1, 4, 0, 2):  # made out of order: the list orders them
        user = admin_sdk.identity.create_user(name=f"{prefix}-{n}", password="Secret-123", domain_id="default")
        cleanup.delete("user", user.id)
        users.append(user)
    return prefix, [u.id for u in sorted(users, key=lambda u: u.name)]


def test_the_users_list_is_filtered_by_name_and_paged_by_marker(admin_client, five_users):
    prefix, ids = five_users
    first = _text(admin_client.get("/identity/users/", {"name": prefix, "limit": 2}))
    assert _ids_in(first, "users") == ids[:2]
    assert _link(first, "prev-page") == "" and _link(first, "first-page") == ""
    second_url = _link(first, "next-page")
    assert f"marker={ids[1]}" in second_url and f"name={prefix}" in second_url and "limit=2" in second_url
    second = _text(admin_client.get(second_url))
    assert _ids_in(second, "users") == ids[2:4]
    last = _text(admin_client.get(_link(second, "next-page")))
    assert _ids_in(last, "users") == ids[4:] and _link(last, "next-page") == ""
    # back: the page before the last is the second again, and from there the first
    back = _text(admin_client.get(_link(last, "prev-page")))
    assert _ids_in(back, "users") == ids[2:4]
    assert _ids_in(_text(admin_client.get(_link(back, "prev-page"))), "users") == ids[:2]
    # the other way round, by the sort header's link
    reverse = _text(admin_client.get("/identity/users/", {"name": prefix, "sort": "name", "dir": "desc", "limit": 10}))
    assert _ids_in(reverse, "users") == ids[::-1]
    # a filter nobody matches says so, with a way back to the whole list
    none = _text(admin_client.get("/identity/users/", {"name": prefix + "-none"}))
    assert _ids_in(none, "users") == [] and "Nothing matches this filter." in none


def test_a_deleted_marker_leads_back_to_the_first_page(admin_client, admin_sdk, five_users):
    prefix, ids = five_users
    admin_sdk.identity.delete_user(ids[1])
    response = admin_client.get("/identity/users/", {"name": prefix, "limit": 2, "marker": ids[1]})
    assert response.status_code == 302
    assert response["Location"] == f"/identity/users/?name={prefix}&limit=2"
    page = _text(admin_client.get(response["Location"]))
    assert "That page no longer exists" in page and _ids_in(page, "users") == [ids[0], ids[2]]


def test_the_admin_api_pages_users_as_the_page_does(admin_client, five_users):
    prefix, ids = five_users
    page = _text(admin_client.get("/identity/users/", {"name": prefix, "limit": 2}))
    body = admin_client.get("/api/v1/admin/users/", {"name": prefix, "limit": 2}).json()
    assert [u["id"] for u in body["users"]] == ids[:2]
    assert f"marker={body['next_marker']}&" in _link(page, "next-page") + "&"
    found, marker = [], body["next_marker"]
    while marker:
        body = admin_client.get("/api/v1/admin/users/", {"name": prefix, "limit": 2, "marker": marker}).json()
        found += [u["id"] for u in body["users"]]
        marker = body["next_marker"]
    assert found == ids[2:]
    # the query is the page's: its filters, its order, its page sizes
    body = admin_client.get("/api/v1/admin/users/", {"name": prefix, "dir": "desc", "enabled": "true"}).json()
    assert [u["id"] for u in body["users"]] == ids[::-1] and body["next_marker"] is None
    assert admin_client.get("/api/v1/admin/users/", {"name": prefix, "enabled": "false"}).json()["users"] == []
    for bad in ({"sort": "email"}, {"enabled": "maybe"}, {"limit": 0}, {"marker": "no/such"}):
        response = admin_client.get("/api/v1/admin/users/", bad)
        assert response.status_code == 400 and set(bad) <= set(response.json()["fields"]), bad
    gone = admin_client.get("/api/v1/admin/users/", {"marker": "0" * 32})
    assert gone.status_code == 400 and gone.json()["error"] == "bad_request"


@pytest.mark.parametrize("kind", ["projects", "groups", "roles"])
def test_projects_groups_and_roles_are_filtered_and_paged_on_the_page_and_in_the_api(
    kind, admin_client, admin_sdk, cleanup
):
    prefix = unique("zt-pg")
    made = []
    for n in range(3):
        if kind == "projects":
            made.append(admin_sdk.identity.create_project(name=f"{prefix}-{n}", domain_id="default"))
            cleanup.delete("project", made[-1].id)
        elif kind == "groups":
            made.append(admin_sdk.identity.create_group(name=f"{prefix}-{n}", domain_id="default"))
            cleanup.delete("group", made[-1].id)
        else:
            made.append(admin_sdk.identity.create_role(name=f"{prefix}-{n}"))
            cleanup.add(admin_sdk.identity.delete_role, made[-1].id)
    ids = [x.id for x in made]
    first = _text(admin_client.get(f"/identity/{kind}/", {"name": prefix.upper(), "limit": 2}))
    assert _ids_in(first, kind) == ids[:2], "the name filter ignores case"
    last = _text(admin_client.get(_link(first, "next-page")))
    assert _ids_in(last, kind) == ids[2:] and _link(last, "next-page") == ""
    body = admin_client.get(f"/api/v1/admin/{kind}/", {"name": prefix, "limit": 2}).json()
    assert [x["id"] for x in body[kind]] == ids[:2] and body["next_marker"] == ids[1]
    rest = admin_client.get(f"/api/v1/admin/{kind}/", {"name": prefix, "limit": 2, "marker": ids[1]}).json()
    assert [x["id"] for x in rest[kind]] == ids[2:] and rest["next_marker"] is None
