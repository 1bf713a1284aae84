"""A person sees demo's instances, opens the row menu, stops one, and sees it shut off."""

import time

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, boot, browser_login, unique, wait_for_status

pytestmark = pytest.mark.browser


@pytest.fixture
def instance(demo_sdk, cleanup):
    return boot(demo_sdk, unique("zbr"), cleanup=cleanup)


def test_stop_from_the_row_menu_shows_shutoff(page, demo_sdk, instance):
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/?name={instance.name}")
    row = page.locator(f"#instance-{instance.id}")
    assert row.get_attribute("data-status") == "ACTIVE"
    assert instance.name in row.inner_text() and "m1.tiny" in row.inner_text()
    # the image's name follows the page (the list's names part swaps the row's source cell in)
    expect(page.locator(f"#instance-source-{instance.id}")).to_have_text("demo-image")
    expect(page.locator("#instance-names")).to_have_count(0)  # the loader went with the part
    page.screenshot(path=str(ARTIFACTS / "instances-list.png"), full_page=True)

    row.get_by_test_id("actions-menu").click()
    # the row's buttons submit the page's one action form: the confirmation is the button's own
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    row.locator("button[data-action='stop']").click()
    assert questions == ["Stop this instance?"], questions
    row.get_by_test_id("actions-menu").click()
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button[data-action='stop']").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Stop: requested for “{instance.name}”").is_visible()
    wait_for_status(demo_sdk, instance.id, "SHUTOFF")

    # the row turns SHUTOFF by a live update, or at the latest on a reload
    deadline = time.monotonic() + 60
    while page.locator(f"#instance-{instance.id}").get_attribute("data-status") != "SHUTOFF":
        assert time.monotonic() < deadline, "the row never showed SHUTOFF"
        page.wait_for_timeout(2000)
        if page.locator(f"#instance-{instance.id}").get_attribute("data-status") != "SHUTOFF":
            page.reload()
    row = page.locator(f"#instance-{instance.id}")
    assert "Shut off" in row.inner_text()
    row.get_by_test_id("actions-menu").click()
    assert row.locator("button[data-action='start']").is_visible()
    assert row.locator("button[data-action='stop']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "instances-list-stopped-menu.png"), full_page=True)


def test_detail_page_shows_overview_and_console_refresh(page, instance):
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{instance.id}/")
    assert page.locator("h1.instance-name").inner_text() == instance.name
    assert "m1.tiny" in page.locator("#overview").inner_text()
    # the image's name follows the page (the names partial, swapped into the Image line)
    page.wait_for_function("() => document.querySelector('#instance-source').textContent.trim() === 'demo-image'")
    assert page.locator("#attached-block").get_attribute("hx-get") is None  # loaded once, not again
    page.screenshot(path=str(ARTIFACTS / "instance-detail.png"), full_page=True)
    # other tabs load with htmx, and the address follows
    with page.expect_response(lambda r: "/tab/console/" in r.url):
        page.locator("a[data-tab='console']").click()
    page.locator("#console-log").wait_for()
    assert "FAKE CONSOLE OUTPUT" in page.locator("#console-log").inner_text()
    page.wait_for_url("**?tab=console")
    assert page.locator("a[data-tab='console']").get_attribute("aria-current") == "page"
    # refresh reloads only the console pane (htmx), from Nova's console log
    with page.expect_response(lambda r: "/tab/console/" in r.url) as refreshed:
        page.get_by_test_id("console-refresh").click()
    assert refreshed.value.status == 200
    page.wait_for_load_state()
    assert page.locator("#console-log").is_visible()
    assert page.locator("h1.instance-name").count() == 1  # the pane, not a whole page, was swapped in
    page.screenshot(path=str(ARTIFACTS / "instance-detail-console.png"), full_page=True)
    with page.expect_response(lambda r: "/tab/interfaces/" in r.url):
        page.locator("a[data-tab='interfaces']").click()
    page.locator("#interfaces").wait_for()
    assert "private" in page.locator("#interfaces").inner_text()
    page.screenshot(path=str(ARTIFACTS / "instance-detail-interfaces.png"), full_page=True)
    page.goto(f"/project/instances/{instance.id}/floating_ip/")
    assert page.locator("#action-form select[name=target]").is_visible()
    page.screenshot(path=str(ARTIFACTS / "instance-floating-ip-form.png"), full_page=True)
