"""Live pages in a real browser: rows appear and change without reload, Console opens noVNC,
the instance page's Usage card is the metric service's, for members too."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.helpers import boot, browser_login, made_volume, screenshots, unique, wait_for_status

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

    row.get_by_test_id("actions-menu").click()  # the console is the first entry of the row's menu
    with page.context.expect_page() as opened:
        row.locator("[data-console-for]").click()
    console = opened.value
    console.wait_for_url(re.compile(r"^http://127\.0\.0\.1:6080/"), timeout=30_000)
    expect(console).to_have_title(re.compile("noVNC"))
    console.close()
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")

    demo_sdk.compute.delete_server(server)
    expect(row).to_have_count(0, timeout=60_000)


def test_a_member_gets_the_metric_services_usage_card(page, demo_sdk, make_server):
    """With a metric service in the catalog (the devcloud's Gnocchi) members get its Usage card;
    Nova's diagnostics are the admins' fallback only where there is none (tests/unit/test_usage_card.py,
    and tests/browser/test_usage_browser.py for the charts themselves)."""
    server = make_server(demo_sdk, network=None)
    wait_for_status(demo_sdk, server.id, "ACTIVE", timeout=120)
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{server.id}/")
    expect(page.locator(f"#usage[data-live='metrics'][data-id='{server.id}']")).to_be_visible()
    expect(page.locator("#usage canvas[data-chart='cpu']")).to_be_visible()
    expect(page.get_by_text("Usage charts need the admin role in this cloud.")).to_have_count(0)
    expect(page.locator("[data-live='diagnostics']")).to_have_count(0)


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


def test_instance_page_status_fields_and_actions_follow_a_stop_and_start_from_the_cli(page, demo_sdk, make_server):
    """Every field the page shows follows, not only the badge: the overview tab's Status row said
    "ACTIVE (Powering off)" long after the header said "Shut off"."""
    server = make_server(demo_sdk)
    wait_for_status(demo_sdk, server.id, "ACTIVE", timeout=120)
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{server.id}/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    header = page.locator(f"#instance-{server.id}")
    status_row = page.get_by_test_id("instance-status")
    expect(header).to_have_attribute("data-status", "ACTIVE")
    expect(status_row).to_have_text("Active")
    expect(page.locator('#instance-actions [data-action="stop"]')).to_be_visible()
    page.evaluate("window.__notReloaded = true")

    demo_sdk.compute.stop_server(server)
    expect(header).to_have_attribute("data-status", "SHUTOFF", timeout=60_000)
    expect(status_row).to_have_text("Shut off", timeout=10_000)  # no "(Powering off)" left behind
    expect(page.locator('#instance-actions [data-action="start"]')).to_be_visible()
    expect(page.locator('#instance-actions [data-action="stop"]')).to_have_count(0)
    screenshots(page, "live-instance-detail-stopped")
    expect(status_row).to_have_text("Shut off")
    page.evaluate("window.__notReloaded = true")

    demo_sdk.compute.start_server(server)
    expect(header).to_have_attribute("data-status", "ACTIVE", timeout=60_000)
    expect(status_row).to_have_text("Active", timeout=10_000)
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


# a page's own script opening Zenith's socket: the first frame it gets, or the code it is closed with
OPEN_SOCKET = """(url) => new Promise((resolve) => {
  const socket = new WebSocket(url);
  socket.onopen = () => socket.send(JSON.stringify({ type: "subscribe", kind: "instances" }));
  socket.onmessage = (event) => { resolve({ frame: JSON.parse(event.data), code: null }); socket.close(); };
  socket.onclose = (event) => resolve({ frame: null, code: event.code });
  setTimeout(() => resolve({ frame: null, code: "still open after 15 s" }), 15000);
})"""


@pytest.fixture
def another_port():
    """A page served from another port of Zenith's host (127.0.0.1), by a server of its own."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = b"<!doctype html><title>another port</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_page_on_another_port_of_the_host_cannot_use_the_users_socket(page, zenith_url, another_port):
    """The browser sends the session cookie to every port of the host, on a socket's handshake too:
    only the Origin (with its port) tells Zenith the page is not its own."""
    browser_login(page, "demo", project="demo")
    socket_url = zenith_url.replace("http://", "ws://", 1) + "/ws/live/"
    assert page.evaluate(OPEN_SOCKET, socket_url)["frame"]["type"] == "subscribed"  # Zenith's own page
    page.goto(another_port)
    assert page.evaluate(OPEN_SOCKET, socket_url) == {"frame": None, "code": 4403}


def test_a_socket_refused_for_its_origin_is_not_retried_and_the_page_refreshes_itself(page):
    browser_login(page, "demo", project="demo")
    attempts = []

    def refuse(ws):  # as Zenith answers a page it does not take for its own (a proxy's settings)
        attempts.append(ws.url)
        ws.close(code=4403)

    page.route_web_socket(re.compile(r"/ws/live/$"), refuse)
    page.goto("/project/instances/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "polling", timeout=10_000)
    # the table is refreshed from the page (every 15 s); a socket retried with backoff would have
    # been tried again 4 times by then
    with page.expect_request(lambda r: r.url == page.url and r.resource_type == "fetch", timeout=20_000):
        pass
    assert len(attempts) == 1, attempts


# --- every list kind: a change made with openstacksdk shows without a reload ---------------------
def watch(page, url: str) -> None:
    """Open `url` (logged in as demo) and wait for its live socket; the page is marked so that a
    reload would show (`not_reloaded`)."""
    page.goto(url)
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    page.evaluate("window.__notReloaded = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded") is True


def test_a_volume_renamed_with_the_sdk_changes_on_its_row_and_its_page(page, demo_sdk, cleanup):
    volume = made_volume(demo_sdk, cleanup)
    browser_login(page, "demo", project="demo")
    watch(page, "/project/volumes/")
    row = page.locator(f"#volume-{volume.id}")
    expect(row).to_contain_text(volume.name)
    renamed = unique("zt-live-vol-renamed")
    demo_sdk.block_storage.update_volume(volume.id, name=renamed)
    expect(row.locator(".volume-name")).to_have_text(renamed, timeout=20_000)
    assert not_reloaded(page)

    watch(page, f"/project/volumes/{volume.id}/")
    again = unique("zt-live-vol-again")
    demo_sdk.block_storage.update_volume(volume.id, name=again, description="said with the SDK")
    expect(page.locator("h1.volume-name")).to_have_text(again, timeout=20_000)
    expect(page.locator(".volume-description")).to_have_text("said with the SDK")
    expect(page.locator(".breadcrumb")).to_contain_text(again)
    assert not_reloaded(page)


def test_a_snapshot_renamed_with_the_sdk_changes_on_its_row_and_its_page(page, demo_sdk, cleanup):
    volume = made_volume(demo_sdk, cleanup)
    snap = demo_sdk.block_storage.create_snapshot(volume_id=volume.id, name=unique("zt-live-snap"))
    cleanup.delete("snapshot", snap.id, conn=demo_sdk)
    browser_login(page, "demo", project="demo")
    watch(page, "/project/volumes/snapshots/")
    row = page.locator(f"#snapshot-{snap.id}")
    expect(row).to_have_attribute("data-status", "available", timeout=60_000)  # creating, then this, live
    renamed = unique("zt-live-snap-renamed")
    demo_sdk.block_storage.update_snapshot(snap.id, name=renamed)
    expect(row).to_contain_text(renamed, timeout=20_000)
    assert not_reloaded(page)

    watch(page, f"/project/volumes/snapshots/{snap.id}/")
    again = unique("zt-live-snap-again")
    demo_sdk.block_storage.update_snapshot(snap.id, name=again, description="said with the SDK")
    block = page.locator(f"[data-live='snapshots'][data-id='{snap.id}']")
    expect(block.locator("h1")).to_have_text(again, timeout=20_000)
    expect(block).to_contain_text("said with the SDK")
    assert not_reloaded(page)


def test_a_backup_made_with_the_sdk_turns_available_on_the_list(page, demo_sdk, cleanup):
    """The list said "Creating" until reloaded: backups had no live kind."""
    volume = made_volume(demo_sdk, cleanup)
    browser_login(page, "demo", project="demo")
    watch(page, "/project/volumes/backups/")
    backup = demo_sdk.block_storage.create_backup(volume_id=volume.id, name=unique("zt-live-backup"))
    cleanup.delete("backup", backup.id, conn=demo_sdk)
    row = page.locator(f"#backup-{backup.id}")
    expect(row).to_be_visible(timeout=20_000)  # a new row on the first page
    expect(row).to_have_attribute("data-status", "available", timeout=180_000)
    expect(row).to_contain_text(volume.name)
    assert not_reloaded(page)


def test_an_image_renamed_then_filled_with_the_sdk_changes_on_its_row_and_its_page(page, demo_sdk, cleanup):
    """An image's Size and Checksum stayed "—" after it turned active, until a reload."""
    image = demo_sdk.image.create_image(name=unique("zt-live-image"), disk_format="raw", container_format="bare")
    cleanup.delete("image", image.id, conn=demo_sdk)
    browser_login(page, "demo", project="demo")
    watch(page, "/project/images/")
    row = page.locator(f"#image-{image.id}")
    expect(row).to_have_attribute("data-status", "queued")
    renamed = unique("zt-live-image-renamed")
    demo_sdk.image.update_image(image.id, name=renamed)
    expect(row.locator(".image-name")).to_have_text(renamed, timeout=20_000)
    assert not_reloaded(page)

    watch(page, f"/project/images/{image.id}/")
    checksum = page.get_by_test_id("checksum")
    expect(checksum).to_have_text("—")
    data = b"zenith live image " * 4096
    demo_sdk.image.put(
        f"/images/{image.id}/file", data=data, headers={"Content-Type": "application/octet-stream"}
    ).raise_for_status()
    expect(page.locator(f"#image-{image.id}")).to_have_attribute("data-status", "active", timeout=30_000)
    expect(checksum).to_have_text(hashlib.md5(data, usedforsecurity=False).hexdigest(), timeout=10_000)
    expect(page.get_by_test_id("image-properties")).to_contain_text("72\u00a0KiB")  # 73,728 bytes, in binary units
    assert not_reloaded(page)


def test_a_network_and_a_router_renamed_with_the_sdk_change_on_their_rows_and_pages(page, demo_sdk, cleanup):
    net = demo_sdk.network.create_network(name=unique("zt-live-net"))
    cleanup.delete("network", net.id, conn=demo_sdk)
    router = demo_sdk.network.create_router(name=unique("zt-live-router"))
    cleanup.add(lambda: demo_sdk.network.delete_router(router.id, ignore_missing=True))
    browser_login(page, "demo", project="demo")
    for kind, resource, update in (
        ("networks", net, demo_sdk.network.update_network),
        ("routers", router, demo_sdk.network.update_router),
    ):
        row_id = "network" if kind == "networks" else "router"
        watch(page, f"/project/{kind}/?name={resource.name}")
        renamed = unique(f"zt-live-{row_id}-renamed")
        update(resource.id, name=renamed)
        expect(page.locator(f"#{row_id}-{resource.id} .{row_id}-name")).to_have_text(renamed, timeout=20_000)
        assert not_reloaded(page)

        watch(page, f"/project/{kind}/{resource.id}/")
        again = unique(f"zt-live-{row_id}-again")
        update(resource.id, name=again)
        expect(page.locator(f"h1.{row_id}-name")).to_have_text(again, timeout=20_000)
        expect(page.locator(".breadcrumb")).to_contain_text(again)
        assert not_reloaded(page)


def test_a_floating_ip_associated_with_the_sdk_shows_its_fixed_ip_on_its_row(page, demo_sdk, cleanup):
    public = demo_sdk.network.find_network("public", ignore_missing=False)
    private = demo_sdk.network.find_network("private", ignore_missing=False)
    port = demo_sdk.network.create_port(network_id=private.id, name=unique("zt-live-port"))
    cleanup.add(lambda: demo_sdk.network.delete_port(port.id, ignore_missing=True))
    fip = demo_sdk.network.create_ip(floating_network_id=public.id)
    cleanup.delete("floating_ip", fip.id, conn=demo_sdk)
    browser_login(page, "demo", project="demo")
    watch(page, f"/project/floating-ips/?address={fip.floating_ip_address}")
    row = page.locator(f"#fip-{fip.id}")
    expect(row.locator(".fip-instance")).to_have_text("—")
    demo_sdk.network.update_ip(fip.id, port_id=port.id)
    fixed = port.fixed_ips[0]["ip_address"]
    expect(row).to_contain_text(fixed, timeout=20_000)
    expect(row.locator(".fip-instance")).to_have_text("a port")
    assert not_reloaded(page)


def test_a_container_filled_with_the_sdk_shows_its_new_count_on_its_row(page, demo_sdk, cleanup):
    name = unique("zt-live-box")
    assert demo_sdk.object_store.put(f"/{name}").status_code == 201

    def drop():
        demo_sdk.object_store.delete(f"/{name}/a.txt")
        demo_sdk.object_store.delete(f"/{name}")

    cleanup.add(drop)
    browser_login(page, "demo", project="demo")
    watch(page, f"/project/containers/?prefix={name}")
    row = page.locator(f"tr[data-id='{name}']")
    expect(row.get_by_test_id("row-count")).to_have_text("0")
    assert demo_sdk.object_store.put(f"/{name}/a.txt", data=b"hello").status_code == 201
    # Swift's account listing follows at its container-updater's next sweep (10 s on the devcloud)
    expect(row.get_by_test_id("row-count")).to_have_text("1", timeout=60_000)
    assert not_reloaded(page)
