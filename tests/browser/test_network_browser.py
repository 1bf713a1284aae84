"""The network lists' names parts in a real browser: the floating IPs list shows a row's pool and
instance by short id, then their names once the names part lands (out-of-band swaps of the cells),
and its quota once the quota part lands; the routers list the same for the gateway's network."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import boot, browser_login, unique

pytestmark = pytest.mark.browser


def test_the_floating_ips_and_routers_lists_name_their_cells_after_the_page(page, demo_sdk, cleanup):
    public = demo_sdk.network.find_network("public", ignore_missing=False)
    server = boot(demo_sdk, unique("zt-fipname"), cleanup=cleanup)
    port = next(demo_sdk.network.ports(device_id=server.id))
    fip = demo_sdk.network.create_ip(floating_network_id=public.id, port_id=port.id)
    cleanup.delete("floating_ip", fip.id, conn=demo_sdk)
    router = demo_sdk.network.create_router(
        name=unique("zt-routername"), external_gateway_info={"network_id": public.id}
    )
    cleanup.add(lambda: demo_sdk.network.delete_router(router.id, ignore_missing=True))

    browser_login(page, "demo", project="demo")
    page.goto(f"/project/floating-ips/?address={fip.floating_ip_address}")
    cell = page.locator(f"#fip-instance-{fip.id}")
    expect(cell).to_have_text(server.name)
    expect(cell.locator("a")).to_have_attribute("href", f"/project/instances/{server.id}/")
    expect(page.locator(f"#fip-pool-{fip.id}")).to_have_text(public.name)
    expect(page.locator("#fip-names")).to_have_count(0)  # the loader went with the part
    # the quota beside the title follows in its own part, which replaces its loader
    expect(page.get_by_test_id("fip-quota")).to_contain_text("allocated")
    expect(page.locator("#fip-quota")).to_have_count(0)
    page.screenshot(path="test-artifacts/network-fip-names.png")

    page.goto(f"/project/routers/?name={router.name}")
    cell = page.locator(f"#router-network-{router.id}")
    expect(cell).to_have_text(public.name)
    expect(cell.locator("a")).to_have_attribute("href", f"/project/networks/{public.id}/")
    expect(page.locator("#router-names")).to_have_count(0)
