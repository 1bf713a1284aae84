"""Which volume, snapshot and backup actions each Cinder state allows (dashboard.cloud.volume_actions,
snapshots, backups), and the quota check made before asking Cinder for a new volume."""

from dashboard.cloud import backups, snapshots, volume_actions, volumes
from dashboard.cloud.volume_actions import allowed_actions
from dashboard.cloud.volume_types import Limit, quota_problem


def test_available_volume_offers_everything_but_detach():
    allowed = allowed_actions("available")
    assert {"delete", "extend", "attach", "transfer", "revert", "retype", "upload", "backup"} <= allowed
    assert "detach" not in allowed


def test_in_use_volume_cannot_be_deleted_transferred_or_attached_again():
    allowed = allowed_actions("in-use", attached=True)
    assert {"detach", "extend", "snapshot", "backup", "upload", "retype"} <= allowed
    assert not {"delete", "transfer", "attach", "revert", "launch"} & allowed


def test_multiattach_volume_may_join_another_instance():
    assert "attach" in allowed_actions("in-use", attached=True, multiattach=True)


def test_busy_statuses_allow_nothing():
    for status in ("creating", "attaching", "detaching", "deleting", "backing-up", "extending", "uploading"):
        assert allowed_actions(status) == set(), status


def test_error_volume_can_be_deleted_but_not_used():
    allowed = allowed_actions("error")
    assert "delete" in allowed and not {"attach", "extend", "snapshot"} & allowed


def test_migrating_volume_is_not_deleted_extended_or_retyped():
    allowed = allowed_actions("available", migrating=True)
    assert not {"delete", "extend", "retype", "transfer"} & allowed


def test_offered_leaves_targeted_actions_to_the_detail_page():
    vol = volumes.Volume(id="v", name="v", status="in-use", attachments=[volumes.Attachment("s", "/dev/vdb")])
    names = [a.name for a in volume_actions.offered(vol)]
    assert "detach" not in names and "extend" in names


def test_snapshot_and_backup_states():
    assert snapshots.allowed_actions("available") == {"edit", "create_volume", "launch", "delete"}
    assert snapshots.allowed_actions("creating") == set()
    assert backups.allowed_actions("available") == {"restore", "delete"}
    assert backups.allowed_actions("available", has_dependents=True) == {"restore"}
    assert backups.allowed_actions("creating") == set()


def test_quota_problem_counts_volumes_gigabytes_and_per_type():
    limits = {
        "volumes": Limit(10, 9),
        "gigabytes": Limit(100, 90),
        "volumes_fast": Limit(2, 2),
        "gigabytes_fast": Limit(-1, 0),
    }
    assert quota_problem(limits, 5) == ""
    assert "GiB" in quota_problem(limits, 11)
    assert "fast" in quota_problem(limits, 1, "fast")
    assert quota_problem({"volumes": Limit(-1, 500), "gigabytes": Limit(-1, 0)}, 10000) == ""
    assert "volumes" in quota_problem({"volumes": Limit(3, 3)}, 1)


def test_volume_from_json_reads_cinder_fields():
    vol = volumes.volume_from_json(
        {
            "id": "v1",
            "name": "data",
            "size": 3,
            "status": "in-use",
            "bootable": "true",
            "encrypted": True,
            "volume_type": "standard",
            "attachments": [{"server_id": "s1", "device": "/dev/vdb", "attachment_id": "a1"}],
            "created_at": "2026-11-25T20:00:00.000000",
            "metadata": {"k": "v"},
        }
    )
    assert vol.bootable and vol.encrypted and vol.attachments[0].device == "/dev/vdb"
    assert vol.created_at.tzinfo is not None and vol.metadata == {"k": "v"}
    volumes.name_attachments([vol], {"s1": "web-1"})
    assert vol.attachments[0].server_name == "web-1"


def _answering(status: int, body: dict):
    """A connection whose Cinder answers every raw call with this status and JSON body."""
    import json

    import requests

    def reply(path, **kwargs):
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = "http://127.0.0.1:8776/v3/p" + path
        return response

    proxy = type("Proxy", (), {"post": staticmethod(reply), "get": staticmethod(reply)})()
    return type("Conn", (), {"block_storage": proxy})()


def test_a_cloud_without_backup_service_says_so():
    import pytest

    from dashboard.cloud import CloudError

    conn = _answering(
        503, {"serviceUnavailable": {"code": 503, "message": "Service cinder-backup could not be found."}}
    )
    with pytest.raises(CloudError) as err:
        backups.create_backup(conn, "v1", "b")
    assert err.value.message == str(backups.NO_BACKUP_SERVICE)
    with pytest.raises(CloudError) as err:
        backups.restore_backup(conn, "b1", name="x")
    assert "cinder-backup" in err.value.message


def test_other_backup_refusals_keep_cinders_words():
    import pytest

    from dashboard.cloud import CloudError

    conn = _answering(
        400, {"badRequest": {"code": 400, "message": "Invalid volume: Volume to be backed up must be available"}}
    )
    with pytest.raises(CloudError) as err:
        backups.create_backup(conn, "v1", "b")
    assert err.value.kind == "bad_request" and "must be available" in err.value.message
