"""A quick end-to-end check of a running devcloud, as the demo user (openstacksdk, Debian's python).

    OS_CLIENT_CONFIG_FILE=/var/lib/devcloud/clouds.yaml /usr/bin/python3 tools/devcloud/smoke.py

Boots a server on `private` (m1.tiny, demo-image) until ACTIVE, asks for its noVNC console URL,
deletes it; creates a 1 GB volume until available, deletes it. Prints the time of each step.
"""

import sys
import time

import openstack


def step(name, started):
    print(f"[smoke] {name}: {time.monotonic() - started:.1f}s", flush=True)


def main():
    conn = openstack.connect(cloud="devcloud-demo")
    started = time.monotonic()
    image = conn.image.find_image("demo-image", ignore_missing=False)
    flavor = conn.compute.find_flavor("m1.tiny", ignore_missing=False)
    network = conn.network.find_network("private", ignore_missing=False)

    server = conn.compute.create_server(
        name="devcloud-smoke", image_id=image.id, flavor_id=flavor.id, networks=[{"uuid": network.id}]
    )
    try:
        server = conn.compute.wait_for_server(server, status="ACTIVE", wait=120)
        step(f"server ACTIVE ({server.addresses})", started)
        console = conn.compute.create_console(server, console_type="novnc")
        print(f"[smoke] console: {console['url']}")
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=60)
        step("server deleted", started)

    started = time.monotonic()
    volume = conn.block_storage.create_volume(name="devcloud-smoke", size=1)
    try:
        conn.block_storage.wait_for_status(volume, status="available", failures=["error"], wait=60)
        step("volume available", started)
    finally:
        conn.block_storage.delete_volume(volume)
        conn.block_storage.wait_for_delete(volume, wait=60)
        step("volume deleted", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
