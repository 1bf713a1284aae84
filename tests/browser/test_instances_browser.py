"""A person sees demo's instances, opens a row's menu (from the keyboard too), stops one, and sees it
shut off; the page's static files come compressed and cached for good."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, ROOT, boot, browser_login, unique, wait_for_status

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
    assert page.get_by_text(f"The instance “{instance.name}” is stopping.").is_visible()
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


@pytest.fixture
def pair(demo_sdk, cleanup):
    prefix = unique("zbm")
    servers = [boot(demo_sdk, f"{prefix}-{n}", network=None, wait=False, cleanup=cleanup) for n in "ab"]
    return prefix, [wait_for_status(demo_sdk, s.id, "ACTIVE") for s in servers]


def test_row_menus_open_from_the_keyboard_with_each_rows_own_links(page, pair):
    """A list prints each set of its rows' actions once (a <template>); a row's menu is copied in
    when its button is first used, with its own links, and Bootstrap's keyboard use still works."""
    prefix, servers = pair
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/?name={prefix}")
    assert page.locator("#instances-table tbody template").count() >= 1
    assert page.locator("#instances-table .dropdown-menu").count() == 0  # none printed in the rows
    for server in servers:
        row = page.locator(f"#instance-{server.id}")
        button = row.get_by_test_id("actions-menu")
        button.focus()
        page.keyboard.press("ArrowDown")  # Bootstrap opens the menu on its first entry
        menu = row.locator(".dropdown-menu")
        expect(menu).to_be_visible()
        expect(menu.locator("[data-console-for]")).to_be_focused()
        assert menu.locator("[data-console-for]").get_attribute("data-console-url") == f"/live/console/{server.id}/"
        assert menu.locator("[data-action='rename']").get_attribute("href") == f"/project/instances/{server.id}/rename/"
        stop = menu.locator("[data-action='stop']")
        assert stop.get_attribute("formaction").startswith(f"/project/instances/{server.id}/action/stop/?next=")
        assert stop.get_attribute("value") == server.name
        assert menu.locator("[data-action='start']").count() == 0
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(button).to_be_focused()
    assert page.locator("#instances-table .dropdown-menu").count() == 2  # each row's, copied once


def test_the_page_loads_its_static_files_compressed_and_kept_for_good(page):
    """Static files as a browser gets them (dashboard/ui/storage.py): after collectstatic (which
    `make browser` runs), pages name hashed files, served compressed and cached for good."""
    browser_login(page, "demo", project="demo")
    loaded = []
    page.on("response", lambda r: loaded.append(r) if "/static/" in r.url else None)
    page.goto("/project/instances/", wait_until="networkidle")
    assert any("bootstrap.bundle" in r.url for r in loaded), [r.url for r in loaded]
    assert all(r.status == 200 for r in loaded), [(r.url, r.status) for r in loaded]
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        pytest.skip("collectstatic has not run here (make browser runs it first)")
    for r in loaded:
        assert re.search(r"\.[0-9a-f]{12}\.\w+(\?|$)", r.url), r.url
        assert r.headers["cache-control"] == "max-age=315360000, public, immutable", r.url
        if r.url.endswith((".js", ".css")):
            assert r.headers.get("content-encoding") in ("br", "gzip"), r.url
