"""The instances list: what a row shows, filters, sort, Nova-marker pages, a fixed cloud cost, isolation."""

from __future__ import annotations

import re
import time

import pytest

from tests.helpers import boot, count_cloud_requests, unique, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

XSS = "<img src=x onerror=alert(1)>"


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trio(demo_sdk, module_cleanup):
    """Three small instances in demo sharing a unique prefix (so other tests' instances don't interfere)."""
    prefix = unique("zl")
    servers = []
    # created one after another so their creation times differ
    for name in (f"{prefix}-a", f"{prefix}-b", f"{prefix}-c"):
        servers.append(boot(demo_sdk, name, wait=False, cleanup=module_cleanup))
        time.sleep(1.1)
    return prefix, [wait_for_status(demo_sdk, s.id, "ACTIVE") for s in servers]


@pytest.fixture(scope="module")
def xss_instance(demo_sdk, module_cleanup):
    return boot(demo_sdk, XSS, cleanup=module_cleanup)


def row_of(html: str, server_id: str) -> str:
    start = html.index(f'<tr id="instance-{server_id}"')
    return html[start : html.index("</tr>", start)]


# --- the list --------------------------------------------------------------------------------------


def test_list_row_shows_flavor_image_ips_zone_and_status(demo_client, demo_sdk, trio):
    prefix, servers = trio
    server = demo_sdk.compute.get_server(servers[0].id)
    page = demo_client.get("/project/instances/", {"name": prefix})
    assert page.status_code == 200
    html = page.content.decode()
    row = row_of(html, server.id)
    assert 'data-status="ACTIVE"' in row
    assert server.name in row and "Active" in row
    assert "m1.tiny" in row and "1 vCPU" in row and "512\xa0MiB" in row and "1\xa0GiB" in row
    assert server.image["id"][:8] in row  # its name follows with the list's names part
    fixed = server.addresses["private"][0]["addr"]
    assert fixed.startswith("10.0.0.") and fixed in row and "private:" in row
    assert server.availability_zone in row
    assert f'href="/project/instances/{server.id}/"' in row
    # the live-updates contract; a filtered list takes no new rows
    contract = '<tbody data-live="instances" data-row-url="/project/instances/__ID__/row/" data-live-insert="false">'
    assert contract in html
    first_page = demo_client.get("/project/instances/").content.decode()
    assert 'data-live-insert="true"' in first_page


def test_filter_by_name_and_status(demo_client, demo_sdk, trio):
    prefix, servers = trio
    html = demo_client.get("/project/instances/", {"name": f"{prefix}-b"}).content.decode()
    assert f"instance-{servers[1].id}" in html
    assert f"instance-{servers[0].id}" not in html and f"instance-{servers[2].id}" not in html
    shutoff = demo_client.get("/project/instances/", {"name": prefix, "status": "SHUTOFF"}).content.decode()
    assert "Nothing matches this filter." in shutoff
    active = demo_client.get("/project/instances/", {"name": prefix, "status": "ACTIVE"}).content.decode()
    assert all(f"instance-{s.id}" in active for s in servers)


def _order(html: str, servers) -> list[str]:
    positions = sorted((html.index(f'id="instance-{s.id}"'), s.name) for s in servers)
    return [name for _, name in positions]


def test_sort_by_name_both_ways_and_newest_first_by_default(demo_client, trio):
    prefix, servers = trio
    names = sorted(s.name for s in servers)
    asc = demo_client.get("/project/instances/", {"name": prefix, "sort": "name", "dir": "asc"}).content.decode()
    assert _order(asc, servers) == names
    desc = demo_client.get("/project/instances/", {"name": prefix, "sort": "name", "dir": "desc"}).content.decode()
    assert _order(desc, servers) == names[::-1]
    default = demo_client.get("/project/instances/", {"name": prefix}).content.decode()
    assert _order(default, servers) == [f"{prefix}-c", f"{prefix}-b", f"{prefix}-a"]


def test_marker_pages_forward_and_back(demo_client, trio):
    prefix, servers = trio
    by_name = {s.name: s for s in servers}
    q = {"name": prefix, "sort": "name", "dir": "asc", "limit": "2"}
    first = demo_client.get("/project/instances/", q)
    html = first.content.decode()
    assert _order(html, [by_name[f"{prefix}-a"], by_name[f"{prefix}-b"]]) == [f"{prefix}-a", f"{prefix}-b"]
    assert f"instance-{by_name[f'{prefix}-c'].id}" not in html
    assert first.context["list"].prev_url == ""
    next_url = first.context["list"].next_url
    assert f"marker={by_name[f'{prefix}-b'].id}" in next_url

    second = demo_client.get(next_url)
    html2 = second.content.decode()
    assert f"instance-{by_name[f'{prefix}-c'].id}" in html2
    assert f"instance-{by_name[f'{prefix}-a'].id}" not in html2 and f"instance-{by_name[f'{prefix}-b'].id}" not in html2
    assert second.context["list"].next_url == ""
    prev_url = second.context["list"].prev_url
    assert prev_url

    back = demo_client.get(prev_url).content.decode()
    assert _order(back, [by_name[f"{prefix}-a"], by_name[f"{prefix}-b"]]) == [f"{prefix}-a", f"{prefix}-b"]
    assert f"instance-{by_name[f'{prefix}-c'].id}" not in back


def test_a_vanished_marker_goes_back_to_the_first_page_with_a_message(demo_client, trio):
    prefix, _ = trio
    response = demo_client.get(
        "/project/instances/", {"name": prefix, "marker": "00000000-0000-0000-0000-000000000000"}
    )
    assert response.status_code == 302
    page = demo_client.get(response["Location"])
    assert "That page no longer exists" in page.content.decode()


def test_page_costs_the_same_number_of_cloud_calls_for_one_or_three_rows(demo_client, trio):
    prefix, servers = trio
    demo_client.get("/project/instances/", {"name": prefix})  # warm the version discovery cache
    with count_cloud_requests() as one:
        page = demo_client.get("/project/instances/", {"name": f"{prefix}-a"})
    assert page.content.decode().count('<tr id="instance-') == 1
    with count_cloud_requests() as three:
        page = demo_client.get("/project/instances/", {"name": prefix})
    assert page.content.decode().count('<tr id="instance-') == 3
    assert len(one) == len(three), (one, three)
    # nothing per row, in the page's response: one Nova page, then its images' names (one Glance
    # call by id; no row boots from a volume: no Cinder call)
    assert len(three) == 2 and "/servers/detail" in three[0][1] and "/images" in three[1][1], three


def source_cell(html: str, server_id: str) -> str | None:
    found = re.search(rf'<span id="instance-source-{server_id}">(.*?)</span>(?=</td>|$)', html, re.S)
    return found.group(1) if found else None


def test_the_list_prints_its_images_names_in_the_page(demo_client, trio):
    """The page names each row's image (read by id after Nova's page, in its response); no part
    follows it, and the live row prints the same cell."""
    prefix, servers = trio
    image_id = servers[0].image["id"]
    listing = demo_client.get("/project/instances/", {"name": prefix}).content.decode()
    assert 'hx-trigger="load"' not in listing
    for server in servers:
        assert source_cell(listing, server.id) == f'<span title="{image_id}">demo-image</span>'
    row = demo_client.get(f"/project/instances/{servers[0].id}/row/").content.decode()
    assert source_cell(row, servers[0].id) == f'<span title="{image_id}">demo-image</span>'
    assert demo_client.get("/project/instances/names/").status_code == 404  # the names part is gone


def test_empty_state_when_nothing_matches(demo_client):
    html = demo_client.get("/project/instances/", {"name": unique("nothing")}).content.decode()
    assert "Nothing matches this filter." in html
    assert '<tr id="instance-' not in html


def test_row_endpoint_returns_just_the_row_and_404_when_gone(demo_client, trio):
    _, servers = trio
    response = demo_client.get(f"/project/instances/{servers[0].id}/row/")
    assert response.status_code == 200
    body = response.content.decode().strip()
    assert body.startswith(f'<tr id="instance-{servers[0].id}" data-id="{servers[0].id}" data-status="ACTIVE">')
    assert body.endswith("</tr>")
    gone = demo_client.get("/project/instances/00000000-0000-0000-0000-000000000000/row/")
    assert gone.status_code == 404 and gone.content == b""


# --- markup in names is text ------------------------------------------------------------------------


def test_markup_in_a_name_is_shown_as_text_in_list_and_detail(demo_client, xss_instance):
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    html = demo_client.get("/project/instances/", {"name": "onerror"}).content.decode()
    assert f"instance-{xss_instance.id}" in html
    assert escaped in html and XSS not in html
    detail = demo_client.get(f"/project/instances/{xss_instance.id}/").content.decode()
    assert escaped in detail and XSS not in detail
    row = demo_client.get(f"/project/instances/{xss_instance.id}/row/").content.decode()
    assert escaped in row and XSS not in row


# --- detail ---------------------------------------------------------------------------------------


def test_detail_tabs_render(demo_client, demo_sdk, trio):
    _, servers = trio
    sid = servers[0].id
    overview = demo_client.get(f"/project/instances/{sid}/")
    html = overview.content.decode()
    assert overview.status_code == 200
    assert "m1.tiny" in html and "default" in html  # security group
    # the image's name, read at once with the server: in the page, no part after it
    assert 'id="instance-source">demo-image<' in html and 'hx-trigger="load"' not in html
    assert 'data-action="stop"' in html and 'data-action="start"' not in html
    assert "Host" not in html.split('id="overview"')[1].split("</dl>")[0]  # members don't see the host

    log = demo_client.get(f"/project/instances/{sid}/", {"tab": "log"}).content.decode()
    assert 'id="action-log"' in log and ">Create<" in log  # Nova's "create", in words

    console = demo_client.get(f"/project/instances/{sid}/", {"tab": "console"}).content.decode()
    assert 'id="console-log"' in console
    refreshed = demo_client.get(f"/project/instances/{sid}/tab/console/", {"lines": 50}, HTTP_HX_REQUEST="true")
    assert refreshed.status_code == 200 and 'id="console-pane"' in refreshed.content.decode()
    assert "<html" not in refreshed.content.decode()

    interfaces = demo_client.get(f"/project/instances/{sid}/", {"tab": "interfaces"}).content.decode()
    fixed = demo_sdk.compute.get_server(sid).addresses["private"][0]["addr"]
    assert 'id="interfaces"' in interfaces and fixed in interfaces and "private" in interfaces


def test_admin_sees_the_host_on_detail(admin_client, trio):
    _, servers = trio
    # Nova shows any instance to a cloud admin, with the compute host it runs on
    response = admin_client.get(f"/project/instances/{servers[0].id}/")
    assert response.status_code == 200
    host = response.content.decode().split('id="instance-host">')[1].split("<")[0]
    assert host.strip() and host.strip() != "—"


def test_unknown_instance_is_a_clear_not_found_page(demo_client):
    response = demo_client.get("/project/instances/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "Instance not found" in response.content.decode()


# --- isolation ------------------------------------------------------------------------------------


def test_alt_cannot_see_or_act_on_demos_instance(alt_client, alt_sdk, demo_sdk, trio):
    prefix, servers = trio
    sid = servers[0].id
    html = alt_client.get("/project/instances/", {"name": prefix}).content.decode()
    assert f"instance-{sid}" not in html and "Nothing matches this filter." in html
    detail = alt_client.get(f"/project/instances/{sid}/")
    assert detail.status_code == 404 and "Instance not found" in detail.content.decode()
    assert alt_client.get(f"/project/instances/{sid}/row/").status_code == 404
    stop = alt_client.post(f"/project/instances/{sid}/action/stop/")
    assert stop.status_code == 404 and "Instance not found" in stop.content.decode()
    rename = alt_client.post(f"/project/instances/{sid}/rename/", {"name": "hijacked"})
    assert rename.status_code == 404
    bulk = alt_client.post("/project/instances/bulk/", {"action": "delete", "ids": [sid]}, follow=True)
    assert "The action “Delete” was refused." in bulk.content.decode()
    server = demo_sdk.compute.get_server(sid)
    assert server.status == "ACTIVE" and server.name == servers[0].name


def test_row_and_detail_cost_a_fixed_number_of_calls(demo_client, trio):
    _, servers = trio
    sid = servers[0].id
    demo_client.get(f"/project/instances/{sid}/row/")  # warm the version discovery cache
    with count_cloud_requests() as row:
        demo_client.get(f"/project/instances/{sid}/row/")
    # one server GET, then the image name
    assert len(row) == 2 and sid in row[0][1] and "/images" in row[1][1], row
    with count_cloud_requests() as detail:
        page = demo_client.get(f"/project/instances/{sid}/").content.decode()
    # the page: the server, the project's volumes and the Usage card's six series from Gnocchi at
    # once, then the image's name; no part after it
    assert "/images" in detail[-1][1], detail
    paths = sorted(url.split("?")[0].rsplit("/", 1)[-1] for _m, url in detail)
    assert paths == sorted(["detail", "images", sid, *["aggregates"] * 6]), detail
    assert 'hx-trigger="load"' not in page
    assert re.search(r'id="instance-source">demo-image</dd>', page)
    assert demo_client.get(f"/project/instances/{sid}/names/").status_code == 404  # the names part is gone


@pytest.fixture
def volume_booted(demo_sdk, cleanup):
    """An instance booted from a volume made from demo-image."""
    image = demo_sdk.image.find_image("demo-image", ignore_missing=False)
    vol = demo_sdk.block_storage.create_volume(size=1, image_id=image.id, name=unique("zbootvol"))
    cleanup.delete("volume", vol.id, conn=demo_sdk)
    demo_sdk.block_storage.wait_for_status(vol, "available", failures=["error"], wait=180)
    block_device = {"boot_index": 0, "uuid": vol.id, "source_type": "volume", "destination_type": "volume"}
    server = boot(demo_sdk, unique("zbfv"), image=None, block_device_mapping=[block_device], cleanup=cleanup)
    return server, vol


def test_an_instance_booted_from_a_volume_shows_the_volume(demo_client, volume_booted):
    server, vol = volume_booted
    with count_cloud_requests() as calls:
        html = demo_client.get("/project/instances/", {"name": server.name}).content.decode()
    assert source_cell(html, server.id) == f'volume: <span title="{vol.id}">{vol.name}</span>'
    assert sum("/volumes/detail" in url for _m, url in calls) == 1, calls  # the one Cinder listing
    detail = demo_client.get(f"/project/instances/{server.id}/").content.decode()
    assert f"volume: {vol.name}" in detail
    assert f'data-volume="{vol.id}"' in detail and vol.name in detail  # listed among the attached volumes
