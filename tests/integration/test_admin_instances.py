"""All projects' instances for admins, with project names, paging and the common actions."""

import re

import pytest

from dashboard.cloud.instances import list_all_instances
from dashboard.cloud.paging import ListParams
from tests.helpers import boot, row_menu, unique, wait_for, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def fleet(demo_sdk, alt_sdk, module_cleanup):
    """Two instances in demo and one in alt, all named with one unique prefix."""
    prefix = unique("zt-all")
    made = [
        (demo_sdk, boot(demo_sdk, f"{prefix}-demo1", network=None, wait=False, cleanup=module_cleanup)),
        (demo_sdk, boot(demo_sdk, f"{prefix}-demo2", network=None, wait=False, cleanup=module_cleanup)),
        (alt_sdk, boot(alt_sdk, f"{prefix}-alt", network=None, wait=False, cleanup=module_cleanup)),
    ]
    for conn, server in made:
        wait_for_status(conn, server.id, "ACTIVE")
    return {
        "prefix": prefix,
        "demo": [s for c, s in made if c is demo_sdk],
        "alt": [s for c, s in made if c is alt_sdk],
        "alt_project": alt_sdk.current_project_id,
    }


def text(response) -> str:
    return response.content.decode()


def rows(page: str) -> dict[str, str]:
    """{instance name: project name} of the table."""
    return {
        name: project
        for _id, project, name in re.findall(
            r'<tr data-id="([^"]+)"[^>]* data-project="([^"]*)" data-name="([^"]*)"', page
        )
    }


def test_admin_sees_demo_and_alt_instances_with_project_names(admin_client, fleet):
    response = admin_client.get(f"/admin/instances/?name={fleet['prefix']}")
    assert response.status_code == 200
    listed = rows(text(response))
    for server in fleet["demo"]:
        assert listed[server.name] == "demo"
    assert listed[fleet["alt"][0].name] == "alt"
    # unfiltered, newest first: ours are on the first page of 100 too
    listed = rows(text(admin_client.get("/admin/instances/?limit=100")))
    assert {s.name for s in fleet["demo"] + fleet["alt"]} <= set(listed)


def test_filter_by_project(admin_client, fleet):
    page = text(admin_client.get(f"/admin/instances/?project={fleet['alt_project']}&name={fleet['prefix']}"))
    assert set(rows(page)) == {fleet["alt"][0].name}


def test_pages_follow_nova_markers(admin_client, admin_sdk, fleet):
    newest_first = {"sort": "created", "direction": "desc", "filters": {"name": fleet["prefix"]}}
    first = list_all_instances(admin_sdk, ListParams(limit=2, **newest_first))
    assert len(first.items) == 2 and first.next_marker == first.items[-1].id
    second = list_all_instances(admin_sdk, ListParams(limit=2, marker=first.next_marker, **newest_first))
    assert len(second.items) == 1 and not second.next_marker
    seen = {i.name for i in first.items + second.items}
    assert seen == {s.name for s in fleet["demo"] + fleet["alt"]}
    # the page takes the marker the same way
    page = text(admin_client.get(f"/admin/instances/?name={fleet['prefix']}&marker={first.next_marker}"))
    assert set(rows(page)) == {second.items[0].name}
    assert "First page" in page


def test_admin_stops_a_demo_instance_from_the_list(admin_client, demo_sdk, fleet):
    server = fleet["demo"][0]
    here = f"/admin/instances/?name={fleet['prefix']}"
    menu = row_menu(text(admin_client.get(here)), server.id)
    assert f'formaction="/project/instances/{server.id}/action/stop/?next=' in menu
    assert f'value="{server.name}"' in menu
    response = admin_client.post(f"/project/instances/{server.id}/action/stop/", {"name": server.name, "next": here})
    assert response.status_code == 302 and response["Location"] == here
    wait_for(lambda: demo_sdk.compute.get_server(server.id).status == "SHUTOFF", what="SHUTOFF")
    menu = row_menu(text(admin_client.get(here)), server.id)
    assert 'data-action="start"' in menu and 'data-action="stop"' not in menu


def test_admin_deletes_an_alt_instance_from_the_list(admin_client, alt_sdk, fleet):
    server = fleet["alt"][0]
    here = f"/admin/instances/?name={fleet['prefix']}"
    response = admin_client.post(f"/project/instances/{server.id}/action/delete/", {"name": server.name, "next": here})
    assert response.status_code == 302
    wait_for(lambda: alt_sdk.compute.find_server(server.id) is None, what="deletion")


def test_demo_gets_403(demo_client):
    response = demo_client.get("/admin/instances/")
    assert response.status_code == 403
    assert "Not allowed" in text(response)


def test_every_admin_page_is_403_for_demo(demo_client):
    for url in ("/admin/overview/", "/admin/overview/?format=csv", "/admin/instances/", "/admin/hypervisors/"):
        assert demo_client.get(url).status_code == 403, url
