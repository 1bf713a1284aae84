"""The images panel against the devcloud's Glance: uploads streamed through Zenith's upload route
(driven in-process as the ASGI server would), the list, detail, edit, share, deactivate, delete;
checked with openstacksdk."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from tests.helpers import (
    CHUNK,
    SlowPut,
    asgi_put,
    count_cloud_requests,
    logged_in,
    login,
    run_async,
    serving,
    unique,
    wait_for,
    wait_volume,
)

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
    # the list's uploads panel shows the ended upload and its image; the detail its checksum
    panel = demo.get("/project/images/uploads/").content.decode()
    assert made["image_id"] in panel and "uploaded" in panel
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
    page = demo.get("/project/images/uploads/").content.decode()
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
    # well formed but not this browser's (another client's token, a made-up one), or malformed
    for forged in (alt_client.cookies["csrftoken"].value, "x" * 64, demo.cookies["csrftoken"].value[:-1] + "!"):
        status, body = asgi_put(demo, made["upload_url"], data, csrf=forged)
        assert status == 403 and body["error"] == "forbidden", forged
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
    assert "The action “Delete” on" in page and "was refused." in page and "protected" in page.lower()
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
    """The test files over HTTP on 127.0.0.1:WEB_DOWNLOAD_PORT, the one port the devcloud's Glance
    downloads from."""
    with serving(files["qcow2"].parent) as url:
        yield url


def url_form(name: str, url: str) -> dict:
    return {"name": name, "url": url, "disk_format": "qcow2", "container_format": "bare", "min_disk": 0,
            "min_ram": 0, "visibility": "private"}  # fmt: skip


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


def test_glance_downloads_only_from_the_port_the_devcloud_allows(demo, demo_sdk, files, served, cleanup):
    """Another port of 127.0.0.1 serving the same file is refused when the import is asked, and Zenith
    says why; the one allowed port (WEB_DOWNLOAD_PORT) works."""
    with serving(files["qcow2"].parent, port=0) as elsewhere:
        assert elsewhere != served
        name = unique("login-url-port")
        response = demo.post("/project/images/create/url/", url_form(name, f"{elsewhere}/disk.qcow2"))
        for image in demo_sdk.image.images(name=name):  # made before the fix: deleted all the same
            cleanup.delete("image", image.id)
        assert response.status_code == 400, f"{response.status_code} {response.get('Location')}"
        page = response.content.decode()
        assert f"The Image service (Glance) does not download images from {elsewhere}/disk.qcow2" in page
        assert not list(demo_sdk.image.images(name=name))  # the image Zenith made for it is gone
    name = unique("login-url-port")
    response = demo.post("/project/images/create/url/", url_form(name, f"{served}/disk.qcow2"))
    assert response.status_code == 302, response.content[:500]
    image_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    cleanup.delete("image", image_id)
    wait_for(lambda: demo_sdk.image.get_image(image_id).status == "active", "image imported", timeout=120)


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
    ready = wait_volume(demo_sdk, volume.id, "available", timeout=180)
    assert ready.volume_image_metadata["image_id"] == made["image_id"]


def test_the_list_shows_only_image_uploads(demo, demo_sdk, cleanup):
    """Other panels' uploads (objects to Swift, ...) share the project's set in Redis."""
    from dashboard.uploads import progress

    stored = demo.session["keystone"]
    other = progress.begin("objects", stored["project_id"], stored["user_id"], "a-container/an object", "an object")
    made = create(demo, unique("zt-only"), "raw")
    cleanup.delete("image", made["image_id"])
    page = demo.get("/project/images/uploads/")
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


def test_two_puts_of_one_upload_at_once_one_sends_the_other_gets_409(demo, demo_sdk, files, cleanup, monkeypatch):
    """Two PUTs of the same upload address (two tabs, a retried request) that both find it ready:
    exactly one sends the file; the other is refused with 409 before any cloud call, and its
    refusal does not delete the image the winner fills. A barrier holds each PUT just after the
    route has read the upload's record, until both have read it: the real code runs unchanged,
    only the interleaving that makes the race is forced."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.uploads import progress

    data = files["qcow2"].read_bytes()
    made = create(demo, unique("upl-race"), "qcow2", size=len(data))
    cleanup.delete("image", made["image_id"])
    upload_id = made["upload_url"].rstrip("/").rsplit("/", 1)[-1]
    both_read = threading.Barrier(2, timeout=30)
    read = progress.get

    def read_then_wait(uid):
        found = read(uid)
        if uid == upload_id:
            both_read.wait()
        return found

    monkeypatch.setattr(progress, "get", read_then_wait)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: asgi_put(demo, made["upload_url"], data), range(2)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 409], answers
    refused = next(body for status, body in answers if status == 409)
    assert refused["error"] == "conflict" and "already started" in refused["message"]
    image = demo_sdk.image.get_image(made["image_id"])
    assert image.status == "active"
    assert image.size == len(data)
    assert image.checksum == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert read(upload_id).state == "done"


def test_only_the_user_who_started_an_upload_or_an_admin_cancels_it(django_client_factory, admin_sdk, alt_sdk, cleanup):
    """demo and alt are both members of project alt: demo may not cancel alt's upload there (403,
    the reason in words, JSON or page); a cloud administrator working in the project may."""
    from dashboard.uploads import progress

    alt = logged_in(django_client_factory(), "alt", "alt")
    alt.get("/project/images/")
    made = create(alt, unique("upl-own"), "raw")
    cleanup.delete("image", made["image_id"])
    upload_id = made["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    demo_in_alt = logged_in(django_client_factory(), "demo", "alt")
    refused = demo_in_alt.post(made["cancel_url"], HTTP_ACCEPT="application/json")
    assert refused.status_code == 403, refused.content[:300]
    body = refused.json()
    assert body.pop("request_id") == refused["X-Request-ID"]  # to quote to an operator
    assert body == {
        "error": "forbidden",
        "message": "Only the user who started this upload, or a cloud administrator, can cancel it.",
    }
    page = demo_in_alt.post(made["cancel_url"])  # the list's Cancel form, without JSON
    assert page.status_code == 403 and "Only the user who started this upload" in page.content.decode()
    assert progress.get(upload_id).state == "ready"
    assert alt_sdk.image.get_image(made["image_id"]).status == "queued"
    # the list offers Cancel to the user who started the upload only
    assert made["cancel_url"] in alt.get("/project/images/uploads/").content.decode()
    assert made["cancel_url"] not in demo_in_alt.get("/project/images/uploads/").content.decode()

    # a cloud administrator (the admin role) working in project alt
    password = unique("pw")
    admin = admin_sdk.identity.create_user(name=unique("upl-admin"), password=password, domain_id="default")
    cleanup.delete("user", admin.id, conn=admin_sdk)
    project = admin_sdk.identity.find_project("alt", ignore_missing=False)
    admin_sdk.identity.assign_project_role_to_user(project, admin, admin_sdk.identity.find_role("admin"))
    admin_in_alt = django_client_factory()
    assert login(admin_in_alt, admin.name, password).status_code == 302
    assert admin_in_alt.session["keystone"]["project_name"] == "alt"
    assert made["cancel_url"] in admin_in_alt.get("/project/images/uploads/").content.decode()
    allowed = admin_in_alt.post(made["cancel_url"], HTTP_ACCEPT="application/json")
    assert allowed.status_code == 200 and allowed.json()["state"] == "cancelled"
    assert image_gone(alt_sdk, made["image_id"])


def test_a_stalled_upload_is_stopped_after_the_idle_time_and_its_image_deleted(
    demo, demo_sdk, files, cleanup, settings
):
    """A client that sends part of the file, then nothing (without going away): once Glance is
    storing the image (saving), DASHBOARD_UPLOAD_IDLE_SECONDS later the route stops waiting,
    answers 408 and deletes the half-written image; the upload is marked failed."""
    import asyncio

    from dashboard.uploads import progress

    settings.UPLOAD_IDLE_SECONDS = 2
    data = files["raw"].read_bytes()
    made = create(demo, unique("upl-idle"), "raw", size=len(data))
    cleanup.delete("image", made["image_id"])
    upload_id = made["upload_url"].rstrip("/").rsplit("/", 1)[-1]

    def saving():
        return demo_sdk.image.get_image(made["image_id"]).status == "saving"

    async def scenario():
        put = SlowPut(demo, made["upload_url"], data, send_bytes=24 * CHUNK)  # 1.5 MiB: a first block to Glance
        task = asyncio.create_task(put.run())
        await asyncio.wait_for(put.stalled.wait(), 30)
        await asyncio.to_thread(wait_for, saving, "the image to be saving", 30, 0.2)
        done, _ = await asyncio.wait({task}, timeout=settings.UPLOAD_IDLE_SECONDS + 20)
        if not done:  # still waiting for the client: end it, so its thread and the image are freed
            put.hang_up()
            await task
            return None
        return task.result()

    answer = run_async(scenario())
    assert answer is not None, "the upload still waited for its stalled client 22 s later (idle time: 2 s)"
    status, body = answer
    assert status == 408, body
    assert body["error"] == "timeout"
    assert body["message"] == (
        "The upload stopped: no data came for 2 seconds. The unfinished target was removed; start the upload again."
    )
    assert image_gone(demo_sdk, made["image_id"])
    assert progress.get(upload_id).state == "failed"


def test_without_web_download_the_url_page_says_so(demo, demo_sdk, monkeypatch):
    """A cloud whose Glance lists no web-download import (the devcloud's does: its answer is replaced)."""
    from dashboard.cloud import images

    monkeypatch.setattr(images, "list_import_methods", lambda conn: ["glance-direct"])
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


def test_the_uploads_panel_follows_its_images_and_ended_rows_are_dismissed(demo, demo_sdk, files, cleanup):
    """Rows of uploads checked against Glance now: a renamed image under its new name, a deleted
    one gone, a record left "sending" for an active image shown ended (no Cancel); dismissed rows
    leave this user's panel; the panel costs one Glance call whatever its rows."""
    from dashboard.uploads import progress

    data = files["raw"].read_bytes()
    made = {}
    for name in ("renamed", "deleted", "stale"):
        made[name] = create(demo, unique(f"zt-panel-{name}"), "raw", size=len(data))
        cleanup.delete("image", made[name]["image_id"])
        assert asgi_put(demo, made[name]["upload_url"], data)[0] == 200
    new_name = unique("zt-panel-new-name")
    demo_sdk.image.update_image(made["renamed"]["image_id"], name=new_name)
    demo_sdk.image.delete_image(made["deleted"]["image_id"])
    stale = progress.get(made["stale"]["upload_url"].rstrip("/").rsplit("/", 1)[-1])
    progress.update(stale, state="sending")  # as a process that stopped before writing "done" left it

    with count_cloud_requests() as seen:
        panel = demo.get("/project/images/uploads/").content.decode()
    assert len(seen) == 1
    assert new_name in panel and f'href="/project/images/{made["renamed"]["image_id"]}/"' in panel
    assert made["deleted"]["image_id"] not in panel
    row = panel.split(f'data-upload="{stale.id}"', 1)[1].split("data-upload=", 1)[0]
    assert 'data-state="done"' in row and "/cancel/" not in row and "/dismiss/" in row

    answer = demo.post(f"/project/images/uploads/{stale.id}/dismiss/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and stale.id not in answer.content.decode()
    assert new_name in answer.content.decode()
    assert stale.id not in demo.get("/project/images/uploads/").content.decode()
    assert demo.post("/project/images/uploads/dismiss/").status_code == 302  # every ended one, then the list
    assert made["renamed"]["image_id"] not in demo.get("/project/images/uploads/").content.decode()


def test_a_running_upload_cannot_be_dismissed(demo, demo_sdk, cleanup):
    made = create(demo, unique("zt-panel-ready"), "raw")
    cleanup.delete("image", made["image_id"])
    upload_id = made["upload_url"].rstrip("/").rsplit("/", 1)[-1]
    panel = demo.get("/project/images/uploads/").content.decode()
    assert f"/uploads/{upload_id}/cancel/" in panel and f"/uploads/{upload_id}/dismiss/" not in panel
    demo.post(f"/project/images/uploads/{upload_id}/dismiss/")
    assert f"/uploads/{upload_id}/cancel/" in demo.get("/project/images/uploads/").content.decode()


def test_a_member_is_offered_no_public_visibility_and_told_who_can(demo, admin_client):
    """Glance's default policy leaves public images to administrators: a member's forms do not
    offer it (it would be refused: 403) and say who can; an administrator's do."""
    for url in ("/project/images/create/", "/project/images/create/url/"):
        page = demo.get(url).content.decode()
        assert 'value="community"' in page and 'value="public"' not in page, url
        assert "Only an administrator can make an image public" in page.replace("&#x27;", "'"), url
        assert 'value="public"' in admin_client.get(url).content.decode(), url
    refused = demo.post(
        "/project/images/create/url/",
        {"name": unique("zt-pub"), "url": "http://127.0.0.1:1/x.img", "disk_format": "raw",
         "container_format": "bare", "min_disk": 0, "min_ram": 0, "visibility": "public"},
    )  # fmt: skip
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
