"""The pure parts of the object storage module: Swift's name rules, folders from names, listing
rows, the actions a container's state allows, segment cutting and the temp URL signature."""

import hashlib
import hmac

import pytest

from dashboard.cloud import containers, object_names, object_uploads, objects


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("photos", False),
        ("with space & <markup>", False),
        ("a/b", True),
        ("", True),
        ("x" * 256, False),
        ("x" * 257, True),
        ("é" * 128, False),  # 256 bytes
        ("é" * 129, True),  # 258 bytes: Swift counts bytes, not characters
        ("nul\x00", True),
    ],
)
def test_container_names_as_swift_checks_them(name, refused):
    assert bool(object_names.container_name_problem(name)) is refused


@pytest.mark.parametrize(
    ("name", "refused"),
    [("a/b/c.txt", False), ("x" * 1024, False), ("x" * 1025, True), ("€" * 342, True), ("", True)],
)
def test_object_names_as_swift_checks_them(name, refused):
    assert bool(object_names.object_name_problem(name)) is refused


def test_folders_from_names():
    assert object_names.parent_of("a/b/c.txt") == "a/b/"
    assert object_names.parent_of("a/b/") == "a/"
    assert object_names.parent_of("top.txt") == ""
    assert object_names.basename_of("a/b/c.txt") == "c.txt"
    assert object_names.basename_of("a/b/") == "b/"
    assert object_names.breadcrumbs("") == []
    assert object_names.breadcrumbs("a/b c/") == [("a", "a/"), ("b c", "a/b c/")]


def test_listing_rows_become_entries():
    folder = objects.entry_from({"subdir": "docs/"})
    assert folder.folder and folder.label == "docs/"
    slo = objects.entry_from(
        {"name": "big.iso", "bytes": 5, "hash": "manifest", "slo_etag": '"whole"', "content_type": "x/y"}
    )
    assert not slo.folder and slo.large and slo.etag == "whole" and slo.last_modified is None
    marker = objects.entry_from({"name": "empty/", "bytes": 0, "content_type": "application/directory", "hash": "d"})
    assert marker.folder
    plain = objects.entry_from({"name": "a.txt", "bytes": 3, "hash": "h", "last_modified": "2026-01-02T03:04:05.123"})
    assert plain.bytes == 3 and not plain.large and plain.last_modified.year == 2026


def test_public_read_acl():
    assert containers.is_public(".r:*,.rlistings")
    assert containers.is_public(".rlistings, .r:*")
    assert not containers.is_public("")
    assert not containers.is_public("project:user")


def test_container_actions_follow_its_state():
    private_empty = containers.Container("c", count=0)
    public_full = containers.Container("c", count=3, read_acl=objects.PUBLIC_READ)
    assert containers.allowed_actions(private_empty) == ["make_public", "metadata", "delete"]
    assert containers.allowed_actions(public_full) == ["make_private", "metadata", "empty_delete"]
    for names in (containers.allowed_actions(private_empty), containers.allowed_actions(public_full)):
        assert set(names) <= set(containers.ACTIONS)


def test_entry_actions():
    assert objects.entry_actions(objects.Entry("d/", folder=True)) == ["delete"]
    assert objects.entry_actions(objects.Entry("f.txt")) == list(objects.OBJECT_ACTIONS)


def test_pieces_cut_a_stream_into_segments_without_joining_it():
    chunks = [b"abc", b"defgh", b"", b"ij", b"klmnopq"]
    pieces = object_uploads.Pieces(iter(chunks), 4)
    got = []
    while pieces.has_more():
        parts = list(pieces.piece())
        assert all(len(p) <= 4 for p in parts)
        got.append(b"".join(parts))
    assert got == [b"abcd", b"efgh", b"ijkl", b"mnop", b"q"]


def test_exactly_refuses_a_short_or_long_stream():
    assert b"".join(object_uploads._exactly(iter([b"ab", b"c"]), 3)) == b"abc"
    with pytest.raises(objects.CloudError):
        b"".join(object_uploads._exactly(iter([b"ab"]), 3))
    with pytest.raises(objects.CloudError):
        b"".join(object_uploads._exactly(iter([b"ab", b"cd"]), 3))


def test_temp_url_signature_is_swifts_hmac_sha256():
    key, path = "secret", "/v1/AUTH_p/c/a b.txt"
    expected = hmac.new(b"secret", b"GET\n1700000000\n/v1/AUTH_p/c/a b.txt", hashlib.sha256).hexdigest()
    assert objects.sign_temp_url(key, "GET", 1700000000, path) == expected
