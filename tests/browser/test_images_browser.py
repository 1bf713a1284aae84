"""A person uploads an image through the page and watches it go through; another launches an
instance from an image's page."""

import re
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, destroy, unique

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
    expect(page.locator("#image-uploads")).to_contain_text("uploaded")
    page.screenshot(path=str(ARTIFACTS / "image_list_active.png"), full_page=True)


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
