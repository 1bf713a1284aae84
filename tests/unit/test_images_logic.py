"""The images panel's pure parts: Glance queries, create/patch bodies, the actions table, the
format check on an upload's first block, the properties field, upload progress figures."""

import pytest
from django.core.exceptions import ValidationError

from dashboard.cloud import CloudError, images
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
    found = images.format_mismatch(claimed, head)
    assert (problem in found) if problem else found == ""


def test_checked_blocks_refuses_an_empty_file_and_passes_data_through():
    with pytest.raises(CloudError, match="empty"):
        next(images.checked_blocks("raw", iter([])))
    assert list(images.checked_blocks("qcow2", iter([QCOW2, b"more"]))) == [QCOW2, b"more"]


def test_parse_properties():
    assert parse_properties("a=1\n\n b = two words \n") == {"a": "1", "b": "two words"}
    for bad in ("no equals", "bad key!=1", "size=3"):
        with pytest.raises(ValidationError):
            parse_properties(bad)


def test_upload_progress_figures():
    u = Upload("u", "images", PROJECT, "user", "t", total=1000, done=250, state="sending", started=100.0, updated=110.0)
    assert u.percent == 25 and u.rate == 25.0 and u.seconds_left == 30 and u.active
    assert Upload("u", "images", PROJECT, "user", "t", state="done").percent == 100
