"""The images panel against the devcloud's Glance: uploads streamed through Zenith's upload route
(driven in-process as the ASGI server would), the list, detail, edit, share, deactivate, delete;
checked with openstacksdk."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from tests.helpers import CHUNK, asgi_put, count_cloud_requests, logged_in, unique, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A raw file of random data (3 MiB) and the same as qcow2, made with qemu-img."""
    d = tmp_path_factory.mktemp("images")
    raw = d / "disk.raw"
    raw.write_bytes(os.urandom(3 * 1024 * 1024 + 12345))
    qcow2 = d / "disk.qcow2"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(qcow2)], check=True)
    empty = d / "empty.raw"
    empty.write_bytes(b"")
    return {"raw": raw, "qcow2": qcow2, "empty": empty}


def create(client, name: str, disk_format: str, size: int = 0, **extra) -> dict:
    data = {
        "name": name,
        "disk_format": disk_format,
        "container_format": "bare",
        "min_disk": 0,
        "min_ram": 0,
        "visibility": "private",
        "size": size,
        **extra,
    }
    response = client.post("/project/images/create/", data, HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content[:500]
    return response.json()


@pytest.fixture
def demo(demo_client):
    demo_client.get("/project/images/")  # sets the CSRF cookie
    return demo_client


def image_gone(conn, image_id):
    return conn.image.find_image(image_id, ignore_missing=True) is None


@pytest.mark.parametrize("fmt", ["qcow2", "raw"])
def test_upload_streams_the_file_to_glance(demo, demo_sdk, files, cleanup, fmt):
    data = files[fmt].read_bytes()
    made = create(demo, unique(f"zt-up-{fmt}"), fmt, size=len(data))
    cleanup.delete("image", made["image_id"])
    status, body = asgi_put(demo, made["upload_url"], data)
    assert status == 200, body
    assert body["bytes"] == len(data)
    image = demo_sdk.image.get_image(made["image_id"])
    assert image.status == "active"
    assert image.size == len(data)
    assert image.checksum == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert image.hash_value == hashlib.sha512(data).hexdigest()
    # the list shows the ended upload and the image; the detail its checksum
    page = demo.get("/project/images/").content.decode()
    assert made["image_id"] in page and "uploaded" in page
    detail = demo.get(made["detail_url"]).content.decode()
    assert image.checksum in detail


def test_raw_data_claimed_as_qcow2_is_refused_and_no_image_is_left(demo, demo_sdk, files, cleanup):
    data = files["raw"].read_bytes()
    made = create(demo, unique("zt-bad"), "qcow2", size=len(data))
    cleanup.delete("image", made["image_id"])
    status, body = asgi_put(demo, made["upload_url"], data)
    assert status == 400
    assert "not a qcow2 image" in body["message"]
    assert image_gone(demo_sdk, made["image_id"])


def test_an_empty_file_is_refused(demo, demo_sdk, files, cleanup):
    made = create(demo, unique("zt-empty"), "raw")
    cleanup.delete("image", made["image_id"])
    status, body = asgi_put(demo, made["upload_url"], b"")
    assert status == 400 and "empty" in body["message"]
    assert image_gone(demo_sdk, made["image_id"])


def test_an_upload_cut_off_half_way_leaves_no_image(demo, demo_sdk, files, cleanup):
    data = files["raw"].read_bytes()
    made = create(demo, unique("zt-cut"), "raw", size=len(data))
    cleanup.delete("image", made["image_id"])
    status, body = asgi_put(demo, made["upload_url"], data, stop_after=len(data) // CHUNK // 2)
    assert body["error"] == "cancelled" and "cut off" in body["message"]
    assert image_gone(demo_sdk, made["image_id"])
    page = demo.get("/project/images/").content.decode()
    assert "cut off" in page


def test_cancel_stops_a_running_upload_and_removes_the_image(demo, demo_sdk, files, cleanup):
    from dashboard.uploads import progress

    data = files["raw"].read_bytes() * 8
    made = create(demo, unique("zt-cancel"), "raw", size=len(data))
    cleanup.delete("image", made["image_id"])
    upload_id = made["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    def cancel_on(n):
        if n == 40:  # as the cancel view does, from another request
            progress.cancel(upload_id)

    status, body = asgi_put(demo, made["upload_url"], data, on_chunk=cancel_on)
    assert body["error"] == "cancelled", body
    assert image_gone(demo_sdk, made["image_id"])
    assert progress.get(upload_id).state == "cancelled"


def test_cancel_before_the_file_comes_removes_the_image(demo, demo_sdk, cleanup):
    made = create(demo, unique("zt-early"), "raw")
    cleanup.delete("image", made["image_id"])
    response = demo.post(made["cancel_url"], HTTP_ACCEPT="application/json")
    assert response.json()["state"] == "cancelled"
    assert image_gone(demo_sdk, made["image_id"])


def test_upload_needs_the_csrf_token_and_the_owner(demo, alt_client, demo_sdk, files, cleanup):
    data = files["qcow2"].read_bytes()
    made = create(demo, unique("zt-csrf"), "qcow2", size=len(data))
    cleanup.delete("image", made["image_id"])
    status, body = asgi_put(demo, made["upload_url"], data, csrf=False)
    assert status == 403 and body["error"] == "forbidden"
    alt_client.get("/project/images/")
    status, body = asgi_put(alt_client, made["upload_url"], data)
    assert status == 404  # another user's upload, in another project
    assert demo_sdk.image.get_image(made["image_id"]).status == "queued"


def test_a_form_error_comes_back_as_the_form(demo):
    response = demo.post(
        "/project/images/create/", {"name": "", "disk_format": "qcow2"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert b'id="image-form-fields"' in response.content and b"This field is required" in response.content


def test_list_costs_one_glance_call_whatever_the_rows(demo, demo_sdk, cleanup):
    for _ in range(3):
        cleanup.delete(
            "image", demo_sdk.image.create_image(name=unique("zt-count"), disk_format="raw", container_format="bare").id
        )
    with count_cloud_requests() as seen:
        response = demo.get("/project/images/?limit=2")
    assert response.status_code == 200
    assert len(seen) == 1
    with count_cloud_requests() as seen:
        demo.get("/project/images/?limit=50")
    assert len(seen) == 1


def test_a_name_with_markup_is_shown_as_text(demo, demo_sdk, cleanup):
    name = "<b>zt-" + unique("x") + "</b><script>alert(1)</script>"
    image = demo_sdk.image.create_image(name=name, disk_format="raw", container_format="bare")
    cleanup.delete("image", image.id)
    for url in ("/project/images/", f"/project/images/{image.id}/"):
        page = demo.get(url).content.decode()
        assert "&lt;b&gt;zt-" in page and "<script>alert(1)" not in page


def test_filters_by_visibility_and_format(demo, demo_sdk, cleanup):
    image = demo_sdk.image.create_image(name=unique("zt-flt"), disk_format="vmdk", container_format="bare")
    cleanup.delete("image", image.id)
    assert image.id in demo.get("/project/images/?visibility=mine&format=vmdk").content.decode()
    assert image.id not in demo.get("/project/images/?visibility=public").content.decode()
    assert image.id not in demo.get("/project/images/?format=qcow2").content.decode()


def test_edit_changes_name_properties_and_limits(demo, demo_sdk, cleanup):
    image = demo_sdk.image.create_image(name=unique("zt-edit"), disk_format="raw", container_format="bare", foo="1")
    cleanup.delete("image", image.id)
    new = unique("zt-edited")
    response = demo.post(
        f"/project/images/{image.id}/edit/",
        {"name": new, "visibility": "private", "min_disk": 2, "min_ram": 256, "properties": "hw_disk_bus=scsi\n"},
    )
    assert response.status_code == 302, response.content[:400]
    got = demo_sdk.image.get(f"/images/{image.id}").json()
    assert (got["name"], got["min_disk"], got["min_ram"]) == (new, 2, 256)
    assert got["hw_disk_bus"] == "scsi" and "foo" not in got
    bad = demo.post(
        f"/project/images/{image.id}/edit/",
        {"name": new, "visibility": "private", "min_disk": 0, "min_ram": 0, "properties": "no equals"},
    )
    assert bad.status_code == 400 and b"key=value" in bad.content


def test_protected_image_delete_is_refused_with_glances_words(demo, demo_sdk, cleanup):
    image = demo_sdk.image.create_image(
        name=unique("zt-prot"), disk_format="raw", container_format="bare", is_protected=True
    )
    cleanup.delete("image", image.id)
    cleanup.add(lambda: demo_sdk.image.update_image(image.id, is_protected=False))  # runs first (last in)
    response = demo.post(
        f"/project/images/{image.id}/action/delete/", {"next": f"/project/images/{image.id}/"}, follow=True
    )
    page = response.content.decode()
    assert "Delete failed" in page and "protected" in page.lower()
    assert demo_sdk.image.get_image(image.id).is_protected


def test_share_demo_to_alt_and_accept_as_alt(demo, demo_sdk, alt_sdk, django_client_factory, cleanup):
    image = demo_sdk.image.create_image(name=unique("zt-share"), disk_format="raw", container_format="bare")
    cleanup.delete("image", image.id)
    alt_id = alt_sdk.current_project_id
    response = demo.post(f"/project/images/{image.id}/share/", {"project": "alt"})
    assert response.status_code == 302, response.content[:400]
    members = list(demo_sdk.image.members(image.id))
    assert [m.member_id for m in members] == [alt_id]
    alt = logged_in(django_client_factory(), "alt", "alt")
    detail = alt.get(f"/project/images/{image.id}/").content.decode()
    assert "accept it" in detail
    assert image.id in alt.get("/project/images/?visibility=shared").content.decode()
    alt.post(f"/project/images/{image.id}/action/accept/")
    assert demo_sdk.image.get_member(alt_id, image.id).status == "accepted"
    assert image.id in alt.get("/project/images/").content.decode()


def test_deactivate_and_reactivate_as_admin(demo, admin_client, demo_sdk, files, cleanup):
    data = files["qcow2"].read_bytes()
    made = create(demo, unique("zt-deact"), "qcow2", size=len(data))
    cleanup.delete("image", made["image_id"])
    assert asgi_put(demo, made["upload_url"], data)[0] == 200
    admin_client.post(f"/project/images/{made['image_id']}/action/deactivate/")
    assert demo_sdk.image.get_image(made["image_id"]).status == "deactivated"
    assert "Reactivate" in admin_client.get(made["detail_url"]).content.decode()
    admin_client.post(f"/project/images/{made['image_id']}/action/reactivate/")
    assert demo_sdk.image.get_image(made["image_id"]).status == "active"


def test_delete_removes_the_image(demo, demo_sdk):
    image = demo_sdk.image.create_image(name=unique("zt-del"), disk_format="raw", container_format="bare")
    response = demo.post(f"/project/images/{image.id}/action/delete/", {"name": image.name})
    assert response.status_code == 302
    wait_for(lambda: image_gone(demo_sdk, image.id), "image deleted", timeout=30)


def test_an_image_of_another_project_is_not_found(demo, alt_sdk, cleanup):
    image = alt_sdk.image.create_image(name=unique("zt-alt"), disk_format="raw", container_format="bare")
    cleanup.delete("image", image.id)
    assert demo.get(f"/project/images/{image.id}/").status_code == 404


@pytest.fixture
def served(files):
    """The test files over HTTP on 127.0.0.1 (the devcloud's Glance may download from there)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(files["qcow2"].parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_create_from_a_url_with_web_download(demo, demo_sdk, files, served, cleanup):
    page = demo.get("/project/images/create/url/").content.decode()
    assert "Not enabled" not in page  # the devcloud's Glance enables web-download
    name = unique("zt-url")
    response = demo.post(
        "/project/images/create/url/",
        {"name": name, "url": f"{served}/disk.qcow2", "disk_format": "qcow2", "container_format": "bare",
         "min_disk": 0, "min_ram": 0, "visibility": "private"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    image_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    cleanup.delete("image", image_id)
    image = wait_for(
        lambda: (i := demo_sdk.image.get_image(image_id)).status == "active" and i, "image imported", timeout=120
    )
    data = files["qcow2"].read_bytes()
    assert image.size == len(data) and image.checksum == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert image.name == name


def test_a_url_that_is_not_http_is_refused_on_the_form(demo, demo_sdk):
    name = unique("zt-url-bad")
    response = demo.post(
        "/project/images/create/url/",
        {"name": name, "url": "ftp://example.invalid/x.img", "disk_format": "raw", "container_format": "bare",
         "min_disk": 0, "min_ram": 0, "visibility": "private"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not list(demo_sdk.image.images(name=name))


def test_create_volume_from_an_image_defaults_to_its_min_disk(demo, demo_sdk, files, cleanup):
    data = files["qcow2"].read_bytes()
    made = create(demo, unique("zt-vol-src"), "qcow2", size=len(data), min_disk=2)
    cleanup.delete("image", made["image_id"])
    assert asgi_put(demo, made["upload_url"], data)[0] == 200
    form = demo.get(f"/project/images/{made['image_id']}/volume/").content.decode()
    assert 'value="2"' in form
    too_small = demo.post(f"/project/images/{made['image_id']}/volume/", {"name": "x", "size": 1})
    assert too_small.status_code == 400 and b"at least 2 GiB" in too_small.content
    name = unique("zt-vol")
    response = demo.post(f"/project/images/{made['image_id']}/volume/", {"name": name, "size": 2})
    assert response.status_code == 302, response.content[:400]
    volume = next(v for v in demo_sdk.block_storage.volumes(name=name) if v.name == name)
    cleanup.delete("volume", volume.id)
    assert volume.size == 2
    wait_for(lambda: demo_sdk.block_storage.get_volume(volume.id).status in ("available", "error"), "volume made", 180)
    assert demo_sdk.block_storage.get_volume(volume.id).volume_image_metadata["image_id"] == made["image_id"]


def test_the_list_shows_only_image_uploads(demo, demo_sdk, cleanup):
    """Other panels' uploads (objects to Swift, ...) share the project's set in Redis."""
    from dashboard.uploads import progress

    stored = demo.session["keystone"]
    other = progress.begin("objects", stored["project_id"], stored["user_id"], "a-container/an object", "an object")
    made = create(demo, unique("zt-only"), "raw")
    cleanup.delete("image", made["image_id"])
    page = demo.get("/project/images/")
    assert page.status_code == 200
    assert "an object" not in page.content.decode() and made["image_id"] in page.content.decode()
    progress.update(other, state="cancelled")


def test_two_uploads_at_once(demo, demo_sdk, files, cleanup):
    from concurrent.futures import ThreadPoolExecutor

    data = {"qcow2": files["qcow2"].read_bytes(), "raw": files["raw"].read_bytes()}
    made = {fmt: create(demo, unique(f"zt-two-{fmt}"), fmt, size=len(body)) for fmt, body in data.items()}
    for m in made.values():
        cleanup.delete("image", m["image_id"])
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(made, pool.map(lambda f: asgi_put(demo, made[f]["upload_url"], data[f]), made), strict=True))
    for fmt, (status, body) in results.items():
        assert status == 200, body
        image = demo_sdk.image.get_image(made[fmt]["image_id"])
        assert image.status == "active" and image.checksum == hashlib.md5(data[fmt], usedforsecurity=False).hexdigest()


def test_without_web_download_the_url_page_says_so(demo, demo_sdk, monkeypatch):
    """A cloud whose Glance lists no web-download import (the devcloud's does: its answer is replaced)."""
    from dashboard.cloud import images

    monkeypatch.setattr(images, "import_methods", lambda conn: ["glance-direct"])
    page = demo.get("/project/images/create/url/").content.decode()
    assert "Not enabled" in page
    name = unique("zt-url-off")
    response = demo.post(
        "/project/images/create/url/",
        {"name": name, "url": "http://127.0.0.1:1/x.img", "disk_format": "raw", "container_format": "bare",
         "min_disk": 0, "min_ram": 0, "visibility": "private"},
    )  # fmt: skip
    assert response.status_code == 400 and "does not enable web-download" in response.content.decode()
    assert not list(demo_sdk.image.images(name=name))
