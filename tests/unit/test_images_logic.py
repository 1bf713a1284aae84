"""The images panel's pure parts: Glance queries, create/patch bodies, the actions table, the
format check on an upload's first block, the properties field, upload progress figures."""

import pytest
from django.core.exceptions import ValidationError

from dashboard.cloud import CloudError, image_uploads, images
from dashboard.cloud.paging import ListParams
from dashboard.panels.images.forms import parse_properties
from dashboard.uploads.progress import Upload

PROJECT = "p1"


def image(**kw):
    base = {"id": "i1", "name": "n", "status": "active", "visibility": "private", "owner_id": PROJECT}
    return images.ImageDetail(**{**base, **kw})


def test_glance_query_maps_filters_and_sort():
    params = ListParams(
        filters={"name": "cirros", "format": "qcow2", "visibility": "mine"}, sort="size", direction="asc"
    )
    q = images.glance_query(params, PROJECT)
    assert q == {"sort_key": "size", "sort_dir": "asc", "name": "cirros", "disk_format": "qcow2", "owner": PROJECT}


def test_glance_query_shared_with_me_includes_pending_shares():
    q = images.glance_query(ListParams(filters={"visibility": "shared"}), PROJECT)
    assert q["visibility"] == "shared" and q["member_status"] == "all"


def test_going_back_reverses_the_sort():
    q = images.glance_query(ListParams(direction="desc", before="x"), PROJECT)
    assert q["sort_dir"] == "asc"


def test_image_body_keeps_os_fields_and_free_properties():
    body = images.image_body(
        {"name": "a", "disk_format": "raw", "os_distro": "debian", "properties": {"hw_disk_bus": "scsi"}}
    )
    assert body["os_distro"] == "debian" and body["hw_disk_bus"] == "scsi"
    assert body["container_format"] == "bare" and body["visibility"] == "private" and body["protected"] is False


def test_image_from_json_separates_custom_properties():
    got = images.image_from_json(
        {"id": "x", "name": "a", "status": "active", "size": 5, "hw_disk_bus": "scsi", "self": "/v2"}
    )
    assert got.properties == {"hw_disk_bus": "scsi"} and got.size == 5


def test_image_patch_replaces_adds_and_removes():
    current = image(min_disk=1, properties={"a": "1", "b": "2"})
    ops = images.image_patch(current, {"name": "n2", "min_disk": 1, "properties": {"a": "9", "c": "3"}})
    assert {"op": "replace", "path": "/name", "value": "n2"} in ops
    assert {"op": "replace", "path": "/a", "value": "9"} in ops
    assert {"op": "add", "path": "/c", "value": "3"} in ops
    assert {"op": "remove", "path": "/b"} in ops
    assert not any(op["path"] == "/min_disk" for op in ops)


@pytest.mark.parametrize(
    ("img", "admin", "member", "expected"),
    [
        (image(), False, "", {"edit", "delete", "share"}),
        (image(status="saving"), False, "", {"delete"}),
        (image(owner_id="other", visibility="public"), False, "", set()),
        (image(owner_id="other", visibility="shared"), False, "pending", {"accept", "reject"}),
        (image(owner_id="other", visibility="shared"), False, "accepted", {"reject"}),
        (image(owner_id="other", visibility="shared"), False, "rejected", {"accept"}),
        (image(), True, "", {"edit", "delete", "share", "deactivate"}),
        (image(status="deactivated"), True, "", {"edit", "delete", "share", "reactivate"}),
        (image(is_protected=True), False, "", {"edit", "delete", "share"}),  # Glance says why it refuses
        (image(status="deleted"), True, "", set()),
    ],
)
def test_allowed_actions(img, admin, member, expected):
    assert images.allowed_actions(img, PROJECT, admin, member) == expected


def test_offered_keeps_the_table_order():
    names = [a.name for a in images.offered(image(), PROJECT, True)]
    assert names == ["edit", "share", "deactivate", "delete"]


QCOW2 = b"QFI\xfb" + b"\0" * 100


@pytest.mark.parametrize(
    ("claimed", "head", "problem"),
    [
        ("qcow2", QCOW2, ""),
        ("qcow2", b"\0" * 4096, "not a qcow2 image"),
        ("raw", QCOW2, "is a qcow2 image, not raw"),
        ("raw", b"anything", ""),
        ("vmdk", b"KDMV" + b"\0" * 10, ""),
        ("iso", b"\0" * 0x8001 + b"CD001" + b"\0" * 10, ""),
        ("iso", b"\0" * 100, "too small"),
        ("ami", b"whatever", ""),  # not checked
    ],
)
def test_format_mismatch(claimed, head, problem):
    found = image_uploads.format_mismatch(claimed, head)
    assert (problem in found) if problem else found == ""


def test_checked_blocks_refuses_an_empty_file_and_passes_data_through():
    with pytest.raises(CloudError, match="empty"):
        next(image_uploads.checked_blocks("raw", iter([])))
    assert list(image_uploads.checked_blocks("qcow2", iter([QCOW2, b"more"]))) == [QCOW2, b"more"]


def test_parse_properties():
    assert parse_properties("a=1\n\n b = two words \n") == {"a": "1", "b": "two words"}
    for bad in ("no equals", "bad key!=1", "size=3"):
        with pytest.raises(ValidationError):
            parse_properties(bad)


def test_upload_progress_figures():
    u = Upload("u", "images", PROJECT, "user", "t", total=1000, done=250, state="sending", started=100.0, updated=110.0)
    assert u.percent == 25 and u.rate == 25.0 and u.seconds_left == 30 and u.active
    assert Upload("u", "images", PROJECT, "user", "t", state="done").percent == 100


# --- the uploads panel: each record checked against its image as Glance has it now -------------
def upload_row(state: str, status: str | None, name: str = "now", checked: bool = True):
    from dashboard.panels.images.uploads import UploadRow

    upload = Upload(id="u1", kind="images", project_id=PROJECT, user_id="me", target_id="i1", name="then", state=state)
    return UploadRow(upload, None if status is None else image(name=name, status=status), checked=checked)


def test_a_running_upload_offers_cancel_under_its_images_current_name():
    row = upload_row("sending", "saving")
    assert row.running and row.cancellable and row.state == "sending" and row.shown
    assert row.name == "now" and row.linked  # renamed since: the current name


def test_an_upload_whose_image_went_active_is_over_whatever_its_record_says():
    row = upload_row("sending", "active")  # the process that sent it stopped before writing "done"
    assert not row.running and not row.cancellable and row.state == "done"


def test_an_uploaded_image_deleted_since_leaves_the_panel():
    assert not upload_row("done", None).shown
    assert not upload_row("sending", None).shown  # its upload cannot go on either


def test_a_failed_or_cancelled_upload_stays_without_a_link_to_its_removed_image():
    for state in ("failed", "cancelled"):
        row = upload_row(state, None)
        assert row.shown and not row.linked and not row.running and row.name == "then"


def test_without_glances_answer_the_record_is_trusted():
    row = upload_row("sending", None, checked=False)
    assert row.running and row.cancellable and row.linked and row.name == "then"


def test_the_panel_rereads_itself_while_one_runs_and_counts_what_can_be_dismissed():
    from dashboard.panels.images.uploads import UploadsPanel

    running, ended = upload_row("sending", "saving"), upload_row("done", "active")
    ended.upload.id = "u2"
    panel = UploadsPanel([running, ended])
    assert panel.sending and panel.ended == 1
    assert not panel.without(["u1"]).sending and panel.without(["u1"]).ended == 1
    # waiting for its file: nothing moves until it starts (its image's change reloads the panel)
    assert not UploadsPanel([upload_row("ready", "queued")]).sending
