"""The volumes panel against the devcloud's real Cinder, through Zenith's pages; every result
checked with openstacksdk."""

from __future__ import annotations

import re

import pytest

from tests.helpers import boot, count_cloud_requests, made_volume, unique, wait_for, wait_volume

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def create_page(client, **data):
    fields = {"name": unique("zt-vol"), "source": "blank", "size": 1, **data}
    return client.post("/project/volumes/create/", fields)


def created_id(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    found = re.search(r"/project/volumes/([0-9a-f-]{36})/$", response["Location"])
    assert found, response["Location"]
    return found.group(1)


def test_list_shows_volumes_with_attachment_names_in_fixed_calls(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    server = boot(demo_sdk, unique("zt-volsrv"), cleanup=cleanup)  # cleaned up first: frees the volume
    demo_sdk.compute.create_volume_attachment(server, volume_id=vol.id)
    wait_volume(demo_sdk, vol.id, "in-use")
    with count_cloud_requests() as seen:
        page = demo_client.get("/project/volumes/", {"name": vol.name})
    assert page.status_code == 200
    html = page.content.decode()
    assert vol.name in html and server.name in html and "/dev/" in html
    assert len(seen) == 2, seen  # one Cinder page, one Nova listing of names
    demo_sdk.compute.delete_volume_attachment(server, vol.id)
    wait_volume(demo_sdk, vol.id, "available")


def test_list_calls_do_not_grow_with_rows(demo_client, demo_sdk, cleanup):
    for _ in range(3):
        made_volume(demo_sdk, cleanup)
    with count_cloud_requests() as seen:
        page = demo_client.get("/project/volumes/", {"limit": 50})
    assert page.status_code == 200 and page.content.decode().count('data-id="') >= 3
    assert len(seen) == 2, seen


def test_filters_reach_cinder(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    other = made_volume(demo_sdk, cleanup)
    html = demo_client.get("/project/volumes/", {"name": vol.name}).content.decode()
    assert vol.id in html and other.id not in html
    html = demo_client.get("/project/volumes/", {"name": vol.name, "status": "in-use"}).content.decode()
    assert vol.id not in html
    html = demo_client.get("/project/volumes/", {"name": vol.name, "bootable": "false"}).content.decode()
    assert vol.id in html


def test_create_blank_volume_and_delete_it(demo_client, demo_sdk, cleanup):
    name = unique("zt-vol")
    volume_id = created_id(create_page(demo_client, name=name, size=2, description="made by a test"))
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    vol = wait_volume(demo_sdk, volume_id, "available")
    assert vol.name == name and vol.size == 2 and vol.description == "made by a test"
    detail = demo_client.get(f"/project/volumes/{volume_id}/").content.decode()
    assert name in detail and 'data-action="delete"' in detail
    response = demo_client.post(f"/project/volumes/{volume_id}/action/delete/", {"name": name})
    assert response.status_code == 302
    wait_for(lambda: demo_sdk.block_storage.find_volume(volume_id, ignore_missing=True) is None, "volume deleted")


def test_create_from_image_snapshot_clone(demo_client, demo_sdk, cleanup):
    image = demo_sdk.image.find_image("demo-image", ignore_missing=False)
    from_image = created_id(create_page(demo_client, source="image", image=image.id, size=1))
    cleanup.delete("volume", from_image, conn=demo_sdk)
    vol = wait_volume(demo_sdk, from_image, "available")
    assert vol.is_bootable in (True, "true") and vol.volume_image_metadata.get("image_id") == image.id

    clone = created_id(create_page(demo_client, source="volume", volume=from_image, size=1))
    cleanup.delete("volume", clone, conn=demo_sdk)
    assert wait_volume(demo_sdk, clone, "available").source_volume_id == from_image

    snap = demo_sdk.block_storage.create_snapshot(volume_id=from_image, name=unique("zt-snap"))
    cleanup.delete("snapshot", snap.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap.id).status == "available", "snapshot available")
    from_snap = created_id(create_page(demo_client, source="snapshot", snapshot=snap.id, size=1))
    cleanup.delete("volume", from_snap, conn=demo_sdk)
    assert wait_volume(demo_sdk, from_snap, "available").snapshot_id == snap.id


@pytest.mark.parametrize("size", ["0", "-3", "abc"])
def test_bad_sizes_are_refused_on_the_form(demo_client, demo_sdk, size):
    name = unique("zt-bad")
    response = create_page(demo_client, name=name, size=size)
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html and name in html  # the input is kept
    assert not list(demo_sdk.block_storage.volumes(name=name))


def test_over_quota_is_refused_before_cinder(demo_client, demo_sdk):
    name = unique("zt-big")
    with count_cloud_requests() as seen:
        response = create_page(demo_client, name=name, size=15000)
    assert response.status_code == 400
    assert "Over quota" in response.content.decode()
    assert not [url for method, url in seen if method == "POST" and url.endswith("/volumes")]
    assert not list(demo_sdk.block_storage.volumes(name=name))


def test_name_with_markup_is_shown_as_text(demo_client, demo_sdk, cleanup):
    name = "<b>zt-" + unique("x") + "</b><script>alert(1)</script>"
    vol = made_volume(demo_sdk, cleanup)
    demo_sdk.block_storage.update_volume(vol, name=name)
    html = demo_client.get(f"/project/volumes/{vol.id}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_other_projects_volume_is_not_found(demo_client, alt_sdk, cleanup):
    vol = made_volume(alt_sdk, cleanup)
    response = demo_client.get(f"/project/volumes/{vol.id}/")
    assert response.status_code == 404
    assert vol.name not in response.content.decode()
    assert vol.id not in demo_client.get("/project/volumes/", {"limit": 100}).content.decode()


def test_launch_as_instance_opens_launch_with_the_volume_chosen(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    demo_sdk.block_storage.set_volume_bootable_status(vol, True)
    response = demo_client.get(f"/project/volumes/{vol.id}/launch/")
    assert response.status_code == 302 and response["Location"] == f"/project/instances/launch/?volume={vol.id}"
    html = demo_client.get(response["Location"]).content.decode()
    assert re.search(r'value="volume"[^>]*checked|checked[^>]*value="volume"', html)
    # the volumes to choose from follow the page (its extras part), this one chosen
    extras = re.search(r'hx-get="([^"]*/launch/extras/[^"]*)"', html).group(1).replace("&amp;", "&")
    part = demo_client.get(extras, headers={"HX-Request": "true"}).content.decode()
    assert re.search(rf'<option value="{vol.id}"[^>]*selected', part)


def test_an_over_long_name_is_refused_with_a_message_and_kept(demo_client, demo_sdk):
    """A browser cut a pasted 300-character name to 255 without a word (maxlength): the form now
    takes it, refuses it with the limit, and gives it back whole; nothing reaches Cinder."""
    name = "zt-long-" + "n" * 292
    page = demo_client.get("/project/volumes/create/").content.decode()
    assert 'maxlength="255"' not in page
    response = demo_client.post("/project/volumes/create/", {"name": name, "source": "blank", "size": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This has 300 characters; at most 255 are allowed here. Shorten it." in text
    assert f'value="{name}"' in text
    assert not [v for v in demo_sdk.block_storage.volumes() if (v.name or "").startswith("zt-long-")]
