"""Every volume action through Zenith's pages on the devcloud's real Cinder (and Nova for
attachments), each result checked with openstacksdk; and the refusals a user must see."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests.helpers import boot, made_volume, sdk, unique, wait_for, wait_volume

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def form(client, volume_id: str, action: str, **data):
    return client.post(f"/project/volumes/{volume_id}/{action}/", data)


def act(client, volume_id: str, action: str, **data) -> str:
    """POST an action as the detail page's buttons do; returns the page the user lands on."""
    response = client.post(
        f"/project/volumes/{volume_id}/action/{action}/", {"next": f"/project/volumes/{volume_id}/", **data}
    )
    assert response.status_code == 302, response.content[:300]
    return client.get(response["Location"]).content.decode()


@pytest.fixture(scope="module")
def server(module_cleanup):
    """One ACTIVE instance of demo's to attach volumes to."""
    return boot(sdk("demo"), unique("zt-volhost"), cleanup=module_cleanup)


def test_attach_shows_instance_and_device_then_delete_refused_then_detach(demo_client, demo_sdk, server, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    attach_page = demo_client.get(f"/project/volumes/{vol.id}/attach/").content.decode()
    assert server.name in attach_page
    response = form(demo_client, vol.id, "attach", server=server.id)
    assert response.status_code == 302, response.content.decode()[:2000]
    attached = wait_volume(demo_sdk, vol.id, "in-use")
    assert attached.attachments[0]["server_id"] == server.id
    device = attached.attachments[0]["device"]
    detail = demo_client.get(f"/project/volumes/{vol.id}/").content.decode()
    assert server.name in detail and device in detail and 'data-action="detach"' in detail
    assert 'data-action="delete"' not in detail  # an attached volume cannot be deleted

    page = act(demo_client, vol.id, "delete", name=vol.name)
    assert "The action “Delete” on" in page
    assert demo_sdk.block_storage.get_volume(vol.id).status == "in-use"

    page = act(demo_client, vol.id, "detach", server_id=server.id, name=vol.name)
    assert f"The volume “{vol.name}” is being detached." in page
    wait_volume(demo_sdk, vol.id, "available")


def test_extend_and_extend_smaller_refused(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup, size=1)
    response = form(demo_client, vol.id, "extend", new_size=3)
    assert response.status_code == 302, response.content.decode()[:2000]
    wait_for(lambda: demo_sdk.block_storage.get_volume(vol.id).size == 3, "volume extended to 3 GiB")
    wait_volume(demo_sdk, vol.id, "available")
    response = form(demo_client, vol.id, "extend", new_size=2)
    assert response.status_code == 400
    assert "larger than the current 3 GiB" in response.content.decode()
    assert demo_sdk.block_storage.get_volume(vol.id).size == 3


def test_edit_bootable_and_metadata(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    new_name = unique("zt-renamed")
    assert form(demo_client, vol.id, "edit", name=new_name, description="described").status_code == 302
    assert form(demo_client, vol.id, "bootable", bootable="on").status_code == 302
    assert form(demo_client, vol.id, "metadata", metadata="env=test\nowner = zenith").status_code == 302
    got = demo_sdk.block_storage.get_volume(vol.id)
    assert got.name == new_name and got.description == "described"
    assert str(got.is_bootable).lower() == "true"
    assert got.metadata == {"env": "test", "owner": "zenith"}
    bad = form(demo_client, vol.id, "metadata", metadata="no equals sign")
    assert bad.status_code == 400 and "key=value" in bad.content.decode()


def test_snapshot_then_revert_then_volume_from_it(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    name = unique("zt-snap")
    response = form(demo_client, vol.id, "snapshot", name=name, description="")
    assert response.status_code == 302, response.content.decode()[:2000]
    snap = wait_for(lambda: next(iter(demo_sdk.block_storage.snapshots(name=name)), None), "snapshot made")
    cleanup.delete("snapshot", snap.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap.id).status == "available", "snapshot available")
    assert snap.volume_id == vol.id
    listing = demo_client.get("/project/volumes/snapshots/").content.decode()
    assert name in listing and vol.name in listing
    detail = demo_client.get(f"/project/volumes/snapshots/{snap.id}/").content.decode()
    assert 'data-action="create_volume"' in detail

    # Cinder's revert changes no field but the volume's status (reverting, then available again) and
    # with it updated_at, which Cinder keeps to the second: the revert must land in a later second
    before = demo_sdk.block_storage.get_volume(vol.id).updated_at
    wait_for(lambda: f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}" > before[:19], "a second past the last change", every=0.1)
    page = act(demo_client, vol.id, "revert", name=vol.name)
    assert f"The volume “{vol.name}” is going back to its latest snapshot." in page, page[:3000]

    def reverted():
        now = demo_sdk.block_storage.get_volume(vol.id)
        if now.status.startswith("error"):
            pytest.fail(f"the revert left the volume {now.status}")
        return now.status == "available" and now.updated_at > before

    wait_for(reverted, "the volume reverted and available again")
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap.id).status == "available", "snapshot free again")

    response = demo_client.get(f"/project/volumes/snapshots/{snap.id}/create_volume/")
    assert response.status_code == 302 and f"snapshot={snap.id}" in response["Location"]
    create = demo_client.get(response["Location"]).content.decode()
    assert f'value="{snap.id}" selected' in create


def test_retype_to_another_type(demo_client, demo_sdk, admin_sdk, cleanup):
    new_type = admin_sdk.block_storage.create_type(name=unique("zt-type"))
    cleanup.add(admin_sdk.block_storage.delete_type, new_type)  # runs after the volume is gone
    vol = made_volume(demo_sdk, cleanup)
    response = form(demo_client, vol.id, "retype", volume_type=new_type.name)
    assert response.status_code == 302, response.content.decode()[:2000]
    wait_for(lambda: demo_sdk.block_storage.get_volume(vol.id).volume_type == new_type.name, "volume retyped")
    wait_volume(demo_sdk, vol.id, "available")


def test_upload_to_image(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    image_name = unique("zt-upl")
    response = form(demo_client, vol.id, "upload", image_name=image_name, disk_format="raw")
    assert response.status_code == 302, response.content.decode()[:2000]
    image = wait_for(lambda: next(iter(demo_sdk.image.images(name=image_name)), None), "image made")
    cleanup.delete("image", image.id, conn=demo_sdk)
    assert image.disk_format == "raw"
    wait_volume(demo_sdk, vol.id, "available")


def test_transfer_demo_to_alt_and_a_wrong_key(demo_client, alt_client, demo_sdk, alt_sdk, cleanup):
    vol = demo_sdk.block_storage.create_volume(name=unique("zt-give"), size=1)
    cleanup.delete("volume", vol.id)  # as admin: it changes project on the way
    cleanup.add(  # a transfer never accepted holds the volume: cancel it first
        lambda: [
            demo_sdk.block_storage.delete_transfer(t)
            for t in demo_sdk.block_storage.transfers()
            if t.volume_id == vol.id
        ]
    )
    wait_volume(demo_sdk, vol.id, "available")
    response = form(demo_client, vol.id, "transfer", name="to alt")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    transfer_id = re.search(r'data-testid="transfer-id">([0-9a-f-]{36})<', html).group(1)
    key = re.search(r'data-testid="transfer-key">([^<]+)<', html).group(1)
    assert demo_sdk.block_storage.get_volume(vol.id).status == "awaiting-transfer"
    assert transfer_id in demo_client.get("/project/volumes/transfers/").content.decode()
    assert key not in demo_client.get("/project/volumes/transfers/").content.decode()  # shown once

    wrong = alt_client.post("/project/volumes/transfers/", {"transfer_id": transfer_id, "auth_key": "0" * 16})
    assert wrong.status_code == 400
    assert "Cinder" in wrong.content.decode() and "0" * 16 in wrong.content.decode()
    assert demo_sdk.block_storage.get_volume(vol.id).status == "awaiting-transfer"

    accepted = alt_client.post("/project/volumes/transfers/", {"transfer_id": transfer_id, "auth_key": key})
    assert accepted.status_code == 302 and vol.id in accepted["Location"]
    wait_volume(alt_sdk, vol.id, "available")
    assert alt_client.get(f"/project/volumes/{vol.id}/").status_code == 200
    assert demo_client.get(f"/project/volumes/{vol.id}/").status_code == 404


def test_backup_full_and_incremental_then_restore(demo_client, demo_sdk, cleanup):
    # a backup keeps the volume's metadata with its data and a restore writes it back: the restores
    # below are checked by it (the devcloud's volumes hold no data to compare)
    vol = made_volume(demo_sdk, cleanup, metadata={"stage": "backed-up"})
    name = unique("zt-bk")
    response = form(demo_client, vol.id, "backup", name=name, description="")
    assert response.status_code == 302, response.content.decode()[:2000]

    def backup_named(n):
        return next(iter(demo_sdk.block_storage.backups(name=n)), None)

    full = wait_for(lambda: backup_named(name), "backup made")
    cleanup.delete("backup", full.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_backup(full.id).status == "available", "backup done", timeout=180)
    wait_volume(demo_sdk, vol.id, "available")

    incr_name = unique("zt-bki")
    response = form(demo_client, vol.id, "backup", name=incr_name, description="", incremental="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    incr = wait_for(lambda: backup_named(incr_name), "incremental backup made")
    cleanup.delete("backup", incr.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_backup(incr.id).status == "available", "backup done", timeout=180)
    assert demo_sdk.block_storage.get_backup(incr.id).is_incremental
    wait_volume(demo_sdk, vol.id, "available")
    listing = demo_client.get("/project/volumes/backups/").content.decode()
    assert name in listing and incr_name in listing

    restored_name = unique("zt-restored")
    response = demo_client.post(f"/project/volumes/backups/{full.id}/restore/", {"name": restored_name})
    assert response.status_code == 302, response.content.decode()[:2000]
    restored = wait_for(lambda: next(iter(demo_sdk.block_storage.volumes(name=restored_name)), None), "restored")
    cleanup.delete("volume", restored.id, conn=demo_sdk)
    restored = wait_volume(demo_sdk, restored.id, "available", timeout=180)
    assert restored.metadata.get("stage") == "backed-up" and restored.metadata.get("src_backup_id") == full.id
    wait_for(lambda: demo_sdk.block_storage.get_backup(full.id).status == "available", "backup free again")

    # into the existing volume, changed since its backup: Cinder makes it restoring-backup, writes
    # the backup over it with the metadata it had, then makes it available again
    demo_sdk.block_storage.set_volume_metadata(vol, stage="changed")
    assert demo_sdk.block_storage.get_volume(vol.id).metadata["stage"] == "changed"
    response = demo_client.post(f"/project/volumes/backups/{full.id}/restore/", {"volume": vol.id})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/project/volumes/{vol.id}/"

    def restored_into_volume():
        now = demo_sdk.block_storage.get_volume(vol.id)
        if now.status.startswith("error"):
            pytest.fail(f"the restore left the volume {now.status}")
        return now.status == "available" and now.metadata.get("stage") == "backed-up"

    wait_for(restored_into_volume, "the volume restored from its backup and available again", timeout=180)
    wait_for(lambda: demo_sdk.block_storage.get_backup(full.id).status == "available", "backup free again")

    # deleting: the incremental one first (Cinder refuses the full one while it has dependants)
    page = demo_client.get("/project/volumes/backups/").content.decode()
    assert page.count('data-action="delete"') >= 1
    gone = demo_client.post(f"/project/volumes/backups/{incr.id}/action/delete/", {"name": incr_name})
    assert gone.status_code == 302
    wait_for(lambda: backup_named(incr_name) is None, "incremental backup deleted", timeout=180)


def test_create_from_backup(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup)
    bk = demo_sdk.block_storage.create_backup(volume_id=vol.id, name=unique("zt-bk"))
    cleanup.delete("backup", bk.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_backup(bk.id).status == "available", "backup done", timeout=180)
    response = demo_client.post(
        "/project/volumes/create/", {"name": unique("zt-frombk"), "source": "backup", "backup": bk.id, "size": 1}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    volume_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    wait_volume(demo_sdk, volume_id, "available", timeout=180)
    wait_for(lambda: demo_sdk.block_storage.get_backup(bk.id).status == "available", "backup free again")


def test_extend_over_the_quota_says_the_figures_and_what_to_do(demo_client, demo_sdk, cleanup):
    vol = made_volume(demo_sdk, cleanup, size=1)
    quota = demo_sdk.block_storage.get_quota_set(demo_sdk.current_project_id).gigabytes
    response = form(demo_client, vol.id, "extend", new_size=quota + 7)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"This needs {quota + 6} GiB more volume storage, but the project's quota is {quota} GiB" in page
    assert "Choose a smaller size" in page
    assert "Block Storage (Cinder) said: " in page and f"Requested {quota + 6}G" in page  # Cinder's, as a detail
    assert f'value="{quota + 7}"' in page  # the form keeps what was typed
    assert demo_sdk.block_storage.get_volume(vol.id).size == 1
    french = demo_client.post(f"/project/volumes/{vol.id}/extend/", {"new_size": quota + 7}, HTTP_ACCEPT_LANGUAGE="fr")
    assert f"le quota du projet est de {quota} Gio" in html.unescape(french.content.decode())
