"""A quick end-to-end check of a running devcloud, as the demo user (openstacksdk, Debian's python).

    OS_CLIENT_CONFIG_FILE=/var/lib/devcloud/clouds.yaml /usr/bin/python3 tools/devcloud/smoke.py

Boots a server on `private` (m1.tiny, demo-image) until ACTIVE, asks for its noVNC console URL,
deletes it; creates a 1 GB volume until available, backs it up (cinder-backup), deletes both;
stores and reads back an object in Swift; imports an image with Glance's web-download from a local
HTTP server on WEB_DOWNLOAD_PORT. Prints the time of each step.
"""

import subprocess
import sys
import tempfile
import time
import uuid

import openstack

# the one port of 127.0.0.1 the devcloud's Glance downloads from (WEB_DOWNLOAD_PORT in devcloud)
WEB_DOWNLOAD_PORT = 8765


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
    bs = conn.block_storage
    volume = bs.create_volume(name="devcloud-smoke", size=1)
    try:
        bs.wait_for_status(volume, status="available", failures=["error"], wait=60)
        step("volume available", started)
        backup = bs.create_backup(volume_id=volume.id, name="devcloud-smoke")
        try:
            backup = bs.wait_for_status(backup, status="available", failures=["error"], wait=120)
            step("backup available", started)
        finally:
            bs.delete_backup(backup)
            bs.wait_for_delete(backup, wait=120)
        bs.wait_for_status(volume, status="available", failures=["error"], wait=60)
    finally:
        bs.delete_volume(volume)
        bs.wait_for_delete(volume, wait=60)
        step("volume and backup deleted", started)

    started = time.monotonic()
    store, container = conn.object_store, f"devcloud-smoke-{uuid.uuid4().hex[:6]}"
    store.create_container(container)
    try:
        store.upload_object(container=container, name="hello.txt", data=b"hello")
        assert store.download_object("hello.txt", container=container) == b"hello"
        step("swift object stored and read back", started)
    finally:
        for obj in store.objects(container):
            store.delete_object(obj, container=container)
        store.delete_container(container)

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as served:
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", f"{served}/x.qcow2", "1M"], check=True)
        http = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(WEB_DOWNLOAD_PORT), "--directory", served],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        image = conn.image.create_image(name="devcloud-smoke", disk_format="qcow2", container_format="bare")
        try:
            time.sleep(0.5)  # the server's socket
            body = {"method": {"name": "web-download", "uri": f"http://127.0.0.1:{WEB_DOWNLOAD_PORT}/x.qcow2"}}
            answer = conn.image.post(f"/images/{image.id}/import", json=body)
            assert answer.status_code == 202, answer.text  # 0.101 does not raise on a refusal
            deadline = time.monotonic() + 60
            while (image := conn.image.get_image(image.id)).status != "active":
                assert image.status not in ("killed", "deleted") and time.monotonic() < deadline, image.status
                time.sleep(0.5)
            step("glance web-download import active", started)
        finally:
            http.terminate()
            conn.image.delete_image(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
