"""A person logs in as demo, switches project with the switcher, and logs out."""

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login

pytestmark = pytest.mark.browser


def test_demo_logs_in_switches_project_and_logs_out(page):
    browser_login(page, "demo")
    assert "/project/instances/" in page.url
    switcher = page.get_by_test_id("project-switcher")
    first = switcher.inner_text().strip()
    other = "alt" if first == "demo" else "demo"
    switcher.click()
    page.locator(f"button[data-project='{other}']").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("project-switcher").inner_text().strip() == other
    assert page.get_by_text(f"Now working in project {other}").is_visible()
    # the session cookie is invisible to scripts
    assert "zenith_session" not in page.evaluate("document.cookie")
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/auth/login/")
    assert page.get_by_text("You have logged out.").is_visible()
    page.goto("/project/instances/")
    assert "/auth/login/" in page.url


def test_wrong_password_shows_message_in_page(page):
    page.goto("/auth/login/")
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", "wrong")
    page.click("#login-form [type=submit]")
    assert page.get_by_text("Wrong user name or password").is_visible()


def test_an_open_page_goes_to_login_when_the_session_ends_elsewhere(page):
    browser_login(page, "demo", project="demo")
    page.goto("/project/instances/?status=ACTIVE")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    # the same browser logs out in another tab: this tab's socket is closed by the server
    other = page.context.new_page()
    other.goto("/project/")
    other.get_by_test_id("logout").click()
    other.wait_for_url("**/auth/login/")
    page.wait_for_url("**/auth/login/**", timeout=30_000)
    assert "next=%2Fproject%2Finstances%2F%3Fstatus%3DACTIVE" in page.url
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", "demo")
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/project/instances/?status=ACTIVE")


def test_no_keystone_token_in_the_server_or_worker_logs(page):
    browser_login(page, "demo", project="demo")
    page.goto("/project/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    logs = {name: (ARTIFACTS / name).read_text() for name in ("zenith.log", "worker.log")}
    assert "GET /project/" in logs["zenith.log"]  # the log is written as requests come
    for name, text in logs.items():
        # Keystone's fernet tokens all start with gAAAAA
        assert "gAAAAA" not in text, name
        assert "X-Auth-Token" not in text, name
