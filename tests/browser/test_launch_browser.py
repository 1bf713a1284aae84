"""A person launches an instance as demo through the launch page and sees it become ACTIVE in the list."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, destroy, unique

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_demo_launches_an_instance_with_a_new_key_and_sees_it_active(page, demo_sdk, cleanup):
    image = demo_sdk.image.find_image("demo-image")
    private = demo_sdk.network.find_network("private")
    name = unique("zt-browser-launch")
    key = unique("zt-browser-key")
    # launched in the browser, so found by name afterwards
    cleanup.add(lambda: destroy(demo_sdk, *[s for s in demo_sdk.compute.servers(name=name) if s.name == name]))
    cleanup.delete("keypair", key, conn=demo_sdk)

    browser_login(page, "demo", project="demo")
    page.get_by_role("link", name="Launch instance").click()
    page.wait_for_url("**/project/instances/launch/")

    page.fill("#id_name", name)
    page.select_option("#id_image", image.id)
    page.locator("select[name=nic]").first.select_option(f"net:{private.id}")
    # choosing a flavor updates the quota panel beside the form
    page.locator("tr[data-flavor='m1.small'] input[type=radio]").check()
    expect(page.locator("[data-quota=ram]")).to_contain_text("+ 2\u00a0GiB")  # m1.small: 2048 MiB, read in GiB
    page.fill("#id_count", "2")
    expect(page.locator("[data-quota=instances]")).to_contain_text("+ 2")
    expect(page.locator("[data-quota=ram]")).to_contain_text("+ 4\u00a0GiB")
    page.fill("#id_count", "1")
    expect(page.locator("[data-quota=instances]")).to_contain_text("+ 1")

    # a public key that is not one is refused in place, the rest of the form untouched
    page.get_by_text("Create or import a key pair").click()
    page.fill("#id_import_keypair_name", key + "-bad")
    page.fill("#id_public_key", "ssh-rsa AAAAnot-a-key me@laptop")
    page.click("#import-keypair")
    expect(page.locator("#launch-keypair")).to_contain_text("not a valid OpenSSH public key")
    expect(page.locator("#id_public_key")).to_have_value("ssh-rsa AAAAnot-a-key me@laptop")
    expect(page.locator("#id_name")).to_have_value(name)

    # a new key pair: the private key is offered once, as a download
    page.fill("#id_new_keypair_name", key)
    page.click("#create-keypair")
    expect(page.locator("#private-key-note")).to_contain_text(key)
    expect(page.locator("#id_key_name")).to_have_value(key)
    with page.expect_download() as download_info:
        page.click("#download-private-key")
    download = download_info.value
    assert download.suggested_filename == f"{key}.pem"
    assert open(download.path()).read().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    expect(page.locator("#private-key-note")).to_contain_text("no longer keeps a copy")

    page.fill("#id_user_data", "#cloud-config\nhostname: zenith\n")
    page.screenshot(path=str(ARTIFACTS / "launch_form_filled.png"), full_page=True)
    page.click("#launch-submit")
    page.wait_for_url(re.compile(r".*/project/instances/$"))
    expect(page.get_by_role("alert").filter(has_text=f"Launching instance “{name}”")).to_be_visible()

    # the row appears and reaches ACTIVE (the live updates move it; a reload is the fallback)
    row = page.locator("#instances-table tbody tr", has=page.locator(".instance-name", has_text=name))
    deadline = time.monotonic() + 180
    while True:
        if row.count() and row.first.get_attribute("data-status") == "ACTIVE":
            break
        assert time.monotonic() < deadline, f"{name} did not show ACTIVE in the table within 180 s"
        page.wait_for_timeout(3000)
        if not row.count() or row.first.get_attribute("data-status") != "ACTIVE":
            page.reload()
    expect(row.first).to_contain_text(key)
    page.screenshot(path=str(ARTIFACTS / "launch_instance_active.png"), full_page=True)
    server = next(s for s in demo_sdk.compute.servers(name=name) if s.name == name)
    assert server.key_name == key and server.flavor["original_name"] == "m1.small"


def test_the_free_ports_follow_the_page_into_every_interface_slot(page, demo_sdk, cleanup):
    """The page comes without the free ports and with "Add interface" disabled; the extras part
    brings them into each slot and enables the button; a slot added after offers them too."""
    private = demo_sdk.network.find_network("private")
    port = demo_sdk.network.create_port(network_id=private.id, name=unique("zt-browser-port"))
    cleanup.delete("port", port.id, conn=demo_sdk)

    browser_login(page, "demo", project="demo")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/project/instances/launch/")
    expect(page.locator("#add-nic")).to_be_enabled()
    slots = page.locator("select[name=nic]")
    before = slots.count()
    for i in range(before):
        expect(slots.nth(i).locator(f"option[value='port:{port.id}']")).to_have_count(1)
    page.click("#add-nic")
    expect(slots).to_have_count(before + 1)
    slots.nth(before).select_option(f"port:{port.id}")
    ids = page.locator("optgroup[id^='nic-ports-']").evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == before + 1 == len(set(ids)), ids
    # the quota panel follows a new count without htmx evaluating code (the CSP and htmx forbid it)
    page.fill("#id_count", "3")
    expect(page.locator("[data-quota=instances]")).to_contain_text("+ 3")
    assert errors == [], errors
