"""A person uploads an image through the page and watches it go through; another launches an
instance from an image's page."""

import re
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, destroy, screenshots, unique

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def qcow2(tmp_path):
    raw = tmp_path / "disk.raw"
    with raw.open("wb") as f:
        for i in range(24):
            f.write(bytes([i]) * 1024 * 1024)  # 24 MiB of data qcow2 cannot leave out
    path = tmp_path / "browser-disk.qcow2"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(path)], check=True)
    return path


def test_demo_uploads_an_image_and_sees_it_active(page, demo_sdk, qcow2, cleanup):
    name = unique("zt-browser-image")
    cleanup.add(lambda: [demo_sdk.image.delete_image(i) for i in demo_sdk.image.images(name=name)])
    page.set_default_timeout(60_000)  # the shared cloud is slow under load
    browser_login(page, "demo", project="demo")
    page.goto("/project/images/")
    page.get_by_test_id("create-image").click()
    page.wait_for_url("**/project/images/create/")
    page.set_input_files("#image-file", str(qcow2))
    page.fill("#id_name", name)
    page.select_option("#id_disk_format", "qcow2")
    page.click("#image-form [type=submit]")
    expect(page.get_by_test_id("upload-progress")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-upload-bar]')?.value === 100")
    expect(page.get_by_test_id("upload-text")).to_contain_text("100 %")
    page.screenshot(path=str(ARTIFACTS / "image_upload_100.png"), full_page=True)
    page.wait_for_url(re.compile(r".*/project/images/[0-9a-f-]{36}/$"))
    image = next(demo_sdk.image.images(name=name))
    assert image.size == qcow2.stat().st_size and image.disk_format == "qcow2"
    expect(page.get_by_test_id("checksum")).to_have_text(image.checksum)

    page.goto("/project/images/")
    row = page.locator(f"#image-{image.id}")
    expect(row).to_have_attribute("data-status", "active")
    upload = page.locator("#image-uploads [data-testid=upload-row]", has=page.locator(f"a[href$='{image.id}/']"))
    expect(upload).to_have_attribute("data-state", "done")
    expect(upload).to_contain_text("uploaded")
    expect(upload.get_by_role("button", name="Cancel")).to_have_count(0)  # ended: dismissed, not cancelled
    expect(upload.get_by_test_id("upload-dismiss")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "image_list_active.png"), full_page=True)


def test_the_uploads_panel_follows_renames_and_deletions_and_ended_rows_are_dismissed(page, demo_sdk, cleanup):
    """The panel kept rows of deleted images (their link: "not found"), old names, and Cancel on
    ended uploads, and could not be dismissed."""
    browser_login(page, "demo", project="demo")
    page.goto("/project/images/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    csrf = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    headers = {"X-CSRFToken": csrf, "Accept": "application/json", "Referer": page.url}
    made = {}
    for name in ("kept", "cancelled"):  # two uploads registered as the upload form does, no file sent
        form = {"name": unique(f"zt-panel-{name}"), "disk_format": "raw", "container_format": "bare"}
        form.update(min_disk="0", min_ram="0", visibility="private", size="0")
        answer = page.request.post("/project/images/create/", form=form, headers=headers)
        assert answer.status == 201, answer.text()
        made[name] = answer.json()
        cleanup.delete("image", made[name]["image_id"], conn=demo_sdk)
    assert page.request.post(made["cancelled"]["cancel_url"], headers=headers).ok  # its image is removed
    page.reload()
    panel = page.locator("#image-uploads")
    kept = panel.locator("[data-testid=upload-row]", has=page.locator(f"a[href$='{made['kept']['image_id']}/']"))
    cancelled = panel.locator("[data-testid=upload-row][data-state=cancelled]")
    expect(kept).to_contain_text("waiting for the file")
    expect(kept.get_by_role("button", name="Cancel")).to_be_visible()  # it runs: Cancel, no dismiss
    expect(kept.get_by_test_id("upload-dismiss")).to_have_count(0)
    expect(cancelled.last).to_contain_text("Upload cancelled; the unfinished image was removed.")
    expect(cancelled.last.locator("a")).to_have_count(0)  # no link to the removed image
    page.evaluate("window.__notReloaded = true")

    renamed = unique("zt-panel-renamed")
    demo_sdk.image.update_image(made["kept"]["image_id"], name=renamed)
    expect(kept.get_by_test_id("upload-name")).to_have_text(renamed, timeout=20_000)
    screenshots(page, "image-uploads-panel")
    page.evaluate("window.__notReloaded = true")

    while cancelled.count():  # every cancelled row of demo's (earlier runs' too) is dismissed
        before = cancelled.count()
        cancelled.first.get_by_test_id("upload-dismiss").click()
        expect(cancelled).to_have_count(before - 1)
    demo_sdk.image.delete_image(made["kept"]["image_id"])
    expect(kept).to_have_count(0, timeout=20_000)  # its image is gone: so is its row
    assert page.evaluate("window.__notReloaded") is True


def test_demo_launches_an_instance_from_an_image_page(page, demo_sdk, cleanup):
    image = demo_sdk.image.find_image("demo-image")
    private = demo_sdk.network.find_network("private")
    name = unique("zt-browser-from-image")
    cleanup.add(lambda: destroy(demo_sdk, *[s for s in demo_sdk.compute.servers(name=name) if s.name == name]))
    page.set_default_timeout(60_000)  # the shared cloud is slow under load
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/images/{image.id}/")
    page.get_by_test_id("launch-from-image").click()
    page.wait_for_url("**/project/instances/launch/?image=*")
    expect(page.locator("#id_image")).to_have_value(image.id)
    page.fill("#id_name", name)
    page.locator("select[name=nic]").first.select_option(f"net:{private.id}")
    page.locator("tr[data-flavor='m1.small'] input[type=radio]").check()
    page.click("#launch-submit")
    page.wait_for_url(re.compile(r".*/project/instances/$"))
    deadline = time.monotonic() + 120
    while not [s for s in demo_sdk.compute.servers(name=name) if s.name == name]:
        assert time.monotonic() < deadline, "no instance was launched"
        page.wait_for_timeout(1000)
    server = next(s for s in demo_sdk.compute.servers(name=name) if s.name == name)
    assert server.image["id"] == image.id
    page.goto(f"/project/images/{image.id}/")
    expect(page.get_by_test_id("image-instances")).to_contain_text(name)
