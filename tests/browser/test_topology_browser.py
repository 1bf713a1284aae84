"""The topology page in a real browser: a router created from another page appears in the
picture without a reload (the routers poller reports it, htmx re-fetches the SVG)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login, sdk, unique, wait_for

pytestmark = pytest.mark.browser


def _delete_routers_named(name: str) -> None:
    conn = sdk("demo")
    for router in conn.network.routers(name=name):
        conn.network.delete_router(router.id)


def test_a_router_created_on_another_page_appears_in_the_topology(page, cleanup):
    page.context.set_default_timeout(60_000)  # the shared devcloud is slow under the other helpers' load
    browser_login(page, "demo", project="demo")
    page.goto("/project/topology/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    expect(page.get_by_test_id("topology-svg")).to_be_visible()
    page.evaluate("window.__notReloaded = true")

    other = page.context.new_page()
    other.goto("/project/routers/create/")
    name = unique("zt-topo")
    cleanup.add(_delete_routers_named, name)  # even if the page times out after Neutron made it
    other.fill("input[name=name]", name)
    other.select_option("select[name=external_network_id]", label="public")
    other.click("#action-form [type=submit]", no_wait_after=True)
    # the router is read back from Neutron: under load the form may answer late (or time out
    # after Neutron made it), which is not what this test is about
    conn = sdk("demo")
    router_id = wait_for(lambda: next((r.id for r in conn.network.routers(name=name)), None), "the router", 120)
    other.close()

    node = page.locator(f"a.topo-router[data-id='{router_id}']")
    expect(node).to_be_visible(timeout=60_000)
    expect(node).to_have_attribute("data-name", name)
    assert page.evaluate("window.__notReloaded") is True  # the same page, never reloaded
    page.screenshot(path="test-artifacts/topology-router-appeared.png", full_page=True)

    # the node links to the router's page
    node.click()
    page.wait_for_url(f"**/project/routers/{router_id}/")
    expect(page.locator("h1")).to_contain_text(name)
