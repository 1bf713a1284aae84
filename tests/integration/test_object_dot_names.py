"""Object names with "." and ".." segments against the devcloud's real Swift (issue #29).

Swift stores a name such as "x/../../<B>/victim.txt" as it is (any client that does not tidy its
URL can make one: curl --path-as-is, the swift CLI, anyone with write access to a shared
container). An HTTP library that removes dot segments from a URL (requests does, RFC 3986) turns
an action on that object into one on "<B>/victim.txt", another container's object. Every action
Zenith offers on an object (pages and API) is done here on such a name: it must act on that object
and leave the victim alone. What Swift holds is read and written with http.client, which sends a
path exactly as given."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
from types import SimpleNamespace
from urllib.parse import quote, urlencode, urlsplit

import pytest
import requests

from tests.helpers import asgi_put, unique

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = b"the victim's bytes"
DOTTED = b"the object with dots in its name"
SEGMENT = 1024 * 1024  # the segment size the upload test sets


class Swift:
    """demo's Swift account over http.client: paths go out exactly as written (no dot segment is
    removed), names quoted except their dots."""

    def __init__(self, conn):
        parts = urlsplit(conn.object_store.get_endpoint().rstrip("/"))
        self.host, self.port, self.account = parts.hostname, parts.port, parts.path
        self.token = conn.session.get_token()

    def request(self, method: str, container: str, name: str = "", body: bytes = b"", query: str = "", headers=None):
        path = f"{self.account}/{quote(container, safe='')}" + (f"/{quote(name, safe='/')}" if name else "")
        link = http_client(self.host, self.port)
        try:
            target = path + (f"?{query}" if query else "")
            link.request(method, target, body=body, headers={"X-Auth-Token": self.token, **(headers or {})})
            answer = link.getresponse()
            return answer.status, answer.read(), dict(answer.getheaders())
        finally:
            link.close()

    def put(self, container: str, name: str = "", body: bytes = b"", **kw) -> None:
        status, text, _ = self.request("PUT", container, name, body, **kw)
        assert status == 201, (container, name, status, text[:300])

    def get(self, container: str, name: str) -> bytes | None:
        status, body, _ = self.request("GET", container, name)
        return body if status == 200 else None

    def names(self, container: str) -> list[str]:
        status, body, _ = self.request("GET", container, query="format=json")
        return [row["name"] for row in json.loads(body)] if status == 200 else []

    def large(self, container: str, name: str, segments: list[str]) -> None:
        """A static large object made of these segments ("/<container>/<object>", literal names)."""
        manifest = json.dumps([{"path": s, "etag": None, "size_bytes": None} for s in segments]).encode()
        self.put(container, name, manifest, query="multipart-manifest=put")

    def drop(self, container: str) -> None:
        """Delete a container and what it holds (each object plainly: a manifest alone)."""
        for name in self.names(container):
            self.request("DELETE", container, name)
        self.request("DELETE", container)


def http_client(host: str, port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=30)


@pytest.fixture
def pair(demo_sdk, cleanup):
    """Containers A and B of demo's; B holds victim.txt, A an object whose name climbs to it."""
    swift = Swift(demo_sdk)
    a, b = unique("objnames-a"), unique("objnames-b")
    for container in (a, b):
        swift.put(container)
        cleanup.add(swift.drop, container)
        cleanup.add(swift.drop, f"{container}_segments")
    swift.put(b, "victim.txt", VICTIM)
    dotted = f"x/../../{b}/victim.txt"
    swift.put(a, dotted, DOTTED)
    assert swift.names(a) == [dotted] and swift.get(a, dotted) == DOTTED  # stored as it is named
    return SimpleNamespace(swift=swift, a=a, b=b, dotted=dotted)


def _untouched(pair) -> None:
    assert pair.swift.names(pair.b) == ["victim.txt"]
    assert pair.swift.get(pair.b, "victim.txt") == VICTIM


def _page(container: str, view: str, name: str) -> str:
    return f"/project/containers/c/{quote(container, safe='')}/{view}?" + urlencode({"name": name})


def _fetch_raw(url: str) -> tuple[int, bytes]:
    """GET a URL as written (http.client tidies nothing)."""
    parts = urlsplit(url)
    link = http_client(parts.hostname, parts.port)
    try:
        link.request("GET", parts.path + "?" + parts.query)
        answer = link.getresponse()
        return answer.status, answer.read()
    finally:
        link.close()


# --- the pages ------------------------------------------------------------------------------------


def test_object_page_download_and_delete_act_on_the_dotted_object(demo_client, pair):
    page = demo_client.get(_page(pair.a, "object/", pair.dotted))
    assert page.status_code == 200
    assert f"{len(DOTTED)}\xa0bytes".encode() in page.content
    assert hashlib.md5(DOTTED).hexdigest().encode() in page.content  # noqa: S324 - Swift's etag

    download = demo_client.get(_page(pair.a, "object/download/", pair.dotted))
    assert download.status_code == 200 and b"".join(download.streaming_content) == DOTTED

    deleted = demo_client.post(f"/project/containers/c/{pair.a}/object/delete/", {"name": pair.dotted})
    assert deleted.status_code == 302
    assert pair.swift.names(pair.a) == []
    _untouched(pair)


def test_copy_and_move_act_on_the_dotted_object_and_a_dotted_target(demo_client, pair):
    copied = demo_client.post(_page(pair.a, "object/copy/", pair.dotted), {"container": pair.a, "name": "copy.txt"})
    assert copied.status_code == 302, copied.content[-800:]
    assert pair.swift.get(pair.a, "copy.txt") == DOTTED

    # a target name with dot segments is created as named, in the chosen container
    target = f"y/../../{pair.b}/victim.txt"
    to_dotted = demo_client.post(_page(pair.a, "object/copy/", "copy.txt"), {"container": pair.a, "name": target})
    assert to_dotted.status_code == 302, to_dotted.content[-800:]
    assert pair.swift.get(pair.a, target) == DOTTED
    _untouched(pair)

    moved = demo_client.post(
        _page(pair.a, "object/copy/", pair.dotted), {"container": pair.a, "name": "moved.txt", "move": "on"}
    )
    assert moved.status_code == 302, moved.content[-800:]
    assert sorted(pair.swift.names(pair.a)) == sorted(["copy.txt", "moved.txt", target])
    assert pair.swift.get(pair.a, "moved.txt") == DOTTED
    _untouched(pair)


def test_a_temporary_url_of_the_dotted_object_gives_its_bytes(demo_client, pair):
    response = demo_client.post(_page(pair.a, "object/share/", pair.dotted), {"expires": "3600"})
    assert response.status_code == 200
    url = re.search(r'value="([^"]+)" id="temp-url"', response.content.decode())[1].replace("&amp;", "&")
    # browsers remove %2E%2E segments too (WHATWG URL): the page says where the link works
    assert b'data-testid="temp-url-dots"' in response.content
    assert _fetch_raw(url) == (200, DOTTED)  # the URL as Zenith wrote it (curl and wget send it so)
    fetched = requests.get(url, timeout=30)  # and as a client that tidies URLs sends it
    assert fetched.status_code == 200 and fetched.content == DOTTED


# --- the API --------------------------------------------------------------------------------------


def test_the_api_acts_on_the_dotted_object(demo_client, pair):
    api = f"/api/v1/containers/{pair.a}/object/"
    info = demo_client.get(api, {"name": pair.dotted})
    assert info.status_code == 200 and info.json()["object"]["bytes"] == len(DOTTED)

    download = demo_client.get(api + "download/", {"name": pair.dotted})
    assert download.status_code == 200 and b"".join(download.streaming_content) == DOTTED

    shared = demo_client.post(api + "temp-url/", {"name": pair.dotted, "seconds": 600}, "application/json")
    assert shared.status_code == 201 and requests.get(shared.json()["url"], timeout=30).content == DOTTED

    target = f"z/../../{pair.b}/victim.txt"
    copied = demo_client.post(
        api + "copy/", {"name": pair.dotted, "to_container": pair.a, "to_name": target}, "application/json"
    )
    assert copied.status_code == 201 and pair.swift.get(pair.a, target) == DOTTED
    move = {"name": pair.dotted, "to_container": pair.a, "to_name": "m.txt", "move": True}
    moved = demo_client.post(api + "copy/", move, "application/json")
    assert moved.status_code == 201 and sorted(pair.swift.names(pair.a)) == sorted(["m.txt", target])
    _untouched(pair)

    gone = demo_client.delete(api + "?" + urlencode({"name": target}))
    assert gone.status_code == 204 and pair.swift.names(pair.a) == ["m.txt"]
    _untouched(pair)


def test_a_dotted_name_uploaded_through_zenith_is_stored_as_named(demo_client, pair, settings):
    settings.OBJECT_SEGMENT_BYTES = SEGMENT
    demo_client.get("/project/containers/")  # the CSRF cookie the upload route checks
    small, large = os.urandom(1000), os.urandom(SEGMENT + SEGMENT // 2)
    names = {f"up/../../{pair.b}/victim.txt": small, f"big/../../{pair.b}/victim.txt": large}
    made = demo_client.post(
        f"/api/v1/containers/{pair.a}/uploads/",
        {"files": [{"name": n, "size": len(d)} for n, d in names.items()]},
        "application/json",
    )
    assert made.status_code == 201, made.content[:500]
    for row in made.json()["uploads"]:
        status, body = asgi_put(demo_client, row["upload_url"], names[row["name"]])
        assert status == 200 and body["state"] == "done", body
    for name, data in names.items():
        assert pair.swift.get(pair.a, name) == data
    # the large one's segments went to A's segments container, under its literal name
    segments = pair.swift.names(f"{pair.a}_segments")
    assert len(segments) == 2 and all(s.startswith(f"big/../../{pair.b}/victim.txt/slo/") for s in segments)
    _untouched(pair)


# --- large objects: deletes that take segments along ----------------------------------------------


def test_a_folder_delete_takes_a_dotted_large_object_not_another_containers(demo_client, pair):
    # in B, a large object of its own; in A, under "x/", one whose name climbs to it
    pair.swift.put(pair.b, "seg-0", b"B's segment")
    pair.swift.large(pair.b, "big.bin", [f"/{pair.b}/seg-0"])
    pair.swift.put(pair.a, "x/seg-0", b"A's segment")
    pair.swift.large(pair.a, f"x/../../{pair.b}/big.bin", [f"/{pair.a}/x/seg-0"])

    response = demo_client.post(
        f"/project/containers/c/{pair.a}/delete/", {"names": ["x/"], "action": "delete"}, follow=True
    )
    assert response.status_code == 200 and b"3 objects deleted" in response.content, response.content[-1500:]
    assert pair.swift.names(pair.a) == []
    assert pair.swift.names(pair.b) == ["big.bin", "seg-0", "victim.txt"]
    assert pair.swift.get(pair.b, "big.bin") == b"B's segment"
    assert pair.swift.get(pair.b, "victim.txt") == VICTIM


def test_deleting_a_large_object_leaves_segments_outside_its_containers(demo_client, pair):
    """A manifest may name segments anywhere in the account (Swift checks only that they can be
    read): deleting it takes along those in its own container and its segments container only."""
    swift, a, b = pair.swift, pair.a, pair.b
    swift.put(f"{a}_segments")
    swift.put(f"{a}_segments", "one/0", b"own segment ")
    swift.large(a, "one.bin", [f"/{a}_segments/one/0", f"/{b}/victim.txt"])
    swift.put(f"{a}_segments", "two/0", b"own segment ")
    # the second one's segments: the victim, and the dotted object of A (a literal name in A)
    swift.large(a, "two.bin", [f"/{a}_segments/two/0", f"/{b}/victim.txt", f"/{a}/{pair.dotted}"])
    assert swift.get(a, "one.bin") == b"own segment " + VICTIM

    # one large object from its page, the other in a selection (the page marks it large)
    one = demo_client.post(f"/project/containers/c/{a}/object/delete/", {"name": "one.bin"})
    assert one.status_code == 302
    two = demo_client.post(
        f"/project/containers/c/{a}/delete/", {"names": ["two.bin"], "large": ["two.bin"], "action": "delete"}
    )
    assert two.status_code == 302
    assert swift.names(a) == [] and swift.names(f"{a}_segments") == []
    _untouched(pair)
