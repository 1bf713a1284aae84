"""The network lists' parts in a real browser: the floating IPs list shows a row's pool and
instance by short id, then their names once the names part lands (out-of-band swaps of the cells),
and its quota once the quota part lands; the routers list the same for the gateway's network; the
networks list its rows' subnets once the subnets part lands."""

from __future__ import annotations

import random

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
    link = page.locator(f"#router-network-{router.id}")  # the cell's link, swapped in by the part
    expect(link).to_have_text(public.name)
    expect(link).to_have_attribute("href", f"/project/networks/{public.id}/")
    expect(page.locator("#router-names")).to_have_count(0)


def test_the_networks_list_shows_its_rows_subnets_after_the_page(page, demo_sdk, cleanup):
    base = f"10.{random.randint(100, 250)}.{random.randint(0, 250)}"
    net = demo_sdk.network.create_network(name=unique("zt-subnets"))
    cleanup.add(lambda: demo_sdk.network.delete_network(net.id, ignore_missing=True))
    demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{base}.0/26", name="first")
    demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{base}.64/26")
    bare = demo_sdk.network.create_network(name=unique("zt-nosubnet"))
    cleanup.add(lambda: demo_sdk.network.delete_network(bare.id, ignore_missing=True))

    browser_login(page, "demo", project="demo")
    page.goto(f"/project/networks/?name={net.name}")
    cell = page.locator(f"#network-{net.id} td").nth(1)
    expect(cell).to_contain_text(f"first {base}.0/26")
    expect(cell).to_contain_text(f"— {base}.64/26")
    expect(page.locator("#network-subnets")).to_have_count(0)  # the loader went with the part
    page.screenshot(path="test-artifacts/network-list-subnets.png")

    # a network without subnets asks for nothing after the page
    page.goto(f"/project/networks/?name={bare.name}")
    expect(page.locator(f"#network-{bare.id} td").nth(1)).to_have_text("—")
    expect(page.locator("#network-subnets")).to_have_count(0)
