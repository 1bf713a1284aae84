"""Live pages in a real browser: rows appear and change without reload, Console opens noVNC,
usage charts fill on the instance page (admin) or say why not (member)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import boot, browser_login, unique, wait_for_status

pytestmark = pytest.mark.browser


@pytest.fixture
def make_server(cleanup):
    """Launch an instance as a given user (not waiting for it); it is deleted after the test."""
    return lambda conn, network="private": boot(conn, unique("zt-live"), network=network, wait=False, cleanup=cleanup)


def test_cli_launched_instance_appears_turns_active_and_opens_a_novnc_console(page, demo_sdk, make_server):
    browser_login(page, "demo", project="demo")
    page.goto("/project/instances/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    page.evaluate("window.__notReloaded = true")

    server = make_server(demo_sdk)
    row = page.locator(f"#instance-{server.id}")
    expect(row).to_be_visible(timeout=30_000)
    expect(row).to_have_attribute("data-status", "ACTIVE", timeout=120_000)
    expect(row).to_contain_text(server.name)
    page.screenshot(path="test-artifacts/live-instances-row-active.png")
    assert page.evaluate("window.__notReloaded") is True  # the same page, never reloaded

    with page.context.expect_page() as opened:
        row.locator("[data-console-for]").click()
    console = opened.value
    console.wait_for_url(re.compile(r"^http://127\.0\.0\.1:6080/"), timeout=30_000)
    expect(console).to_have_title(re.compile("noVNC"))
    console.close()
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")

    demo_sdk.compute.delete_server(server)
    expect(row).to_have_count(0, timeout=60_000)


def test_admin_sees_live_usage_charts_on_the_instance_page(page, admin_sdk, make_server):
    server = make_server(admin_sdk, network=None)
    wait_for_status(admin_sdk, server.id, "ACTIVE", timeout=120)
    browser_login(page, "admin")
    page.goto(f"/project/instances/{server.id}/")
    charts = page.locator(f"[data-live='diagnostics'][data-id='{server.id}']")
    expect(charts).to_be_visible()
    # two samples arrive 5 s apart: the charts are fed live
    expect(charts).to_have_attribute("data-samples", re.compile(r"^[2-9]|\d\d"), timeout=40_000)
    assert page.locator("canvas[data-chart='cpu']").bounding_box()["height"] > 50
    expect(page.locator("[data-diagnostics-status]")).to_have_text("")


def test_member_is_told_usage_charts_need_the_admin_role(page, demo_sdk, make_server):
    server = make_server(demo_sdk)
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{server.id}/")
    expect(page.locator("#diagnostics-unavailable")).to_have_text("Usage charts need the admin role in this cloud.")
    expect(page.locator("canvas[data-chart]")).to_have_count(0)


def test_overview_counts_follow_a_new_instance_without_reload(page, demo_sdk, make_server):
    browser_login(page, "demo", project="demo")
    page.goto("/project/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    page.evaluate("window.__notReloaded = true")
    total = page.locator("[data-instance-total]")
    server = make_server(demo_sdk)
    # other tests may launch in demo too: the page must catch up with what Nova holds, ours included
    deadline = time.monotonic() + 45
    while True:
        ids = {s.id for s in demo_sdk.compute.servers()}
        shown = int(total.inner_text())
        if server.id in ids and shown == len(ids):
            break
        assert time.monotonic() < deadline, f"page shows {shown} instances, Nova has {len(ids)}"
        page.wait_for_timeout(500)
    # Nova's limits may count a building instance a moment after its list shows it
    expect(page.locator("[data-gauge-key='instances'] [data-gauge-text]")).to_contain_text(
        f"{shown} of", timeout=30_000
    )
    # the block was swapped in from the server's partial: counts by status add up to the total
    counts, shown_total = page.evaluate(
        """() => [
            Array.from(document.querySelectorAll("[data-status-counts] [data-count]"), (n) => Number(n.textContent)),
            Number(document.querySelector("[data-instance-total]").textContent),
        ]"""
    )
    assert sum(counts) == shown_total
    assert page.evaluate("window.__notReloaded") is True  # the same page, never reloaded


BLOCKED_WEBSOCKETS = """
window.WebSocket = class extends EventTarget {
  constructor() {
    super();
    this.readyState = 0;
    setTimeout(() => { this.readyState = 3; this.dispatchEvent(new CloseEvent("close", { code: 1006 })); }, 10);
  }
  send() {}
  close() {}
};
"""


def test_without_websockets_the_table_still_refreshes(page, demo_sdk, make_server):
    page.add_init_script(BLOCKED_WEBSOCKETS)  # as behind a proxy that refuses the upgrade
    browser_login(page, "demo", project="demo")
    page.goto("/project/instances/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "polling", timeout=15_000)
    page.evaluate("window.__notReloaded = true")
    server = make_server(demo_sdk)
    expect(page.locator(f"#instance-{server.id}")).to_be_visible(timeout=40_000)
    assert page.evaluate("window.__notReloaded") is True


def test_indicator_shows_a_lost_connection_and_it_comes_back(page, demo_sdk, make_server):
    """The socket is cut (as by a restart of Zenith or a proxy) and refused for a while."""
    link = {"down": False, "open": []}

    def through(ws):
        if link["down"]:
            ws.close(code=1011)
            return
        ws.connect_to_server()
        link["open"].append(ws)

    page.route_web_socket(re.compile(r"/ws/live/$"), through)
    browser_login(page, "demo", project="demo")
    page.goto("/project/instances/")
    indicator = page.locator("#live-indicator")
    expect(indicator).to_have_attribute("data-state", "live")
    link["down"] = True
    for ws in link["open"]:
        ws.close(code=1012)
    expect(indicator).to_have_attribute("data-state", "reconnecting", timeout=10_000)
    server = make_server(demo_sdk)  # launched while this browser was cut off
    page.wait_for_timeout(3_000)
    link["down"] = False
    expect(indicator).to_have_attribute("data-state", "live", timeout=40_000)
    # after reconnecting the page catches up on what it missed
    expect(page.locator(f"#instance-{server.id}")).to_be_visible(timeout=30_000)


def test_instance_page_status_and_actions_follow_a_stop_from_the_cli(page, demo_sdk, make_server):
    server = make_server(demo_sdk)
    wait_for_status(demo_sdk, server.id, "ACTIVE", timeout=120)
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{server.id}/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    header = page.locator(f"#instance-{server.id}")
    expect(header).to_have_attribute("data-status", "ACTIVE")
    expect(page.locator('#instance-actions [data-action="stop"]')).to_be_visible()
    page.evaluate("window.__notReloaded = true")

    demo_sdk.compute.stop_server(server)
    expect(header).to_have_attribute("data-status", "SHUTOFF", timeout=60_000)
    expect(page.locator('#instance-actions [data-action="start"]')).to_be_visible()
    expect(page.locator('#instance-actions [data-action="stop"]')).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True


def test_a_filtered_list_does_not_take_new_rows_but_the_first_page_does(page, demo_sdk, make_server):
    browser_login(page, "demo", project="demo")
    page.goto("/project/instances/?name=zz-no-such-name")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    other = page.context.new_page()
    other.goto("/project/instances/")
    expect(other.locator("#live-indicator")).to_have_attribute("data-state", "live")

    server = make_server(demo_sdk)
    # the unfiltered first page shows the new instance; the filtered page, which it does not match, does not
    expect(other.locator(f"#instance-{server.id}")).to_be_visible(timeout=30_000)
    expect(other.locator(f"#instance-{server.id}")).to_have_attribute("data-status", "ACTIVE", timeout=120_000)
    assert page.locator(f"#instance-{server.id}").count() == 0
    other.close()
