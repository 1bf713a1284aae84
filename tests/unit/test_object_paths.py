"""How an object's name becomes a Swift request path (`object_names.swift_path`, the one function
every object call builds its path with), and which segments a large object's delete takes along.

Pure logic: the paths are checked as requests prepares them (its URL normalisation removes "." and
".." segments, RFC 3986), no request is sent."""

from urllib.parse import parse_qs, unquote

import pytest
import requests

from dashboard.cloud import object_names, objects

ACCOUNT = "http://swift.example:8080/v1/AUTH_p"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("a/b/c.txt", "/c/a/b/c.txt"),
        ("a/../b", "/c/a/%2E%2E/b"),
        ("./x", "/c/%2E/x"),
        ("..", "/c/%2E%2E"),
        (".", "/c/%2E"),
        ("x/../../other/victim.txt", "/c/x/%2E%2E/%2E%2E/other/victim.txt"),
        ("a/./", "/c/a/%2E/"),
        ("../", "/c/%2E%2E/"),
        ("...", "/c/..."),  # not a dot segment
        ("a/.hidden/..x/x..", "/c/a/.hidden/..x/x.."),
        ("100%/%2E%2E/b", "/c/100%25/%252E%252E/b"),  # a literal "%2E" stays a literal name
        ("what?now#frag", "/c/what%3Fnow%23frag"),
        ("é/ü €.txt", "/c/%C3%A9/%C3%BC%20%E2%82%AC.txt"),
        ("dir/", "/c/dir/"),
        ("a//b", "/c/a//b"),
        ("/lead", "/c//lead"),
    ],
)
def test_an_object_path_quotes_every_segment_and_its_dot_segments(name, path):
    assert object_names.swift_path("c", name) == path


def test_a_container_path_is_one_quoted_segment():
    assert object_names.swift_path("my box") == "/my%20box"
    assert object_names.swift_path("a/b") == "/a%2Fb"
    assert object_names.swift_path("..") == "/%2E%2E"


@pytest.mark.parametrize(
    "name",
    [
        "x/../../other/victim.txt",
        "a/../b",
        "./x",
        "..",
        ".",
        "a/./",
        "../../../../etc",
        "%2E%2E/%2e./x",
        "what?now#frag/../y",
        "é/../ü",
        "dir/",
    ],
)
def test_the_path_reaches_swift_with_the_literal_name_after_requests_prepares_it(name):
    """requests removes "." and ".." segments from a URL's path before it sends it: the path Swift
    reads (percent-decoded, as Swift decodes it) must still name this object in this container."""
    prepared = requests.Request("DELETE", ACCOUNT + object_names.swift_path("c", name)).prepare()
    assert unquote(prepared.path_url) == f"/v1/AUTH_p/c/{name}"


@pytest.mark.parametrize(
    ("name", "dotted"),
    [("x/../y", True), ("./", True), ("a/.", True), ("..", True), ("a/.hidden", False), ("...", False), ("a.b", False)],
)
def test_a_name_with_dot_segments_is_told_apart(name, dotted):
    assert object_names.has_dot_segment(name) is dotted


def test_a_temporary_url_names_the_object_swift_checks_its_signature_for():
    """The URL reaches Swift with the object's literal path, the one its signature is made for."""
    url = objects.temp_url(ACCOUNT, "secret", "c", "x/../../other/v.txt", 1700000000)
    prepared = requests.Request("GET", url).prepare()
    path, query = prepared.path_url.split("?")
    assert unquote(path) == "/v1/AUTH_p/c/x/../../other/v.txt"
    signature = objects.sign_temp_url("secret", "GET", 1700000000, "/v1/AUTH_p/c/x/../../other/v.txt")
    assert parse_qs(query) == {"temp_url_sig": [signature], "temp_url_expires": ["1700000000"]}


def test_a_large_objects_delete_takes_only_segments_of_its_own_containers():
    """A manifest names its segments "/<container>/<object>" anywhere in the account: the delete
    takes along those in the manifest's container and its segments container, no other."""
    manifest = [
        {"name": "/c_segments/big/slo/1/00000000"},
        {"name": "/c/part-2"},
        {"name": "/other/victim.txt"},
        {"name": "/c/x/../../other/victim.txt"},  # a literal name inside "c"
        {"data": "aGVsbG8="},  # inline data: no object
        {"name": "/c_segments/inner", "sub_slo": True},
        {"name": "//other/y"},  # Swift strips the leading slashes: container "other"
        {"name": "/c_segments_x/z"},
        {"name": "/c"},  # no object: never the container itself
        {"name": "/c/"},
    ]
    taken, left = objects.manifest_segments("c", manifest)
    assert taken == [
        ("c_segments", "big/slo/1/00000000", False),
        ("c", "part-2", False),
        ("c", "x/../../other/victim.txt", False),
        ("c_segments", "inner", True),
    ]
    assert left == ["/other/victim.txt", "//other/y", "/c_segments_x/z", "/c", "/c/"]
