"""The devcloud's real compute host: Nova's libvirt driver boots the tiny guest in zone `real`.

`devcloud up` runs a second nova-compute (host real-1) on libvirtd with QEMU (TCG here: NOTES.md
gotchas 17 and 18), in the availability zone `real`, and uploads the tiny guest (tools/devcloud/
tiny-image) as the image tiny-real with flavor m1.nano. These tests boot it as the demo user with no
NIC, read its serial console through Nova and open its VNC screen through nova-novncproxy; and check
that a server created without a zone stays on the fake host.
"""

import base64
import os
import re
import socket
import struct
import urllib.parse

import pytest

from tests.helpers import REAL_GUEST, boot, unique, wait_for, wait_for_status

pytestmark = pytest.mark.integration

REAL_HOST = "real-1"
BANNER = re.compile(r"Zenith devcloud tiny guest: booted in [\d.]+ s")
# ACTIVE once QEMU runs; the banner comes 6-7 s later under TCG (README.md, "The tiny guest image"),
# more on a busy machine
BOOT_TIMEOUT = 120


@pytest.fixture(scope="module")
def real_server(demo_sdk, module_cleanup):
    """The tiny guest, booted by demo in zone real with no network: ACTIVE."""
    return boot(
        demo_sdk,
        unique("zt-real"),
        **REAL_GUEST,
        timeout=BOOT_TIMEOUT,
        cleanup=module_cleanup,
    )


def test_the_tiny_guest_runs_on_the_real_host_without_a_nic(real_server, admin_sdk, demo_sdk):
    server = admin_sdk.compute.get_server(real_server.id)
    assert server.status == "ACTIVE" and server.availability_zone == "real"
    assert server.compute_host == REAL_HOST
    assert server.addresses == {}
    assert list(demo_sdk.network.ports(device_id=server.id)) == []
    # the hypervisor is QEMU under libvirt, not the fake driver
    hypervisor = next(h for h in admin_sdk.compute.hypervisors(details=True) if h.name == server.hypervisor_hostname)
    assert hypervisor.hypervisor_type == "QEMU"


def test_the_console_log_holds_the_guests_boot_lines(real_server, demo_sdk):
    def banner():
        output = demo_sdk.compute.get_server_console_output(real_server)["output"]
        return output if BANNER.search(output) else None

    output = wait_for(banner, "the tiny guest's banner in the console log", timeout=BOOT_TIMEOUT, every=2)
    assert "Linux version" in output  # the kernel's own boot messages come first, on ttyS0


def _websocket_first_frame(url: str) -> bytes:
    """Opens noVNC's websocket for a console URL (its token) and returns the first binary frame."""
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    path = query["path"][0] if "path" in query else "?token=" + query["token"][0]
    parsed = urllib.parse.urlparse(url)
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection((parsed.hostname, parsed.port), timeout=15) as sock:
        sock.sendall(
            (
                f"GET /{path.lstrip('/')} HTTP/1.1\r\nHost: {parsed.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: binary\r\n\r\n"
            ).encode()
        )
        reader = sock.makefile("rb")
        status = reader.readline()
        assert b" 101 " in status, status
        while reader.readline() not in (b"\r\n", b""):
            pass
        head = reader.read(2)
        assert head[0] & 0x0F == 2, head  # a binary frame, not a close
        length = head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", reader.read(2))[0]
        return reader.read(length)


def test_the_vnc_console_opens_the_guests_screen(real_server, demo_sdk):
    console = demo_sdk.compute.create_console(real_server, console_type="novnc")
    assert console["url"].startswith("http://127.0.0.1:6080/vnc_lite.html?")
    # through the proxy to QEMU's VNC server on 127.0.0.1: its RFB greeting
    assert _websocket_first_frame(console["url"]).startswith(b"RFB 003.")


def _provider_of(admin_sdk, host: str) -> str:
    """The placement resource provider (the compute node's uuid) of a compute host."""
    nodes = admin_sdk.compute.get("/os-hypervisors/detail", microversion="2.53").json()["hypervisors"]
    return next(n["id"] for n in nodes if n["service"]["host"] == host)


def _traits(admin_sdk, provider: str) -> set[str]:
    return set(admin_sdk.placement.get(f"/resource_providers/{provider}/traits", microversion="1.6").json()["traits"])


def test_a_server_without_a_zone_never_lands_on_the_real_host(admin_sdk, demo_sdk, cleanup):
    """A flavor that only the real host can take (a trait of its own): without a zone, no host is
    valid, though placement offers the real host; a plain server goes to the fake host, zone nova."""
    real, fake = _provider_of(admin_sdk, REAL_HOST), _provider_of(admin_sdk, "devcloud-compute")
    trait = sorted(_traits(admin_sdk, real) - _traits(admin_sdk, fake))[0]
    candidates = admin_sdk.placement.get(
        f"/allocation_candidates?resources=VCPU:1,MEMORY_MB:128,DISK_GB:1&required={trait}", microversion="1.17"
    ).json()
    assert set(candidates["provider_summaries"]) == {real}
    flavor = admin_sdk.compute.create_flavor(name=unique("zt-realonly"), ram=128, disk=1, vcpus=1, is_public=True)
    cleanup.add(admin_sdk.compute.delete_flavor, flavor.id)
    admin_sdk.compute.create_flavor_extra_specs(flavor, {f"trait:{trait}": "required"})
    refused = boot(
        demo_sdk, unique("zt-nozone"), flavor=flavor.name, image="tiny-real", network=None, wait=False, cleanup=cleanup
    )
    assert "No valid host" in wait_for_status(demo_sdk, refused.id, "ERROR").fault["message"]

    plain = boot(demo_sdk, unique("zt-nozone"), network=None, cleanup=cleanup)
    found = admin_sdk.compute.get_server(plain.id)
    assert found.availability_zone == "nova" and found.compute_host == "devcloud-compute"
