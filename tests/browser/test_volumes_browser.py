"""The volumes panel in a real browser: a volume made on the create page, attached from a second
tab, turns in-use on the list without the list being reloaded; its pages run under the CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, unique

pytestmark = pytest.mark.browser

CSP_RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
"""


def test_created_volume_turns_in_use_live_when_attached(page, demo_sdk, demo_instance, cleanup):
    page.context.add_init_script(CSP_RECORD)
    browser_login(page, "demo", project="demo")
    name = unique("zt-bvol")
    page.goto("/project/volumes/create/")
    expect(page.locator("#volume-quota")).to_contain_text("Volumes")
    page.screenshot(path=str(ARTIFACTS / "volumes-create.png"), full_page=True)
    page.fill("input[name=name]", name)
    page.fill("input[name=size]", "1")
    page.click("#volume-create-form [type=submit]")
    page.wait_for_url("**/project/volumes/*-*/")
    volume_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    cleanup.delete("volume", volume_id, conn=demo_sdk)
    expect(page.locator(".volume-name")).to_have_text(name)
    assert page.evaluate("window.__csp") == []

    page.goto("/project/volumes/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    row = page.locator(f"#volume-{volume_id}")
    expect(row).to_have_attribute("data-status", "available", timeout=60_000)
    page.evaluate("window.__notReloaded = true")

    other = page.context.new_page()
    other.goto(f"/project/volumes/{volume_id}/attach/")
    other.select_option("select[name=server]", demo_instance.id)
    other.click("#action-form [type=submit]")
    other.wait_for_url(f"**/project/volumes/{volume_id}/")
    expect(other.locator("#volume-attachments")).to_contain_text(demo_instance.name, timeout=60_000)
    other.reload()
    other.screenshot(path=str(ARTIFACTS / "volumes-detail-attached.png"), full_page=True)
    assert other.evaluate("window.__csp") == []
    other.close()

    expect(row).to_have_attribute("data-status", "in-use", timeout=90_000)
    expect(row.locator(".volume-attachments")).to_contain_text(demo_instance.name)
    assert page.evaluate("window.__notReloaded") is True  # the same page, never reloaded
    page.screenshot(path=str(ARTIFACTS / "volumes-row-in-use.png"), full_page=True)

    demo_sdk.compute.delete_volume_attachment(demo_instance.id, volume_id)
    expect(row).to_have_attribute("data-status", "available", timeout=90_000)
