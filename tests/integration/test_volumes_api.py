"""The volumes API (/api/v1/volumes/, snapshots, backups, transfers) against the devcloud: the
same project rules and error shape as the rest of the API, results checked with openstacksdk."""

from __future__ import annotations

import pytest

from tests.helpers import unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def wait_status(conn, volume_id: str, status: str):
    return wait_for(lambda: conn.block_storage.get_volume(volume_id).status == status, f"volume {status}")


def post(client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_create_list_extend_snapshot_and_delete(demo_client, demo_sdk, cleanup):
    name = unique("zt-apivol")
    created = post(demo_client, "/api/v1/volumes/", {"name": name, "size": 1})
    assert created.status_code == 202, created.content
    volume_id = created.json()["volume"]["id"]
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    wait_status(demo_sdk, volume_id, "available")

    listed = demo_client.get("/api/v1/volumes/", {"name": name}).json()["volumes"]
    assert [v["id"] for v in listed] == [volume_id] and "delete" in listed[0]["actions"]
    one = demo_client.get(f"/api/v1/volumes/{volume_id}/").json()["volume"]
    assert one["name"] == name and one["size"] == 1

    smaller = post(demo_client, f"/api/v1/volumes/{volume_id}/action/", {"action": "extend", "new_size": 1})
    assert smaller.status_code == 400 and smaller.json()["error"] == "bad_request"
    bootable = post(demo_client, f"/api/v1/volumes/{volume_id}/action/", {"action": "set_bootable", "bootable": True})
    assert bootable.status_code == 202
    assert str(demo_sdk.block_storage.get_volume(volume_id).is_bootable).lower() == "true"

    snap = post(demo_client, "/api/v1/snapshots/", {"volume_id": volume_id, "name": unique("zt-apisnap")})
    assert snap.status_code == 202, snap.content
    snap_id = snap.json()["snapshot"]["id"]
    cleanup.delete("snapshot", snap_id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap_id).status == "available", "snapshot available")
    assert snap_id in [s["id"] for s in demo_client.get("/api/v1/snapshots/").json()["snapshots"]]

    refused = demo_client.delete(f"/api/v1/volumes/{volume_id}/")  # Cinder: it has a snapshot
    assert refused.status_code == 400 and refused.json()["error"] == "bad_request", refused.content
    assert demo_client.delete(f"/api/v1/snapshots/{snap_id}/").status_code == 202
    wait_for(lambda: demo_sdk.block_storage.find_snapshot(snap_id, ignore_missing=True) is None, "snapshot gone")
    assert demo_client.delete(f"/api/v1/volumes/{volume_id}/").status_code == 202
    wait_for(lambda: demo_sdk.block_storage.find_volume(volume_id, ignore_missing=True) is None, "volume gone")


@pytest.mark.parametrize("size", [0, -1, "x"])
def test_bad_sizes_are_json_errors(demo_client, size):
    response = post(demo_client, "/api/v1/volumes/", {"name": unique("zt-bad"), "size": size})
    assert (
        response.status_code == 400
        and response.json()["error"] == "bad_request"
        and "size" in response.json()["fields"]
    )


def test_over_quota_is_a_json_quota_error(demo_client, demo_sdk):
    name = unique("zt-big")
    response = post(demo_client, "/api/v1/volumes/", {"name": name, "size": 15000})
    assert response.status_code == 403 and response.json()["error"] == "quota"
    assert not list(demo_sdk.block_storage.volumes(name=name))


def test_transfer_to_alt_through_the_api(demo_client, alt_client, demo_sdk, alt_sdk, cleanup):
    vol = demo_sdk.block_storage.create_volume(name=unique("zt-apigive"), size=1)
    cleanup.delete("volume", vol.id)
    cleanup.add(
        lambda: [
            demo_sdk.block_storage.delete_transfer(t)
            for t in demo_sdk.block_storage.transfers()
            if t.volume_id == vol.id
        ]
    )
    wait_status(demo_sdk, vol.id, "available")
    created = post(demo_client, "/api/v1/transfers/", {"volume_id": vol.id, "name": "api"})
    assert created.status_code == 201 and created["Cache-Control"] == "no-store"
    transfer = created.json()["transfer"]
    listed = demo_client.get("/api/v1/transfers/").json()["transfers"]
    assert transfer["id"] in [t["id"] for t in listed] and all("auth_key" not in t for t in listed)

    wrong = post(alt_client, f"/api/v1/transfers/{transfer['id']}/accept/", {"auth_key": "nope"})
    assert wrong.status_code == 400 and set(wrong.json()) >= {"error", "message"}
    accepted = post(alt_client, f"/api/v1/transfers/{transfer['id']}/accept/", {"auth_key": transfer["auth_key"]})
    assert accepted.status_code == 202 and accepted.json()["volume_id"] == vol.id
    wait_status(alt_sdk, vol.id, "available")
    assert demo_client.get(f"/api/v1/volumes/{vol.id}/").status_code == 404


def test_other_projects_volume_is_404(demo_client, alt_sdk, cleanup):
    vol = alt_sdk.block_storage.create_volume(name=unique("zt-alt"), size=1)
    cleanup.delete("volume", vol.id, conn=alt_sdk)
    response = demo_client.get(f"/api/v1/volumes/{vol.id}/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert demo_client.delete(f"/api/v1/volumes/{vol.id}/").status_code == 404
